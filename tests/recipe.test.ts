/**
 * The Best preset's recipe tools in the core, on numbers: label smoothing in the loss, test-time flip
 * averaging in prediction, evaluation and single-image classification, and the training loop
 * wiring all of them (with erasing and weight decay) from a configuration.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../src/core/classes.ts';
import { classifyImage, classifyImageFlipAveraged } from '../src/core/classify-image.ts';
import { validateConfig } from '../src/core/config.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { evaluateModel } from '../src/core/training/evaluate.ts';
import { correctCount, crossEntropy } from '../src/core/training/loss.ts';
import { averageMirrored, predictImages, predictProbabilities, withMirrors } from '../src/core/training/predict.ts';
import { trainModel } from '../src/core/training/train.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { syntheticSet } from './helpers/synthetic-set.ts';

beforeAll(async () => {
  await setupBackend('wasm');
});

describe('label smoothing', () => {
  // Two rows of probabilities over ten classes, and their true classes 2 and 7.
  const rows = [
    [0.02, 0.03, 0.6, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05],
    [0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.3, 0.05, 0.05],
  ];
  const labels = [2, 7];
  const loss = (epsilon: number) =>
    tf.tidy(() => crossEntropy(tf.tensor2d(rows), tf.oneHot(tf.tensor1d(labels, 'int32'), NUM_CLASSES).toFloat(), epsilon).dataSync()[0]);
  /** −mean Σ t·log p with t = (1 − ε)·onehot + ε/10, by hand. */
  const byHand = (epsilon: number) =>
    rows.reduce(
      (sum, row, r) => sum - row.reduce((s, p, k) => s + ((k === labels[r] ? 1 - epsilon : 0) + epsilon / 10) * Math.log(p), 0),
      0,
    ) / rows.length;

  it('aims the loss at (1 − ε)·onehot + ε/10', () => {
    expect(loss(0)).toBeCloseTo(-(Math.log(0.6) + Math.log(0.3)) / 2, 6);
    for (const epsilon of [0.1, 0.3]) expect(loss(epsilon)).toBeCloseTo(byHand(epsilon), 5);
    expect(loss(0.1)).toBeGreaterThan(loss(0));
  });

  it('leaves the count of right answers to the true class', () => {
    const correct = tf.tidy(
      () => correctCount(tf.tensor2d(rows), tf.oneHot(tf.tensor1d([2, 3], 'int32'), NUM_CLASSES).toFloat()).dataSync()[0],
    );
    expect(correct).toBe(1);
  });

  it('changes the loss a run reports, not its accuracy', async () => {
    // A model trained to confident answers first, then two runs at a rate so small the weights
    // cannot move: both classify alike, only the loss (against other targets) differs.
    const set = syntheticSet(200);
    const config = (overrides: object) =>
      validateConfig({ model: 'tinyvgg', epochs: 1, batchSize: 50, trainSize: 200, validationSplit: 0, seed: 2, ...overrides });
    const trained = createModel('tinyvgg', 3);
    await trainModel(trained, set, config({ learningRate: 0.01, epochs: 3 }));
    const start = trained.getWeights();
    const run = async (labelSmoothing: number) => {
      const model = createModel('tinyvgg', 3);
      model.setWeights(start);
      const { history } = await trainModel(model, set, config({ learningRate: 1e-12, labelSmoothing }));
      model.dispose();
      return history[0];
    };
    const [plain, smoothed] = [await run(0), await run(0.2)];
    expect(plain.accuracy).toBeGreaterThan(0.5);
    expect(smoothed.accuracy).toBe(plain.accuracy);
    expect(smoothed.loss).toBeGreaterThan(plain.loss + 0.05);
    trained.dispose();
  });
});

