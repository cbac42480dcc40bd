import { describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../src/core/classes.ts';
import { batchPixels } from '../src/core/data/batches.ts';
import { ELASTIC_MAX_SHIFT, elasticDistort } from '../src/core/data/elastic.ts';
import type { ImageSet } from '../src/core/data/image-set.ts';
import { changeStrokeWidth } from '../src/core/data/stroke-width.ts';
import { Rng } from '../src/core/rng.ts';

const N = IMAGE_SIZE;
/** A vertical line two pixels wide at x = 13..14, rows 4..23, at `level`. */
function line(level = 1): Float32Array {
  const img = new Float32Array(IMAGE_PIXELS);
  for (let y = 4; y < 24; y++) for (let x = 13; x < 15; x++) img[y * N + x] = level;
  return img;
}
const inked = (img: Float32Array) => img.reduce((n, v) => n + (v > 0.5 ? 1 : 0), 0);
/** A seed whose first draw thickens (below 1/2) or thins. */
const seedFor = (thicken: boolean) => {
  for (let seed = 1; ; seed++) if (new Rng(seed).next() < 0.5 === thicken) return seed;
};

describe('stroke-width augmentation', () => {
  it('thickens a line by one pixel on each side, keeping its ink level', () => {
    const img = line(0.8);
    changeStrokeWidth(img, 0, new Rng(seedFor(true)));
    for (const x of [12, 13, 14, 15]) expect(img[10 * N + x]).toBeCloseTo(0.8);
    expect(img[10 * N + 11]).toBe(0);
    expect(img[10 * N + 16]).toBe(0);
    expect(img[3 * N + 13]).toBeCloseTo(0.8); // one row above the line's end
    expect(inked(img)).toBe(4 * 22);
  });

  it('thins: a two-pixel line vanishes and a wide bar loses its rim', () => {
    const img = line();
    changeStrokeWidth(img, 0, new Rng(seedFor(false)));
    expect(inked(img)).toBe(0);
    const bar = new Float32Array(IMAGE_PIXELS);
    for (let y = 4; y < 24; y++) for (let x = 8; x < 20; x++) bar[y * N + x] = 1;
    changeStrokeWidth(bar, 0, new Rng(seedFor(false)));
    expect(inked(bar)).toBe(10 * 18);
    expect(bar[10 * N + 8]).toBe(0);
    expect(bar[10 * N + 9]).toBe(1);
  });

  it('changes only the image at its offset', () => {
    const two = new Float32Array(2 * IMAGE_PIXELS);
    two.set(line(), 0);
    two.set(line(), IMAGE_PIXELS);
    changeStrokeWidth(two, IMAGE_PIXELS, new Rng(seedFor(true)));
    expect(two.subarray(0, IMAGE_PIXELS)).toEqual(line());
    expect(inked(two.subarray(IMAGE_PIXELS))).toBe(4 * 22);
  });
});

describe('elastic distortion', () => {
  it('bends a line smoothly: ink moves by at most the largest shift, and about as much ink remains', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const img = line();
      elasticDistort(img, 0, new Rng(seed));
      let ink = 0;
      for (let y = 0; y < N; y++)
        for (let x = 0; x < N; x++) {
          const v = img[y * N + x];
          ink += v;
          // Ink is found only within reach of the original line (plus one for bilinear spread).
          if (v > 0) {
            expect(x).toBeGreaterThanOrEqual(13 - ELASTIC_MAX_SHIFT - 1);
            expect(x).toBeLessThanOrEqual(14 + ELASTIC_MAX_SHIFT + 1);
          }
        }
      expect(ink).toBeGreaterThan(40 * 0.6);
      expect(ink).toBeLessThan(40 * 1.5);
    }
  });

  it('moves the picture: a distorted line differs from the original, differently per seed', () => {
    const a = line();
    const b = line();
    elasticDistort(a, 0, new Rng(1));
    elasticDistort(b, 0, new Rng(2));
    expect(a).not.toEqual(line());
    expect(a).not.toEqual(b);
    // Columns the line never reached stay empty: the distortion is local, not a scramble.
    for (let y = 0; y < N; y++) expect(a[y * N + 2]).toBe(0);
  });

  it('keeps values in [0, 1] and leaves an empty image empty', () => {
    const blank = new Float32Array(IMAGE_PIXELS);
    elasticDistort(blank, 0, new Rng(3));
    expect(blank.every((v) => v === 0)).toBe(true);
    const img = line();
    elasticDistort(img, 0, new Rng(4));
    expect(img.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('in a batch', () => {
  const set: ImageSet = {
    images: new Uint8Array(3 * IMAGE_PIXELS).map((_, i) => (i % 7) * 30),
    labels: new Uint8Array([0, 1, 2]),
    count: 3,
  };

  it('probability 0 draws nothing, so runs without them keep their augmentation', () => {
    const plain = batchPixels(set, [0, 1, 2], 0, 3, { shift: 2, flip: true, rng: new Rng(9) });
    const off = batchPixels(set, [0, 1, 2], 0, 3, { shift: 2, flip: true, elastic: 0, stroke: 0, rng: new Rng(9) });
    expect(off).toEqual(plain);
  });

  it('probability 1 applies them to every image (elastic, then stroke width)', () => {
    const plain = batchPixels(set, [0, 1, 2], 0, 3);
    const rng = new Rng(5);
    const both = batchPixels(set, [0, 1, 2], 0, 3, { shift: 0, flip: false, elastic: 1, stroke: 1, rng });
    // The same draws by hand: the elastic coin and field, then the stroke coin and its direction.
    const expected = plain.slice();
    const again = new Rng(5);
    for (let i = 0; i < 3; i++) {
      again.next();
      elasticDistort(expected, i * IMAGE_PIXELS, again);
      again.next();
      changeStrokeWidth(expected, i * IMAGE_PIXELS, again);
    }
    expect(both).toEqual(expected);
    expect(both).not.toEqual(plain);
  });
});
