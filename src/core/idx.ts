/**
 * Strict reader for IDX files (the format MNIST and Fashion-MNIST ship in), working on bytes that
 * are already decompressed. Pure: no DOM, no Node, so the build script, the CLI and a browser
 * worker can share it.
 *
 * Layout: two zero bytes, a type byte (0x08 = unsigned byte, the only type we accept), a dimension
 * count, one big-endian uint32 per dimension, then the data in row-major order.
 *
 * Every defect throws an IdxError naming the file: a dataset that is silently cut short or padded
 * would train and evaluate on the wrong images without anyone noticing.
 */
import { IMAGE_SIZE, NUM_CLASSES } from './classes.ts';

/** A malformed or inconsistent IDX file. The message always starts with the file's name. */
export class IdxError extends Error {
  /** The file the problem was found in (as passed by the caller). */
  readonly fileName: string;

  constructor(fileName: string, problem: string) {
    super(`${fileName}: ${problem}`);
    this.name = 'IdxError';
    this.fileName = fileName;
  }
}

/** A parsed IDX file: its dimensions and its data (a view into the input bytes, not a copy). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** The only element type we read: unsigned byte. */
const TYPE_UNSIGNED_BYTE = 0x08;
/** Real files have 1 (labels) or 3 (images) dimensions; more than this is a corrupt header. */
const MAX_DIMS = 4;

/**
 * Parses one IDX file of unsigned bytes.
 * @param bytes the whole file, already gunzipped
 * @param fileName used in error messages only
 * @throws IdxError when the header is short or wrong, or the data is truncated or has extra bytes
 */
export function parseIdx(bytes: Uint8Array, fileName: string): IdxArray {
  if (bytes.length < 4) {
    throw new IdxError(fileName, `too short for an IDX header (${bytes.length} bytes, need at least 4)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(
      fileName,
      `wrong magic number: first two bytes are 0x${hex(bytes[0])} 0x${hex(bytes[1])}, expected 0x00 0x00 ` +
        '(not an IDX file, or still gzip-compressed?)',
    );
  }
  if (bytes[2] !== TYPE_UNSIGNED_BYTE) {
    throw new IdxError(fileName, `unsupported data type 0x${hex(bytes[2])} in magic number, expected 0x08 (unsigned byte)`);
  }
  const ndims = bytes[3];
  if (ndims < 1 || ndims > MAX_DIMS) {
    throw new IdxError(fileName, `bad dimension count ${ndims} (expected 1 to ${MAX_DIMS})`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new IdxError(fileName, `too short for an IDX header with ${ndims} dimensions (${bytes.length} bytes, need ${headerBytes})`);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let expected = 1;
  for (let i = 0; i < ndims; i++) {
    const size = view.getUint32(4 + 4 * i, false);
    dims.push(size);
    // Products of up to four uint32s can pass 2^53; anything past the file size is truncated anyway.
    expected = Math.min(expected * size, Number.MAX_SAFE_INTEGER);
  }

  const found = bytes.length - headerBytes;
  if (found < expected) {
    throw new IdxError(fileName, `truncated: header says [${dims.join(', ')}] = ${expected} data bytes, found ${found}`);
  }
  if (found > expected) {
    throw new IdxError(
      fileName,
      `${found - expected} trailing bytes after the data: header says [${dims.join(', ')}] = ${expected} data bytes, found ${found}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** A checked images/labels pair: `count` images of IMAGE_SIZE×IMAGE_SIZE bytes and `count` labels. */
export interface LabelledImages {
  /** count × IMAGE_SIZE × IMAGE_SIZE grayscale bytes, image after image, row-major. */
  images: Uint8Array;
  /** One class index (0 to NUM_CLASSES - 1) per image. */
  labels: Uint8Array;
  count: number;
}

/**
 * Checks that a parsed images file and labels file belong together: images are [n, 28, 28],
 * labels are [n], the two n agree and every label is a class index.
 * @param names the two files' names, for error messages
 * @throws IdxError naming the offending file
 */
export function readImagesAndLabels(images: IdxArray, labels: IdxArray, names: { images: string; labels: string }): LabelledImages {
  const d = images.dims;
  if (d.length !== 3 || d[1] !== IMAGE_SIZE || d[2] !== IMAGE_SIZE) {
    throw new IdxError(names.images, `expected image dimensions [n, ${IMAGE_SIZE}, ${IMAGE_SIZE}], found [${d.join(', ')}]`);
  }
  if (labels.dims.length !== 1) {
    throw new IdxError(names.labels, `expected label dimensions [n], found [${labels.dims.join(', ')}]`);
  }
  const count = d[0];
  if (labels.dims[0] !== count) {
    throw new IdxError(names.labels, `count mismatch: ${labels.dims[0]} labels but ${names.images} holds ${count} images`);
  }
  for (let i = 0; i < count; i++) {
    if (labels.data[i] >= NUM_CLASSES) {
      throw new IdxError(names.labels, `label out of range at index ${i}: ${labels.data[i]} (classes are 0 to ${NUM_CLASSES - 1})`);
    }
  }
  return { images: images.data, labels: labels.data, count };
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