describe('test-time flip averaging', () => {
  /** An image that is not its own mirror: a bright block in the left half, with a gradient. */
  const lopsided = (i: number) =>
    Uint8Array.from({ length: IMAGE_PIXELS }, (_, p) => {
      const [x, y] = [p % IMAGE_SIZE, Math.floor(p / IMAGE_SIZE)];
      return x < 10 + i && y > 4 ? 255 - 3 * x : (x * 7 + y * 3 + i) % 40;
    });
  const mirror = (image: Uint8Array) =>
    Uint8Array.from(
      { length: IMAGE_PIXELS },
      (_, p) => image[Math.floor(p / IMAGE_SIZE) * IMAGE_SIZE + (IMAGE_SIZE - 1 - (p % IMAGE_SIZE))],
    );
  const setOf = (images: Uint8Array[]) => {
    const all = new Uint8Array(images.length * IMAGE_PIXELS);
    images.forEach((image, i) => all.set(image, i * IMAGE_PIXELS));
    return { images: all, labels: Uint8Array.from(images, (_, i) => i % NUM_CLASSES), count: images.length };
  };

  it('appends each image’s left-right mirror and averages the pairs back', () => {
    const pixels = Float32Array.from({ length: 2 * IMAGE_PIXELS }, (_, p) => p);
    const both = withMirrors(pixels, 2);
    expect(both.length).toBe(4 * IMAGE_PIXELS);
    expect(Array.from(both.subarray(0, 2 * IMAGE_PIXELS))).toEqual(Array.from(pixels));
    // Image 1, row 5, column 3 of the mirror is column 24 of the original.
    expect(both[3 * IMAGE_PIXELS + 5 * IMAGE_SIZE + 3]).toBe(pixels[IMAGE_PIXELS + 5 * IMAGE_SIZE + 24]);
    const probs = Float32Array.from({ length: 40 }, (_, k) => k);
    expect(Array.from(averageMirrored(probs, 2))).toEqual(Array.from({ length: 20 }, (_, k) => k + 10));
  });

  it('gives the mean of the model’s probabilities for each image and its mirror', async () => {
    const model = createModel('default', 5);
    const images = [0, 1, 2].map(lopsided);
    const set = setOf(images);
    const plain = predictImages(model, images);
    const mirrored = predictImages(model, images.map(mirror));
    const expected = plain.map((p, k) => (p + mirrored[k]) / 2);
    const averaged = await predictProbabilities(model, set, undefined, undefined, { flipTest: true });
    for (let k = 0; k < expected.length; k++) expect(averaged[k]).toBeCloseTo(expected[k], 6);
    // Not vacuous: the mirror changes the model's answer, so the average differs from the plain one.
    expect(Math.max(...plain.map((p, k) => Math.abs(p - mirrored[k])))).toBeGreaterThan(1e-3);
    expect(Array.from(predictImages(model, images, { flipTest: true })).every((p, k) => Math.abs(p - expected[k]) < 1e-6)).toBe(true);
    // One image through the page's classifier: the same numbers, rows still summing to 1.
    for (const [i, image] of images.entries()) {
      const one = await classifyImage(model, image, { flipTest: true });
      expect(Array.from(await classifyImageFlipAveraged(model, image))).toEqual(Array.from(one));
      one.forEach((p, k) => expect(p).toBeCloseTo(expected[i * NUM_CLASSES + k], 6));
      expect(one.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    // An image that is its own mirror gets its plain probabilities.
    const symmetric = Uint8Array.from({ length: IMAGE_PIXELS }, (_, p) => (Math.abs((p % IMAGE_SIZE) - 13.5) < 5 ? 200 : 10));
    const [a, b] = [await classifyImage(model, symmetric), await classifyImage(model, symmetric, { flipTest: true })];
    a.forEach((p, k) => expect(b[k]).toBeCloseTo(p, 6));
    model.dispose();
  });

  it('evaluates on the averaged probabilities, and leaves no tensor behind', async () => {
    const model = createModel('tinyvgg', 6);
    const set = setOf(Array.from({ length: 30 }, (_, i) => lopsided(i % 12)));
    const probs = await predictProbabilities(model, set, undefined, undefined, { flipTest: true });
    const before = tf.memory().numTensors;
    const evaluation = await evaluateModel(model, set, undefined, undefined, { flipTest: true });
    expect(tf.memory().numTensors).toBe(before);
    const predicted = Array.from({ length: set.count }, (_, i) => {
      const row = Array.from(probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));
      return row.indexOf(Math.max(...row));
    });
    expect(evaluation.predicted).toEqual(predicted);
    const loss = -set.labels.reduce((s, label, i) => s + Math.log(Math.max(1e-7, probs[i * NUM_CLASSES + label])), 0) / set.count;
    expect(evaluation.loss).toBeCloseTo(loss, 5);
    const plain = await evaluateModel(model, set);
    expect(plain.loss).not.toBeCloseTo(evaluation.loss, 4);
    model.dispose();
  });
});

describe('the training loop with the whole recipe', () => {
  const recipe = (overrides: object = {}) =>
    validateConfig({
      model: 'tinyvgg',
      epochs: 2,
      batchSize: 32,
      trainSize: 300,
      validationSplit: 0.2,
      learningRate: 0.01,
      shift: 2,
      flip: true,
      erasing: 0.5,
      labelSmoothing: 0.1,
      weightDecay: 0.01,
      flipTest: true,
      seed: 8,
      ...overrides,
    });
  const run = async (overrides: object = {}) => {
    const model = createModel('tinyvgg', 4);
    const result = await trainModel(model, syntheticSet(300), recipe(overrides));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    model.dispose();
    return { result, weights };
  };
  const same = (a: number[][], b: number[][]) => a.every((w, i) => w.every((v, j) => v === b[i][j]));

  it('learns, repeats exactly from one seed, and each tool changes the weights it trains', async () => {
    const a = await run();
    expect(a.result.history.at(-1)!.valAccuracy).toBeGreaterThan(0.5);
    expect(same(a.weights, (await run()).weights)).toBe(true);
    for (const off of [{ erasing: 0 }, { labelSmoothing: 0 }, { weightDecay: 0 }]) {
      expect(same(a.weights, (await run(off)).weights), JSON.stringify(off)).toBe(false);
    }
    // Flip averaging touches only the evaluation: the same weights, another validation loss.
    const b = await run({ flipTest: false });
    expect(same(a.weights, b.weights)).toBe(true);
    expect(b.result.history[1].valLoss).not.toBe(a.result.history[1].valLoss);
  });
});
