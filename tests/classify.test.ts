/** classifyImage (one 28×28 picture through a model) and rankClasses, in Node on the cpu backend. */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../src/core/classes.ts';
import { classifyImage } from '../src/core/classify-image.ts';
import { rankClasses } from '../src/core/rank.ts';
import { predictImages } from '../src/core/training/predict.ts';
import { loadModelFromFile } from '../scripts/lib/disk-model-files.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('classifyImage', () => {
  it('gives the same probabilities as predictImages, and the tensor count stays flat', async () => {
    const model = await loadModelFromFile(join('public/models/default', 'model.json'));
    const image = new Uint8Array(784);
    for (let y = 2; y < 26; y++) for (let x = 9; x < 19; x++) if (y < 8 || x < 13 || x > 14) image[y * 28 + x] = 220;
    const first = await classifyImage(model, image); // warm-up
    expect(first).toHaveLength(10);
    expect(first.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    expect(Array.from(first)).toEqual(Array.from(predictImages(model, [image])));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      image[i * 30] = 255;
      await classifyImage(model, image);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects an image that is not 28×28', async () => {
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
    });
    await expect(classifyImage(model, new Uint8Array(100))).rejects.toThrow('image has 100 bytes, expected 784 (28×28)');
    model.dispose();
  });
});

describe('rankClasses', () => {
  it('sorts all ten classes, most probable first, ties in label order', () => {
    const probs = [0.05, 0.6, 0.05, 0.1, 0.05, 0.05, 0.02, 0.03, 0.03, 0.02];
    const ranked = rankClasses(probs);
    expect(ranked.map((r) => r.name)).toEqual([
      'Trouser',
      'Dress',
      'T-shirt/top',
      'Pullover',
      'Coat',
      'Sandal',
      'Sneaker',
      'Bag',
      'Shirt',
      'Ankle boot',
    ]);
    expect(new Set(ranked.map((r) => r.label))).toEqual(new Set(CLASS_NAMES.map((_, i) => i)));
    expect(() => rankClasses([1, 0])).toThrow(/length 2, expected 10/);
  });
});

describe("the page's tfjs runtime (src/app/classify/tfjs-model-runtime.ts)", () => {
  it('answers with flip averaging for a model built with flipTest, plainly otherwise', async () => {
    const { tfjsModelRuntime } = await import('../src/app/classify/tfjs-model-runtime.ts');
    const { readFileSync } = await import('node:fs');
    const json = JSON.parse(readFileSync('public/models/dense/model.json', 'utf8'));
    const weights = readFileSync('public/models/dense/weights.bin');
    const data = {
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    };
    // Lopsided, so the mirror image reads differently.
    const image = new Uint8Array(784);
    for (let y = 4; y < 24; y++) for (let x = 3; x < 12; x++) image[y * 28 + x] = 240;
    const mirror = new Uint8Array(784);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) mirror[y * 28 + x] = image[y * 28 + 27 - x];
    const plain = await tfjsModelRuntime.build(data);
    const flipped = await tfjsModelRuntime.build(data, { flipTest: true });
    const a = await classifyImage(plain, image);
    const b = await classifyImage(plain, mirror);
    expect(Array.from((await tfjsModelRuntime.predict(plain, image)).probabilities)).toEqual(Array.from(a));
    const averaged = (await tfjsModelRuntime.predict(flipped, image)).probabilities;
    averaged.forEach((p, k) => expect(p).toBeCloseTo((a[k] + b[k]) / 2, 5));
    tfjsModelRuntime.dispose(plain);
    tfjsModelRuntime.dispose(flipped);
  });
});
