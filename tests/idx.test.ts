import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdxError, parseIdx, readImagesAndLabels } from '../src/core/idx.ts';
import { loadSplit, readIdxFile } from '../scripts/lib/fashion-data.ts';
import { locateFashionMnist } from '../scripts/lib/locate-data.ts';
import { encodeIdx, fakeImages, fakeLabels, imagesIdx, labelsIdx, tempDir, writeFashionFixture } from './helpers/idx-fixtures.ts';

/** Runs fn, expects an IdxError, returns its message. */
function idxError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IdxError);
    return (err as Error).message;
  }
  throw new Error('expected an IdxError, nothing was thrown');
}

describe('parseIdx', () => {
  it('reads dims and data of a valid file', () => {
    const images = fakeImages(3);
    const parsed = parseIdx(imagesIdx(images), 'imgs');
    expect(parsed.dims).toEqual([3, 28, 28]);
    expect(parsed.data).toEqual(images);
    expect(parseIdx(labelsIdx(Uint8Array.of(1, 2)), 'lbl')).toEqual({ dims: [2], data: Uint8Array.of(1, 2) });
  });

  it('accepts an empty file body when the header says zero items', () => {
    expect(parseIdx(encodeIdx([0], new Uint8Array()), 'x').data.length).toBe(0);
  });

  it('rejects a file too short for a header', () => {
    expect(idxError(() => parseIdx(Uint8Array.of(0, 0, 8), 'short.idx'))).toMatch(/^short\.idx: too short for an IDX header/);
    // Header announces three dimensions but stops after one.
    const cut = encodeIdx([3, 28, 28], new Uint8Array()).subarray(0, 9);
    expect(idxError(() => parseIdx(cut, 'cut.idx'))).toMatch(/^cut\.idx: too short .*3 dimensions.*need 16/);
  });

  it('rejects a wrong magic number', () => {
    const gz = gzipSync(labelsIdx(Uint8Array.of(1)));
    expect(idxError(() => parseIdx(gz, 'still.gz'))).toMatch(/^still\.gz: wrong magic number: first two bytes are 0x1f 0x8b/);
    const badType = encodeIdx([1], Uint8Array.of(1), 0x0d);
    expect(idxError(() => parseIdx(badType, 'floats.idx'))).toMatch(/^floats\.idx: unsupported data type 0x0d/);
  });

  it('rejects a bad dimension count', () => {
    expect(idxError(() => parseIdx(Uint8Array.of(0, 0, 8, 0), 'zero.idx'))).toMatch(/^zero\.idx: bad dimension count 0/);
    const five = encodeIdx([1, 1, 1, 1, 1], Uint8Array.of(7));
    expect(idxError(() => parseIdx(five, 'five.idx'))).toMatch(/bad dimension count 5/);
  });

  it('rejects truncated data, saying how many bytes were expected and found', () => {
    const full = imagesIdx(fakeImages(2));
    const message = idxError(() => parseIdx(full.subarray(0, full.length - 10), 'imgs.idx'));
    expect(message).toMatch(/^imgs\.idx: truncated/);
    expect(message).toContain('1568 data bytes, found 1558');
  });

  it('rejects trailing bytes', () => {
    const full = labelsIdx(Uint8Array.of(1, 2, 3));
    const padded = Uint8Array.from([...full, 0, 0]);
    expect(idxError(() => parseIdx(padded, 'lbl.idx'))).toMatch(/^lbl\.idx: 2 trailing bytes .*3 data bytes, found 5/);
  });

  it('does not overflow on absurd dimensions', () => {
    const huge = encodeIdx([0xffffffff, 0xffffffff, 0xffffffff], new Uint8Array(4));
    expect(idxError(() => parseIdx(huge, 'huge.idx'))).toMatch(/truncated/);
  });
});

