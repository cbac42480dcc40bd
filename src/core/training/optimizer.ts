import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../config.ts';

/** A fresh optimizer for one run; the caller disposes it (Adam keeps two moments per weight). */
export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
  }
}
