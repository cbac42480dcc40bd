/**
 * Tiny, deterministic Fashion-MNIST-shaped IDX files for tests: encode them in memory or write the
 * four official file names into a folder (gzipped or raw).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../../src/core/classes.ts';
import { Rng } from '../../src/core/rng.ts';

/** Encodes an IDX file: 00 00, type byte, dimension count, big-endian uint32 dims, then data. */
export function encodeIdx(dims: number[], data: Uint8Array, typeByte = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = typeByte;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** `count` images of pseudo-random bytes 0-255 (every value occurs, so exactness is really tested). */
export function fakeImages(count: number, seed = 1): Uint8Array {
  const rng = new Rng(seed);
  const next = () => rng.next();
  const out = new Uint8Array(count * IMAGE_PIXELS);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(next() * 256);
  return out;
}

/** `count` labels 0-9. */
export function fakeLabels(count: number, seed = 2): Uint8Array {
  const rng = new Rng(seed);
  const next = () => rng.next();
  return Uint8Array.from({ length: count }, () => Math.floor(next() * NUM_CLASSES));
}

/** IDX bytes for an images file [count, 28, 28]. */
export function imagesIdx(images: Uint8Array): Uint8Array {
  return encodeIdx([images.length / IMAGE_PIXELS, IMAGE_SIZE, IMAGE_SIZE], images);
}

/** IDX bytes for a labels file [count]. */
export function labelsIdx(labels: Uint8Array): Uint8Array {
  return encodeIdx([labels.length], labels);
}

/** The arrays written by writeFashionFixture, to compare outputs against. */
export interface FashionFixture {
  dir: string;
  train: { images: Uint8Array; labels: Uint8Array };
  test: { images: Uint8Array; labels: Uint8Array };
  /** Full paths of the four files, by official base name (without .gz). */
  paths: Record<'train-images-idx3-ubyte' | 'train-labels-idx1-ubyte' | 't10k-images-idx3-ubyte' | 't10k-labels-idx1-ubyte', string>;
}

/**
 * Writes the four Fashion-MNIST files, with the official names, into `dir`.
 * @param options.gzip write `NAME.gz` (default) or raw `NAME`
 */
export function writeFashionFixture(
  dir: string,
  options: { train?: number; test?: number; gzip?: boolean; seed?: number } = {},
): FashionFixture {
  const { train = 7, test = 3, gzip = true, seed = 1 } = options;
  const data = {
    train: { images: fakeImages(train, seed), labels: fakeLabels(train, seed + 1) },
    test: { images: fakeImages(test, seed + 2), labels: fakeLabels(test, seed + 3) },
  };
  const contents = {
    'train-images-idx3-ubyte': imagesIdx(data.train.images),
    'train-labels-idx1-ubyte': labelsIdx(data.train.labels),
    't10k-images-idx3-ubyte': imagesIdx(data.test.images),
    't10k-labels-idx1-ubyte': labelsIdx(data.test.labels),
  };
  const paths = {} as FashionFixture['paths'];
  for (const [name, bytes] of Object.entries(contents) as [keyof FashionFixture['paths'], Uint8Array][]) {
    const path = join(dir, gzip ? `${name}.gz` : name);
    writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
    paths[name] = path;
  }
  return { dir, ...data, paths };
}

/** A fresh temporary folder (the caller removes it). */
export function tempDir(prefix = 'fmnist-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Index of the first byte where a and b differ, the shorter length when one is a prefix of the
 * other, or -1 when they are identical. `expect(firstDifference(a, b)).toBe(-1)` is fast on
 * megabytes, where toEqual on typed arrays takes seconds per million elements.
 */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
