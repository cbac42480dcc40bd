import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/core/config.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { evaluateModel } from '../src/core/training/evaluate.ts';
import { predictImages, predictProbabilities } from '../src/core/training/predict.ts';
import { trainModel, type BatchProgress, type EpochResult } from '../src/core/training/train.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { syntheticSet } from './helpers/synthetic-set.ts';

beforeAll(async () => {
  await setupBackend('wasm');
});

const quick = (overrides: object = {}) =>
  validateConfig({ model: 'tinyvgg', epochs: 1, batchSize: 32, trainSize: 400, validationSplit: 0.2, learningRate: 0.01, ...overrides });

describe('the training loop', () => {
  it('learns a learnable task and reports progress as plain numbers', async () => {
    const set = syntheticSet(500);
    const model = createModel('tinyvgg', 1);
    const batches: BatchProgress[] = [];
    const epochs: EpochResult[] = [];
    const result = await trainModel(model, set, quick({ epochs: 3 }), {
      reportEvery: 2,
      onBatch: (p) => batches.push(p),
      onEpoch: (e) => {
        epochs.push(e);
      },
    });
    expect(result.stopped).toBe(false);
    expect(result.trainImages).toBe(320);
    expect(result.validationImages).toBe(80);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(result.history).toEqual(epochs);
    // 320 images / 32 = 10 batches per epoch, reported every 2.
    expect(batches.filter((b) => b.epoch === 1).map((b) => b.batch)).toEqual([2, 4, 6, 8, 10]);
    expect(batches.at(-1)!.imagesSeen).toBe(960);
    expect(batches.at(-1)!.etaSeconds).toBe(0);
    // Each epoch's time grows batch by batch and ends on exactly the number its result carries.
    for (const e of epochs) {
      const times = batches.filter((b) => b.epoch === e.epoch).map((b) => b.epochSeconds);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.at(-1)).toBe(e.seconds);
    }
    for (const b of batches) {
      expect(Number.isFinite(b.loss) && Number.isFinite(b.imagesPerSecond)).toBe(true);
      expect(b.accuracy).toBeGreaterThanOrEqual(0);
      expect(b.accuracy).toBeLessThanOrEqual(1);
    }
    expect(epochs[2].loss).toBeLessThan(epochs[0].loss);
    expect(epochs[2].valAccuracy).toBeGreaterThan(0.9);
    const test = await evaluateModel(model, syntheticSet(200, 99));
    expect(test.accuracy).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('stops at the next batch when the signal aborts, keeping a usable model', async () => {
    const set = syntheticSet(400);
    const model = createModel('dense', 1);
    const controller = new AbortController();
    let reports = 0;
    const result = await trainModel(model, set, quick({ model: 'dense', epochs: 5 }), {
      reportEvery: 1,
      onBatch: () => {
        if (++reports === 3) controller.abort();
      },
      signal: controller.signal,
    });
    expect(result.stopped).toBe(true);
    expect(result.history).toHaveLength(0);
    expect(reports).toBe(3);
    const probs = await predictProbabilities(model, set, [0, 1]);
    expect(probs.every(Number.isFinite)).toBe(true);
    model.dispose();
  });

  // The seed fixes the subset, order, augmentation and starting weights.
  it('trains the same weights from the same seed', async () => {
    const run = async () => {
      const model = createModel('tinyvgg', 4);
      await trainModel(model, syntheticSet(300), quick({ trainSize: 300, shift: 2, flip: true, seed: 4 }));
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return weights;
    };
    const [a, b] = [await run(), await run()];
    expect(a.length).toBe(10); // five layers, kernel and bias each
    a.forEach((w, i) =>
      expect(
        w.every((v, j) => v === b[i][j]),
        `weight ${i}`,
      ).toBe(true),
    );
  });

  // ... and the dropout masks (models/dropout.ts): tfjs's own Dropout draws them unseeded, and a
  // model with dropout trained different weights from one seed each time.
  it('trains the same weights from the same seed with dropout on, and others from another seed', async () => {
    const run = async (seed: number) => {
      const model = createModel('compact', 4);
      await trainModel(model, syntheticSet(200), quick({ model: 'compact', trainSize: 200, validationSplit: 0, seed }));
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      const rates = model.layers.filter((l) => l.getClassName() === 'Dropout').map((l) => l.getConfig().rate);
      model.dispose();
      return { weights, rates };
    };
    const [a, b] = [await run(4), await run(4)];
    expect(a.rates).toEqual([0.3]);
    a.weights.forEach((w, i) =>
      expect(
        w.every((v, j) => v === b.weights[i][j]),
        `weight ${i}`,
      ).toBe(true),
    );
    // Another run seed (same starting weights: the model's seed is fixed above) trains other weights.
    const c = await run(5);
    expect(a.weights.some((w, i) => w.some((v, j) => v !== c.weights[i][j]))).toBe(true);
  });

  it('does not grow tf.memory().numTensors across epochs, evaluations and predictions', async () => {
    const set = syntheticSet(200);
    for (const name of ['default', 'keras-cnn'] as const) {
      const model = createModel(name, 1);
      const config = quick({ model: name, trainSize: 200, batchSize: 50 });
      const cycle = async () => {
        await trainModel(model, set, config, { onEpoch: async () => void (await evaluateModel(model, set)) });
        await evaluateModel(model, set, [1, 2, 3]);
        await predictProbabilities(model, set);
        predictImages(model, [set.images.subarray(0, 784)]);
      };
      await cycle(); // warm-up: optimizer slots, kernels' caches
      const before = tf.memory().numTensors;
      await cycle();
      await cycle();
      expect(tf.memory().numTensors, name).toBe(before);
      model.dispose();
    }
  });
});
