/**
 * Runs a chain model's layers by hand (model-stages.ts checked that they form one chain): from
 * any layer's output on to the class scores before softmax (the logits), which is what the why
 * maps differentiate. The logits are the last dense layer's linear part, input · kernel + bias:
 * the shipped models fold their calibration temperature into that layer, so these are the
 * calibrated scores whose softmax the page shows.
 */
import * as tf from '@tensorflow/tfjs';
import { InsideError, type ModelStages } from './model-stages.ts';

/** The last dense layer's kernel and bias (the bias may be absent). */
function logitWeights(model: tf.LayersModel, stages: ModelStages): { kernel: tf.Tensor2D; bias: tf.Tensor1D | null } {
  const layer = model.layers[stages.logitIndex];
  const [kernel, bias] = layer.getWeights();
  if (!kernel || kernel.rank !== 2) throw new InsideError('this view needs the last dense layer to take a flat vector');
  return { kernel: kernel as tf.Tensor2D, bias: (bias as tf.Tensor1D | undefined) ?? null };
}

/** Logits [batch, classes] from the input of the last dense layer [batch, features]. Call inside tf.tidy. */
export function logitsFromFeatures(model: tf.LayersModel, stages: ModelStages, features: tf.Tensor): tf.Tensor2D {
  const { kernel, bias } = logitWeights(model, stages);
  const linear: tf.Tensor = tf.matMul(features as tf.Tensor2D, kernel);
  return bias ? (tf.add(linear, bias) as tf.Tensor2D) : (linear as tf.Tensor2D);
}

/**
 * Logits [batch, classes] from the output of layer `after` (-1: from the model's input), running
 * each later layer in inference mode (dropout off, batch normalisation on its moving statistics).
 * Call inside tf.tidy; differentiable.
 */
export function logitsFrom(model: tf.LayersModel, stages: ModelStages, after: number, x: tf.Tensor): tf.Tensor2D {
  let y = x;
  for (let i = after + 1; i < stages.logitIndex; i++) y = model.layers[i].apply(y, { training: false }) as tf.Tensor;
  return logitsFromFeatures(model, stages, y);
}

/** The score of class `target` for each row of `logits`, summed: the scalar a why-map differentiates. */
export function classScore(logits: tf.Tensor2D, target: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.mul(logits, tf.oneHot(target, logits.shape[1]).cast('float32'))) as tf.Scalar;
}
