/**
 * FusedAdam (src/core/training/adam.ts) must move weights exactly as tf.train.adam does, on the
 * cpu backend (tensor ops) and on wasm (our one-kernel update), step after step and under a
 * changing learning rate, and must leave no tensors behind. The WebGL kernel is checked against
 * tf.train.adam in Chromium (tests/browser/training-webgl.test.ts).
 *
 * With weight decay it is AdamW: checked against a plain-JS AdamW (PyTorch's update, in doubles)
 * for a few steps, kernels decayed and biases and BatchNorm's γ left alone.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ADAM_KERNEL } from '../src/core/kernels/adam-kernels.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { FusedAdam, isDecayedWeight } from '../src/core/training/adam.ts';
import { createOptimizer, setLearningRate } from '../src/core/training/optimizer.ts';
import { referenceAdamW } from './helpers/adamw.ts';
import { data, expectNoLeaks, useParityBackends, worst } from './helpers/parity.ts';

useParityBackends();

/** Weights of a few shapes (a conv kernel, a bias, a matrix) and a loss with uneven gradients. */
function problem() {
  const weights = [data([3, 3, 2, 4], 1), data([4], 2), data([17, 5], 3)].map((t) => tf.variable(t));
  const targets = [data([3, 3, 2, 4], 4), data([4], 5), data([17, 5], 6)];
  const loss = () => tf.addN(weights.map((w, i) => tf.sum(tf.mul(tf.square(tf.sub(w, targets[i])), i + 1)))) as tf.Scalar;
  return { weights, targets, loss };
}

/** Trains the problem `steps` steps with `optimizer`, the rate changing halfway, and reads the weights. */
async function train(optimizer: tf.Optimizer, steps: number): Promise<Float32Array[]> {
  const { weights, targets, loss } = problem();
  for (let s = 0; s < steps; s++) {
    if (s === steps / 2) setLearningRate(optimizer, 0.02);
    tf.dispose(optimizer.minimize(loss, true, weights) ?? []);
  }
  const values = await Promise.all(weights.map((w) => w.data() as Promise<Float32Array>));
  optimizer.dispose();
  tf.dispose([...weights, ...targets]);
  return values;
}

describe.each(['cpu', 'wasm'] as const)('FusedAdam on %s', (backend) => {
  it(backend === 'wasm' ? 'runs as one kernel per weight' : 'runs as tensor ops', async () => {
    await tf.setBackend(backend);
    expect(tf.getKernel(ADAM_KERNEL, backend) != null).toBe(backend === 'wasm');
    const optimizer = new FusedAdam(0.05);
    const { weights, loss, targets } = problem();
    const profile = await tf.profile(() => tf.dispose(optimizer.minimize(loss, true, weights) ?? []));
    const adamKernels = profile.kernels.filter((k) => k.name === ADAM_KERNEL).length;
    expect(adamKernels).toBe(backend === 'wasm' ? weights.length : 0);
    optimizer.dispose();
    tf.dispose([...weights, ...targets]);
  });

  it('moves the weights as tf.train.adam does, over 20 steps with a rate change', async () => {
    await tf.setBackend(backend);
    const ours = await train(createOptimizer('adam', 0.05), 20);
    const theirs = await train(tf.train.adam(0.05), 20);
    for (let i = 0; i < ours.length; i++) {
      const v = worst(ours[i], theirs[i], 1e-5);
      expect(v.ratio, `weight ${i}: ours ${v.a} vs tfjs ${v.b} at ${v.index}`).toBeLessThanOrEqual(1);
    }
    // Not vacuous: the weights moved well away from where they started.
    const start = (await data([17, 5], 3).data()) as Float32Array;
    expect(Math.max(...ours[2].map((x, i) => Math.abs(x - start[i])))).toBeGreaterThan(0.1);
  });

  it('keeps the tensor count flat across steps', async () => {
    await tf.setBackend(backend);
    const optimizer = new FusedAdam(0.01);
    const { weights, loss, targets } = problem();
    expectNoLeaks(() => tf.dispose(optimizer.minimize(loss, true, weights) ?? []));
    optimizer.dispose();
    tf.dispose([...weights, ...targets]);
  });
});

let runs = 0;
/** Three weights named as a layer's kernel, bias and BatchNorm gamma, trained `rates.length` steps. */
async function trainNamed(optimizer: tf.Optimizer, rates: number[]) {
  const shapes = [[3, 3, 2, 4], [4], [6]];
  const names = ['conv2d_test/kernel', 'conv2d_test/bias', 'batch_normalization_test/gamma'].map((n) => `run${++runs}_${n}`);
  const starts = shapes.map((shape, i) => data(shape, 20 + i));
  const targets = shapes.map((shape, i) => data(shape, 30 + i));
  const weights = starts.map((t, i) => tf.variable(t, true, names[i]));
  const loss = () => tf.addN(weights.map((w, i) => tf.sum(tf.mul(tf.square(tf.sub(w, targets[i])), i + 1)))) as tf.Scalar;
  for (const rate of rates) {
    setLearningRate(optimizer, rate);
    tf.dispose(optimizer.minimize(loss, true, weights) ?? []);
  }
  const read = (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => Array.from(await t.data())));
  const result = { names, start: await read(starts), targets: await read(targets), weights: await read(weights) };
  optimizer.dispose();
  tf.dispose([...weights, ...starts, ...targets]);
  return result;
}

