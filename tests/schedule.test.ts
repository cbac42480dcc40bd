import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, scheduledLearningRate, setLearningRate } from '../src/core/training/optimizer.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('learning-rate schedules', () => {
  it('keeps a constant rate constant', () => {
    expect(scheduledLearningRate('constant', 0.01, 500, 1000)).toBe(0.01);
  });

  it('follows half a cosine from the base rate to 0', () => {
    expect(scheduledLearningRate('cosine', 0.01, 0, 1000)).toBeCloseTo(0.01, 12);
    expect(scheduledLearningRate('cosine', 0.01, 500, 1000)).toBeCloseTo(0.005, 12);
    expect(scheduledLearningRate('cosine', 0.01, 250, 1000)).toBeCloseTo(0.005 * (1 + Math.SQRT1_2), 12);
    expect(scheduledLearningRate('cosine', 0.01, 1000, 1000)).toBeCloseTo(0, 12);
  });

  it.each(['adam', 'sgd', 'rmsprop'] as const)('changes the step %s takes', (name) => {
    const step = (rate: number) => {
      const w = tf.variable(tf.tensor1d([1, -2, 3]));
      const optimizer = createOptimizer(name, 0.1);
      setLearningRate(optimizer, rate);
      tf.dispose(optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, true, [w]) ?? []);
      const moved = Math.abs(w.dataSync()[0] - 1);
      optimizer.dispose();
      w.dispose();
      return moved;
    };
    expect(step(0)).toBe(0);
    expect(step(0.01)).toBeGreaterThan(0);
    expect(step(0.02)).toBeCloseTo(2 * step(0.01), 6);
  });
});
