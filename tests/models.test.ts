import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_CATALOG, MODEL_NAMES } from '../src/core/models/catalog.ts';
import { seededDropout } from '../src/core/models/dropout.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { crossEntropy } from '../src/core/training/loss.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { syntheticSet } from './helpers/synthetic-set.ts';
import { makeBatch } from '../src/core/data/batches.ts';

beforeAll(async () => {
  await setupBackend('wasm');
});

/** Written out by hand from each architecture (weights + biases + BatchNorm's four vectors). */
const EXPECTED_PARAMETERS = {
  // 784·128 + 128 + 128·10 + 10
  dense: 101_770,
  // (9·1·10 + 10) + 3 · (9·10·10 + 10) + (490·10 + 10)
  tinyvgg: 7_740,
  // (9·64 + 64) + (9·64·32 + 32) + (1568·256 + 256) + (256·10 + 10)
  'keras-cnn': 423_338,
  // (9·16 + 16) + (9·16·32 + 32) + (1568·16 + 16) + (16·10 + 10)
  compact: 30_074,
  // Convolutions have no bias (BatchNorm's offset replaces it); each BatchNorm holds 4 × channels.
  // (9·16 + 4·16) + (9·16·32 + 4·32) + (9·32·64 + 4·64) + (3136·128 + 128) + (128·10 + 10)
  default: 426_458,
  // 784·536 + 536 + 536·10 + 10: the dense baseline widened to about default's size
  'dense-wide': 426_130,
  // Six convolutions without bias, each followed by BatchNorm's 4 × channels, then 3·3·128 → 10:
  // (9·1·32 + 128) + (9·32·32 + 128) + (9·32·64 + 256) + (9·64·64 + 256) + (9·64·128 + 512)
  //   + (9·128·128 + 512) + (1152·10 + 10)
  wide: 299_306,
};

