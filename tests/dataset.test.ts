import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../src/core/classes.ts';
import { batchPixels, ERASE_MAX, ERASE_MIN, makeBatch } from '../src/core/data/batches.ts';
import { checkImageSet, selectImages } from '../src/core/data/image-set.ts';
import { splitTrainValidation } from '../src/core/data/split.ts';
import { Rng, shuffledIndices } from '../src/core/rng.ts';
import { syntheticSet } from './helpers/synthetic-set.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('seeded shuffling and splits', () => {
  it('gives the same permutation for the same seed and another for another seed', () => {
    const a = shuffledIndices(1000, 42);
    expect(Array.from(a)).toEqual(Array.from(shuffledIndices(1000, 42)));
    expect(Array.from(a)).not.toEqual(Array.from(shuffledIndices(1000, 43)));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('draws uniformly enough that every position is reachable', () => {
    const rng = new Rng(3);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) counts[rng.int(10)]++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
  });

  it('splits a subset into disjoint training and validation indices, repeatably', () => {
    const split = splitTrainValidation(5000, 1000, 0.2, 9);
    expect(split.train.length).toBe(800);
    expect(split.validation.length).toBe(200);
    const all = new Set([...split.train, ...split.validation]);
    expect(all.size).toBe(1000);
    expect(Math.max(...all)).toBeLessThan(5000);
    expect(Array.from(splitTrainValidation(5000, 1000, 0.2, 9).validation)).toEqual(Array.from(split.validation));
    expect(() => splitTrainValidation(100, 200, 0.1, 1)).toThrow(/^trainSize:/);
  });
});