describe('decoupled weight decay', () => {
  it('picks the kernels of convolutions and dense layers, not biases nor BatchNorm', () => {
    expect(isDecayedWeight('conv2d_Conv2D3/kernel')).toBe(true);
    expect(isDecayedWeight('dense_Dense1/kernel_1')).toBe(true);
    expect(isDecayedWeight('dense_Dense1/bias')).toBe(false);
    expect(isDecayedWeight('batch_normalization_BatchNormalization2/gamma')).toBe(false);
    expect(isDecayedWeight('batch_normalization_BatchNormalization2/beta')).toBe(false);
    expect(isDecayedWeight('my_kernel_layer/bias')).toBe(false);
    // The wide CNN: six convolution kernels and the classifier's, nothing else.
    const model = createModel('wide');
    const decayed = model.trainableWeights.filter((w) => isDecayedWeight((w.read() as tf.Variable).name));
    expect(decayed.map((w) => w.shape.length)).toEqual([4, 4, 4, 4, 4, 4, 2]);
    model.dispose();
  });
});

describe.each(['cpu', 'wasm'] as const)('FusedAdam with weight decay (AdamW) on %s', (backend) => {
  // A large decay (the config allows up to 0.01) so that it moves the weights far beyond the tolerance.
  const wd = 0.5;
  const rates = [0.05, 0.05, 0.04, 0.03, 0.02, 0.02];

  it('moves the weights as a plain-JS AdamW does, decaying the kernel only', async () => {
    await tf.setBackend(backend);
    const ours = await trainNamed(new FusedAdam(0.05, { weightDecay: wd }), rates);
    const eps = tf.backend().epsilon();
    const decayed = ours.names.map(isDecayedWeight);
    expect(decayed).toEqual([true, false, false]);
    const reference = referenceAdamW(ours.start, ours.targets, decayed, rates, wd, eps);
    const plain = referenceAdamW(ours.start, ours.targets, decayed, rates, 0, eps);
    for (let i = 0; i < reference.length; i++) {
      const v = worst(ours.weights[i], reference[i], 1e-5);
      expect(v.ratio, `weight ${i}: ours ${v.a} vs reference ${v.b} at ${v.index}`).toBeLessThanOrEqual(1);
    }
    // Not vacuous: the decay moved the kernel far more than the tolerance; bias and gamma are plain Adam.
    expect(Math.max(...reference[0].map((x, j) => Math.abs(x - plain[0][j])))).toBeGreaterThan(1e-3);
    expect(plain[1]).toEqual(reference[1]);
  });

  it('is plain Adam at weight decay 0, and still one kernel per weight with it', async () => {
    await tf.setBackend(backend);
    const zero = await trainNamed(new FusedAdam(0.05, { weightDecay: 0 }), rates);
    const eps = tf.backend().epsilon();
    const plain = referenceAdamW(zero.start, zero.targets, [true, true, true], rates, 0, eps);
    zero.weights.forEach((w, i) => expect(worst(w, plain[i], 1e-5).ratio).toBeLessThanOrEqual(1));

    const optimizer = createOptimizer('adam', 0.05, 0.01);
    const weights = [
      tf.variable(data([5, 3], 40), true, `run${++runs}_dense/kernel`),
      tf.variable(data([3], 41), true, `run${runs}_dense/bias`),
    ];
    const loss = () => tf.sum(tf.addN(weights.map((w) => tf.sum(tf.square(w))))) as tf.Scalar;
    const profile = await tf.profile(() => tf.dispose(optimizer.minimize(loss, true, weights) ?? []));
    expect(profile.kernels.filter((k) => k.name === ADAM_KERNEL).length).toBe(backend === 'wasm' ? 2 : 0);
    expectNoLeaks(() => tf.dispose(optimizer.minimize(loss, true, weights) ?? []));
    optimizer.dispose();
    tf.dispose(weights);
  });

  it('decays kernels before the update for sgd and rmsprop too', async () => {
    await tf.setBackend(backend);
    // SGD: w' = w − lr·wd·w − lr·g exactly, with g = 2(i+1)(w − target) at the old w.
    const lr = 0.05;
    const ours = await trainNamed(createOptimizer('sgd', lr, wd), [lr]);
    ours.weights.forEach((w, i) => {
      const expected = ours.start[i].map((x, j) => x - (i === 0 ? lr * wd * x : 0) - lr * 2 * (i + 1) * (x - ours.targets[i][j]));
      const v = worst(w, expected, 1e-5);
      expect(v.ratio, `weight ${i}`).toBeLessThanOrEqual(1);
    });
    // RMSProp: decaying changes the kernel only.
    const [a, b] = [
      await trainNamed(createOptimizer('rmsprop', lr, wd), rates),
      await trainNamed(createOptimizer('rmsprop', lr, 0), rates),
    ];
    expect(a.weights[0]).not.toEqual(b.weights[0]);
    expect(a.weights.slice(1)).toEqual(b.weights.slice(1));
  });
});
