/**
 * Reads Fashion-MNIST IDX files from disk (gzipped or raw) into checked image/label arrays.
 * Used by the data build script and the training CLI; all format checks live in src/core/idx.ts.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { IdxError, parseIdx, readImagesAndLabels, type IdxArray, type LabelledImages } from '../../src/core/idx.ts';
import type { LocatedData } from './locate-data.ts';

/**
 * Reads a file's IDX bytes, gunzipping when it starts with the gzip magic 1f 8b (whatever its name:
 * a raw IDX file always starts with 00 00, so the two cannot be confused).
 * @throws IdxError naming the file when the gzip data is corrupt or cut short
 */
export function readIdxBytes(path: string): Uint8Array {
  const file = readFileSync(path);
  let bytes: Buffer = file;
  if (file.length >= 2 && file[0] === 0x1f && file[1] === 0x8b) {
    try {
      bytes = gunzipSync(file);
    } catch (err) {
      throw new IdxError(path, `corrupt gzip data (${(err as Error).message})`);
    }
  }
  // A plain Uint8Array view (no copy): callers should not meet Buffer's different slice() semantics.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads and parses one IDX file of unsigned bytes.
 * @throws IdxError naming the file on corrupt gzip or any IDX format problem
 */
export function readIdxFile(path: string): IdxArray {
  return parseIdx(readIdxBytes(path), path);
}

/**
 * Loads one split's images and labels from located files and checks they belong together.
 * @throws IdxError naming the offending file
 */
export function loadSplit(located: LocatedData, split: 'train' | 'test'): LabelledImages {
  const images = split === 'train' ? located.files.trainImages : located.files.testImages;
  const labels = split === 'train' ? located.files.trainLabels : located.files.testLabels;
  return readImagesAndLabels(readIdxFile(images.path), readIdxFile(labels.path), {
    images: images.path,
    labels: labels.path,
  });
}
