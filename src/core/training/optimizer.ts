/** Creates the optimizer of a run and sets its learning rate by the schedule (warm-up, cosine, step). */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName, ScheduleName } from '../config.ts';
import { FusedAdam, isDecayedWeight } from './adam.ts';

/**
 * A fresh optimizer for one run; the caller disposes it (Adam keeps two moments per weight).
 * `weightDecay` is decoupled weight decay on the kernels (isDecayedWeight): inside our Adam's
 * kernel for 'adam' (AdamW), a step of its own before tfjs's update for 'sgd' and 'rmsprop'.
 */
export function createOptimizer(name: OptimizerName, learningRate: number, weightDecay = 0): tf.Optimizer {
  switch (name) {
    case 'adam':
      // tf.train.adam's update in one kernel per weight (adam.ts): a third of a WebGL step's dispatches.
      return new FusedAdam(learningRate, { weightDecay });
    case 'sgd':
      return withWeightDecay(tf.train.sgd(learningRate), weightDecay);
    case 'rmsprop':
      return withWeightDecay(tf.train.rmsprop(learningRate), weightDecay);
  }
}

/**
 * Makes `optimizer` shrink each kernel by learningRate × weightDecay of itself before its own
 * update, at every step: w' = w − lr·wd·w − update(g), the gradient taken at w. Nothing changes
 * when weightDecay is 0.
 */
export function withWeightDecay<T extends tf.Optimizer>(optimizer: T, weightDecay: number, decays = isDecayedWeight): T {
  if (weightDecay <= 0) return optimizer;
  const applyGradients = optimizer.applyGradients.bind(optimizer);
  optimizer.applyGradients = (gradients) => {
    const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
    const rate = (optimizer as unknown as { learningRate: number }).learningRate * weightDecay;
    for (const name of names) {
      if (!decays(name)) continue;
      const weight = tf.engine().registeredVariables[name];
      tf.tidy(() => weight.assign(tf.sub(weight, tf.mul(weight, rate))));
    }
    applyGradients(gradients);
  };
  return optimizer;
}

/**
 * The learning rate for `step` (0-based) of `totalSteps` under `schedule`, after a linear warm-up
 * over the first `warmup` fraction of the steps (step k of W warm-up steps takes (k+1)/W of the
 * base rate, so the first step already moves). The schedule then runs over the remaining steps.
 */
export function scheduledLearningRate(schedule: ScheduleName, base: number, step: number, totalSteps: number, warmup = 0): number {
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
