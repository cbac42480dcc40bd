/**
 * FusedAdam (src/core/training/adam.ts) must move weights exactly as tf.train.adam does, on the
 * cpu backend (tensor ops) and on wasm (our one-kernel update), step after step and under a
 * changing learning rate, and must leave no tensors behind. The WebGL kernel is checked against
 * tf.train.adam in Chromium (tests/browser/adam-webgl.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ADAM_KERNEL } from '../src/core/kernels/adam-kernels.ts';
import { FusedAdam } from '../src/core/training/adam.ts';
import { createOptimizer, setLearningRate } from '../src/core/training/optimizer.ts';
import { data, expectNoLeaks, useParityBackends, worst } from './helpers/parity.ts';

useParityBackends();

/** Weights of a few shapes (a conv kernel, a bias, a matrix) and a loss with uneven gradients. */
function problem() {
  const weights = [data([3, 3, 2, 4], 1), data([4], 2), data([17, 5], 3)].map((t) => tf.variable(t));
  const targets = [data([3, 3, 2, 4], 4), data([4], 5), data([17, 5], 6)];
  const loss = () =>
    tf.addN(weights.map((w, i) => tf.sum(tf.mul(tf.square(tf.sub(w, targets[i])), i + 1)))) as tf.Scalar;
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