describe('image sets and batches', () => {
  const set = syntheticSet(50);

  it('checks that byte counts agree with the image count', () => {
    expect(checkImageSet(set)).toBe(set);
    expect(() => checkImageSet({ ...set, count: 51 })).toThrow(/image bytes for 51 images/);
    expect(() => checkImageSet({ ...set, labels: set.labels.subarray(1) })).toThrow(/49 labels/);
    const badLabel = { ...set, labels: Uint8Array.from(set.labels, (l, i) => (i === 3 ? 12 : l)) };
    expect(() => checkImageSet(badLabel)).toThrow(/label 12 of image 3/);
  });

  it('selects images by index', () => {
    const picked = selectImages(set, [4, 2]);
    expect(picked.count).toBe(2);
    expect(Array.from(picked.labels)).toEqual([set.labels[4], set.labels[2]]);
    expect(Array.from(picked.images.subarray(0, IMAGE_PIXELS))).toEqual(
      Array.from(set.images.subarray(4 * IMAGE_PIXELS, 5 * IMAGE_PIXELS)),
    );
  });

  it('scales pixels to [0, 1] without augmentation', () => {
    const px = batchPixels(set, [7], 0, 1);
    for (let p = 0; p < IMAGE_PIXELS; p++) expect(px[p]).toBeCloseTo(set.images[7 * IMAGE_PIXELS + p] / 255, 6);
  });

  it('shifts and mirrors images when augmenting, filling with background', () => {
    const one = new Uint8Array(IMAGE_PIXELS);
    one[5 * IMAGE_SIZE + 3] = 255; // a single lit pixel at (x 3, y 5)
    const single = { images: one, labels: new Uint8Array([0]), count: 1 };
    const seen = new Set<number>();
    const rng = new Rng(1);
    for (let i = 0; i < 200; i++) {
      const px = batchPixels(single, [0], 0, 1, { shift: 2, flip: true, rng });
      const lit = px.findIndex((v) => v === 1);
      expect(px.filter((v) => v !== 0)).toHaveLength(1);
      seen.add(lit);
    }
    // x ∈ {1..5} unflipped or {22..26} flipped, y ∈ {3..7}: 50 positions, most of them drawn.
    for (const index of seen) {
      const x = index % IMAGE_SIZE;
      const y = Math.floor(index / IMAGE_SIZE);
      expect(y).toBeGreaterThanOrEqual(3);
      expect(y).toBeLessThanOrEqual(7);
      expect((x >= 1 && x <= 5) || (x >= 22 && x <= 26)).toBe(true);
    }
    expect(seen.size).toBeGreaterThan(35);
  });

  /** The zero pixels of an image as a bounding box, and how many there are. */
  const zeros = (px: Float32Array, offset = 0) => {
    let [x0, y0, x1, y1, count] = [IMAGE_SIZE, IMAGE_SIZE, -1, -1, 0];
    for (let p = 0; p < IMAGE_PIXELS; p++) {
      if (px[offset + p] !== 0) continue;
      const [x, y] = [p % IMAGE_SIZE, Math.floor(p / IMAGE_SIZE)];
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      count++;
    }
    return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1, count };
  };
  const white = { images: new Uint8Array(IMAGE_PIXELS).fill(255), labels: new Uint8Array([0]), count: 1 };

  it('random erasing blanks one square of 4 to 12 pixels a side, anywhere inside the image', () => {
    const rng = new Rng(2);
    const sides = new Set<number>();
    const corners = { left: false, right: false, top: false, bottom: false };
    for (let i = 0; i < 400; i++) {
      const px = batchPixels(white, [0], 0, 1, { shift: 0, flip: false, erasing: 1, rng });
      const z = zeros(px);
      // One solid square: as many zeros as its bounding box holds, and nothing else changed.
      expect(z.width).toBe(z.height);
      expect(z.count).toBe(z.width * z.height);
      expect(px.every((v) => v === 0 || v === 1)).toBe(true);
      expect(z.width).toBeGreaterThanOrEqual(ERASE_MIN);
      expect(z.width).toBeLessThanOrEqual(ERASE_MAX);
      expect(z.x0 + z.width).toBeLessThanOrEqual(IMAGE_SIZE);
      expect(z.y0 + z.height).toBeLessThanOrEqual(IMAGE_SIZE);
      sides.add(z.width);
      corners.left ||= z.x0 === 0;
      corners.top ||= z.y0 === 0;
      corners.right ||= z.x0 + z.width === IMAGE_SIZE;
      corners.bottom ||= z.y0 + z.height === IMAGE_SIZE;
    }
    expect([...sides].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(corners).toEqual({ left: true, right: true, top: true, bottom: true });
  });

  it('erases with the given probability per image', () => {
    const rng = new Rng(3);
    const many = { images: new Uint8Array(1000 * IMAGE_PIXELS).fill(255), labels: new Uint8Array(1000), count: 1000 };
    const indices = Array.from({ length: 1000 }, (_, i) => i);
    const erased = (p: number) => {
      const px = batchPixels(many, indices, 0, 1000, { shift: 0, flip: false, erasing: p, rng });
      return indices.filter((i) => zeros(px, i * IMAGE_PIXELS).count > 0).length;
    };
    expect(erased(0)).toBe(0);
    expect(erased(1)).toBe(1000);
    const half = erased(0.5);
    expect(half).toBeGreaterThan(440);
    expect(half).toBeLessThan(560);
  });

  it('erases after shifting and mirroring, drawing from the same seeded generator', () => {
    const image = Uint8Array.from({ length: IMAGE_PIXELS }, (_, p) => 1 + ((p * 37) % 254));
    const single = { images: image, labels: new Uint8Array([0]), count: 1 };
    for (let seed = 1; seed <= 30; seed++) {
      const px = batchPixels(single, [0], 0, 1, { shift: 2, flip: true, erasing: 0.7, rng: new Rng(seed) });
      // The same draws by hand: dx, dy, the mirror coin, then the erasing coin, side, x, y.
      const rng = new Rng(seed);
      const [dx, dy] = [rng.int(5) - 2, rng.int(5) - 2];
      const flip = rng.next() < 0.5;
      const expected = new Float32Array(IMAGE_PIXELS);
      for (let y = 0; y < IMAGE_SIZE; y++) {
        for (let x = 0; x < IMAGE_SIZE; x++) {
          const sy = y - dy;
          const sx = flip ? IMAGE_SIZE - 1 - (x - dx) : x - dx;
          const inside = sy >= 0 && sy < IMAGE_SIZE && sx >= 0 && sx < IMAGE_SIZE;
          expected[y * IMAGE_SIZE + x] = inside ? image[sy * IMAGE_SIZE + sx] / 255 : 0;
        }
      }
      if (rng.next() < 0.7) {
        const side = ERASE_MIN + rng.int(ERASE_MAX - ERASE_MIN + 1);
        const [x0, y0] = [rng.int(IMAGE_SIZE - side + 1), rng.int(IMAGE_SIZE - side + 1)];
        for (let y = y0; y < y0 + side; y++) expected.fill(0, y * IMAGE_SIZE + x0, y * IMAGE_SIZE + x0 + side);
      }
      expect(Array.from(px), `seed ${seed}`).toEqual(Array.from(expected));
    }
  });

  it('draws nothing more for erasing 0, so runs without it keep their augmentation', () => {
    const [a, b] = [new Rng(9), new Rng(9)];
    const withField = batchPixels(set, [1, 2, 3], 0, 3, { shift: 2, flip: true, erasing: 0, rng: a });
    const without = batchPixels(set, [1, 2, 3], 0, 3, { shift: 2, flip: true, rng: b });
    expect(Array.from(withField)).toEqual(Array.from(without));
    expect(a.next()).toBe(b.next());
  });

  it('builds a batch as [n, 28, 28, 1] images and one-hot labels', () => {
    const before = tf.memory().numTensors;
    const { xs, ys } = makeBatch(set, [0, 1, 2, 13], 1, 4);
    expect(xs.shape).toEqual([3, 28, 28, 1]);
    expect(ys.shape).toEqual([3, 10]);
    tf.tidy(() => {
      expect(Array.from(ys.argMax(-1).dataSync())).toEqual([1, 2, 3]);
      expect(ys.sum().dataSync()[0]).toBe(3);
    });
    tf.dispose([xs, ys]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