describe('readImagesAndLabels', () => {
  const names = { images: 'imgs.idx', labels: 'lbl.idx' };
  const images = (n: number) => parseIdx(imagesIdx(fakeImages(n)), names.images);
  const labels = (values: number[]) => parseIdx(labelsIdx(Uint8Array.from(values)), names.labels);

  it('returns images, labels and count of a matching pair', () => {
    const out = readImagesAndLabels(images(3), labels([0, 9, 4]), names);
    expect(out.count).toBe(3);
    expect(out.images).toEqual(fakeImages(3));
    expect(out.labels).toEqual(Uint8Array.of(0, 9, 4));
  });

  it('rejects images that are not [n, 28, 28]', () => {
    const wrong = parseIdx(encodeIdx([2, 28, 27], new Uint8Array(2 * 28 * 27)), names.images);
    expect(idxError(() => readImagesAndLabels(wrong, labels([0, 1]), names))).toMatch(
      /^imgs\.idx: expected image dimensions \[n, 28, 28\], found \[2, 28, 27\]/,
    );
    const flat = parseIdx(labelsIdx(new Uint8Array(784)), names.images);
    expect(idxError(() => readImagesAndLabels(flat, labels([0]), names))).toMatch(/^imgs\.idx: expected image dimensions/);
  });

  it('rejects labels that are not one-dimensional', () => {
    const twoD = parseIdx(encodeIdx([1, 1], Uint8Array.of(0)), names.labels);
    expect(idxError(() => readImagesAndLabels(images(1), twoD, names))).toMatch(/^lbl\.idx: expected label dimensions \[n\]/);
  });

  it('rejects a count mismatch between images and labels', () => {
    expect(idxError(() => readImagesAndLabels(images(3), labels([0, 1]), names))).toMatch(
      /^lbl\.idx: count mismatch: 2 labels but imgs\.idx holds 3 images/,
    );
  });

  it('rejects labels out of range', () => {
    expect(idxError(() => readImagesAndLabels(images(3), labels([0, 10, 1]), names))).toMatch(
      /^lbl\.idx: label out of range at index 1: 10/,
    );
    expect(idxError(() => readImagesAndLabels(images(1), labels([255]), names))).toMatch(/out of range.*255/);
  });
});

describe('readIdxFile and loadSplit on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads gzipped and raw files to the same result', () => {
    const bytes = imagesIdx(fakeImages(4));
    writeFileSync(join(dir, 'a.gz'), gzipSync(bytes));
    writeFileSync(join(dir, 'a'), bytes);
    const fromGz = readIdxFile(join(dir, 'a.gz'));
    expect(fromGz.dims).toEqual([4, 28, 28]);
    expect(fromGz).toEqual(readIdxFile(join(dir, 'a')));
  });

  it('rejects a corrupt gzip file, naming it', () => {
    const gz = gzipSync(imagesIdx(fakeImages(4)));
    const path = join(dir, 'train-images-idx3-ubyte.gz');
    writeFileSync(path, gz.subarray(0, gz.length - 100)); // cut short
    expect(idxError(() => readIdxFile(path))).toContain(`${path}: corrupt gzip data`);
    const flipped = Uint8Array.from(gz);
    for (let i = 20; i < 60; i++) flipped[i] ^= 0xff; // garbled deflate stream or CRC
    writeFileSync(path, flipped);
    expect(idxError(() => readIdxFile(path))).toContain(`${path}: corrupt gzip data`);
  });

  it('names the file when a gzipped file holds bad IDX data', () => {
    const path = join(dir, 'x.gz');
    writeFileSync(path, gzipSync(imagesIdx(fakeImages(2)).subarray(0, 100)));
    expect(idxError(() => readIdxFile(path))).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')}: truncated`));
  });

  it('loadSplit reads each split of located files', async () => {
    const fixture = writeFashionFixture(dir, { train: 5, test: 2, gzip: false });
    const located = await locateFashionMnist({ env: { FASHION_MNIST_DIR: dir }, download: false });
    const train = loadSplit(located, 'train');
    expect(train.count).toBe(5);
    expect(train.images).toEqual(fixture.train.images);
    expect(train.labels).toEqual(fixture.train.labels);
    const test = loadSplit(located, 'test');
    expect(test.count).toBe(2);
    expect(test.labels).toEqual(fixture.test.labels);
  });

  it('loadSplit names the labels file on a count mismatch', async () => {
    const fixture = writeFashionFixture(dir, { train: 5, test: 2 });
    writeFileSync(fixture.paths['t10k-labels-idx1-ubyte'], gzipSync(labelsIdx(fakeLabels(3))));
    const located = await locateFashionMnist({ env: { FASHION_MNIST_DIR: dir }, download: false });
    expect(loadSplit(located, 'train').count).toBe(5);
    expect(idxError(() => loadSplit(located, 'test'))).toContain(`${fixture.paths['t10k-labels-idx1-ubyte']}: count mismatch`);
  });
});
