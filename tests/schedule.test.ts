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

  it('warms up linearly over the first fraction of the steps, then runs the schedule over the rest', () => {
    // 1000 steps, 5% warm-up: steps 0..49 climb to the base rate, the cosine runs over 950 steps.
    expect(scheduledLearningRate('cosine', 0.01, 0, 1000, 0.05)).toBeCloseTo(0.01 / 50, 12);
    expect(scheduledLearningRate('cosine', 0.01, 24, 1000, 0.05)).toBeCloseTo(0.005, 12);
    expect(scheduledLearningRate('cosine', 0.01, 49, 1000, 0.05)).toBeCloseTo(0.01, 12);
    expect(scheduledLearningRate('cosine', 0.01, 50, 1000, 0.05)).toBeCloseTo(0.01, 12);
    expect(scheduledLearningRate('cosine', 0.01, 50 + 475, 1000, 0.05)).toBeCloseTo(0.005, 12);
    expect(scheduledLearningRate('cosine', 0.01, 1000, 1000, 0.05)).toBeCloseTo(0, 12);
    // With a constant schedule the rate stays at the base after the ramp.
    expect(scheduledLearningRate('constant', 0.01, 10, 1000, 0.05)).toBeCloseTo(0.01 * (11 / 50), 12);
    expect(scheduledLearningRate('constant', 0.01, 900, 1000, 0.05)).toBe(0.01);
    // Rising all the way through the ramp: every step takes a larger rate than the one before.
    const ramp = Array.from({ length: 50 }, (_, step) => scheduledLearningRate('cosine', 0.01, step, 1000, 0.05));
    expect(ramp.every((rate, i) => i === 0 || rate > ramp[i - 1])).toBe(true);
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