describe('the model zoo', () => {
  it.each(Object.entries(EXPECTED_PARAMETERS))('%s has exactly %i parameters', (name, count) => {
    const model = createModel(name as keyof typeof EXPECTED_PARAMETERS);
    expect(model.countParams()).toBe(count);
    expect(MODEL_CATALOG[name as keyof typeof EXPECTED_PARAMETERS].parameters).toBe(count);
    model.dispose();
  });

  it('lists the right parameter count for every model, ours included', () => {
    for (const name of MODEL_NAMES) {
      const model = createModel(name);
      expect(MODEL_CATALOG[name].parameters, name).toBe(model.countParams());
      model.dispose();
    }
  });

  it('builds wide as VGG-style pairs of 3×3 conv → BatchNorm → ReLU at 32, 64, 128, each pair pooled, then Dense 10', () => {
    const model = createModel('wide');
    const summary = model.layers.map((l) => `${l.getClassName()} ${(l.outputShape as number[]).slice(1).join('×')}`);
    const block = (size: number, channels: number) => [
      `Conv2D ${size}×${size}×${channels}`,
      `BatchNormalization ${size}×${size}×${channels}`,
      `Activation ${size}×${size}×${channels}`,
    ];
    expect(summary).toEqual([
      ...block(28, 32),
      ...block(28, 32),
      'MaxPooling2D 14×14×32',
      ...block(14, 64),
      ...block(14, 64),
      'MaxPooling2D 7×7×64',
      ...block(7, 128),
      ...block(7, 128),
      'MaxPooling2D 3×3×128',
      'Flatten 1152',
      'Dense 10',
    ]);
    // Convolutions without bias (BatchNorm's β is the offset), and about 298k trainable weights.
    expect(model.layers.filter((l) => l.getClassName() === 'Conv2D').every((l) => l.getConfig().useBias === false)).toBe(true);
    const trainable = model.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
    expect(trainable).toBe(298_410);
    expect(MODEL_CATALOG.wide).toMatchObject({ title: 'Wide CNN', convolutional: true });
    expect(MODEL_CATALOG.wide.origin).toMatch(/^Ours, VGG-style: the network of the Best preset/);
    model.dispose();
  });

  it('starts wide as default starts: uniform kernels within ±1/sqrt(fan-in)', () => {
    const model = createModel('wide', 1);
    for (const layer of model.layers.filter((l) => l.getClassName() === 'Conv2D' || l.getClassName() === 'Dense')) {
      const kernel = layer.getWeights()[0];
      const fanIn = kernel.shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const values = kernel.dataSync();
      const largest = Array.from(values as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(largest, layer.name).toBeLessThanOrEqual(1 / Math.sqrt(fanIn));
      expect(largest, layer.name).toBeGreaterThan(0.9 / Math.sqrt(fanIn));
    }
    model.dispose();
  });

  it('keeps compact under the 35,000 parameters its source allows', () => {
    expect(MODEL_CATALOG.compact.parameters).toBeLessThan(35_000);
  });

  it.each(MODEL_NAMES)('%s maps [n, 28, 28, 1] to softmax rows in (0, 1) that sum to 1', (name) => {
    const model = createModel(name);
    const probs = tf.tidy(() => model.predict(tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 3)) as tf.Tensor);
    expect(probs.shape).toEqual([5, 10]);
    const values = probs.arraySync() as number[][];
    for (const row of values) {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      for (const p of row) {
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThan(1);
      }
    }
    probs.dispose();
    model.dispose();
  });

  it('gives the same initial weights for the same seed and other weights for another', () => {
    const weights = (seed: number) => {
      const model = createModel('tinyvgg', seed);
      const w = model.getWeights().map((t) => Array.from(t.dataSync()));
      model.dispose();
      return w;
    };
    expect(weights(5)).toEqual(weights(5));
    expect(weights(5)[0]).not.toEqual(weights(6)[0]);
  });

  it('switches dropout off without changing the architecture or the starting weights', () => {
    const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 7);
    const withDropout = createModel('default', 3);
    const without = createModel('default', 3, { dropout: false });
    const rates = (m: tf.Sequential) => m.layers.filter((l) => l.getClassName() === 'Dropout').map((l) => l.getConfig().rate);
    expect(rates(withDropout)).toEqual([0.4, 0.4]);
    expect(rates(without)).toEqual([0, 0]);
    expect(without.countParams()).toBe(withDropout.countParams());
    const start = (m: tf.Sequential) => m.getWeights().map((t) => Array.from(t.dataSync()));
    expect(start(without)).toEqual(start(withDropout));
    // Without dropout a training-mode pass is deterministic; with it, two passes differ.
    const twice = (m: tf.Sequential) =>
      tf.tidy(() => [0, 1].map(() => Array.from((m.apply(x, { training: true }) as tf.Tensor).dataSync())));
    const [a, b] = twice(without);
    expect(a).toEqual(b);
    const [c, d] = twice(withDropout);
    expect(c).not.toEqual(d);
    tf.dispose(x);
    withDropout.dispose();
    without.dispose();
  });

  it('draws dropout masks from the model seed: new at every step, the same for the same seed', () => {
    const x = tf.ones([4, 28, 28, 1]);
    // The same starting weights (model seed 3) for all three; only the masks can tell them apart.
    const passes = (m: tf.Sequential, n: number) =>
      tf.tidy(() => Array.from({ length: n }, () => Array.from((m.apply(x, { training: true }) as tf.Tensor).dataSync())));
    const [a, b] = [createModel('default', 3), createModel('default', 3)];
    const [a1, a2, a3] = passes(a, 3);
    expect(a1).not.toEqual(a2);
    expect(a2).not.toEqual(a3);
    expect(passes(b, 3)).toEqual([a1, a2, a3]);
    // Inference ignores the masks.
    const infer = (m: tf.Sequential) => tf.tidy(() => Array.from((m.predict(x) as tf.Tensor).dataSync()));
    expect(infer(a)).toEqual(infer(b));
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('gives one seeded dropout layer the same mask sequence for a seed and another for another seed', () => {
    const x = tf.ones([2, 64]);
    const masks = (seed: number) => {
      const layer = seededDropout({ rate: 0.5 }, seed);
      return tf.tidy(() => [0, 1].map(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync())));
    };
    const [first, second] = masks(11);
    expect(first).not.toEqual(second);
    expect(new Set(first)).toEqual(new Set([0, 2])); // kept values scaled by 1 / (1 − rate)
    expect(masks(11)).toEqual([first, second]);
    expect(masks(12)[0]).not.toEqual(first);
    tf.dispose(x);
  });

  it.each(MODEL_NAMES)('one training step on %s raises the true class probability', (name) => {
    const model = createModel(name, 2);
    const set = syntheticSet(20);
    const { xs, ys } = makeBatch(
      set,
      Array.from({ length: 20 }, (_, i) => i),
      0,
      20,
    );
    const trueProb = () => tf.tidy(() => tf.sum(tf.mul(model.predict(xs) as tf.Tensor, ys)).dataSync()[0] / 20);
    const before = trueProb();
    const optimizer = tf.train.sgd(0.05);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    tf.dispose(optimizer.minimize(() => crossEntropy(model.apply(xs, { training: false }) as tf.Tensor, ys), true, variables) ?? []);
    expect(trueProb()).toBeGreaterThan(before);
    tf.dispose([xs, ys]);
    optimizer.dispose();
    model.dispose();
  });
});
