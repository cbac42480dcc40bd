/** Creates the optimizer of a run and sets its learning rate by the schedule (warm-up, cosine, step). */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName, ScheduleName } from '../config.ts';
import { FusedAdam } from './adam.ts';

/** A fresh optimizer for one run; the caller disposes it (Adam keeps two moments per weight). */
export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      // tf.train.adam's update in one kernel per weight (adam.ts): a third of a WebGL step's dispatches.
      return new FusedAdam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
  }
}

/**
 * The learning rate for `step` (0-based) of `totalSteps` under `schedule`, after a linear warm-up
 * over the first `warmup` fraction of the steps (step k of W warm-up steps takes (k+1)/W of the
 * base rate, so the first step already moves). The schedule then runs over the remaining steps.
 */
export function scheduledLearningRate(
  schedule: ScheduleName,
  base: number,
  step: number,
  totalSteps: number,
  warmup = 0,
): number {
  const warmupSteps = Math.floor(warmup * totalSteps);
  if (step < warmupSteps) return (base * (step + 1)) / warmupSteps;
  const steps = totalSteps - warmupSteps;
  if (schedule === 'constant' || steps <= 1) return base;
  return 0.5 * base * (1 + Math.cos((Math.PI * Math.min(step - warmupSteps, steps)) / steps));
}

/**
 * Changes an optimizer's learning rate between steps. Adam and RMSProp read their public
 * `learningRate` field at every step; SGD caches it in a tensor that setLearningRate rebuilds.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // Not `instanceof tf.SGDOptimizer`: tfjs makes instanceof duck-typed, true for every optimizer.
  const target = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void };
  if (typeof target.setLearningRate === 'function') target.setLearningRate(learningRate);
  else target.learningRate = learningRate;
}
