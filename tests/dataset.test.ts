import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../src/core/classes.ts';
import { batchPixels, makeBatch } from '../src/core/data/batches.ts';
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
    expect(Array.from(picked.images.subarray(0, IMAGE_PIXELS))).toEqual(Array.from(set.images.subarray(4 * IMAGE_PIXELS, 5 * IMAGE_PIXELS)));
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
