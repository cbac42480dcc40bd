/**
 * Heat maps of why a model gives a class its score, both on the class's logit (its score before
 * softmax: the softmax's gradient vanishes once the answer is confident, and says nothing then).
 *
 * - Grad-CAM: at a convolution layer, each feature map is weighted by how much the class's score
 *   rises with it on average (the mean of the score's gradient over the map), the weighted maps are
 *   summed and only the positive part kept: where the layer saw what speaks for the class. It is
 *   as coarse as the layer's maps, so it is scaled up to the picture.
 * - SmoothGrad: the gradient of the class's score with respect to each input pixel, averaged over
 *   noisy copies of the picture (one gradient alone is speckled), positive part kept: where more
 *   ink would make the model say the class more.
 *
 * Tensor functions, to be called inside tf.tidy; inspector.ts reads them back.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../classes.ts';
import { classScore, logitsFrom } from './forward.ts';
import type { ModelStages, Stage } from './model-stages.ts';

/** Noisy copies SmoothGrad averages over, and their noise (pixels run from 0 to 1). */
export const SMOOTHGRAD_SAMPLES = 12;
export const SMOOTHGRAD_NOISE = 0.15;
/** The noise is seeded: the same picture gives the same map. */
const SMOOTHGRAD_SEED = 23;

/**
 * Grad-CAM of class `target` at `stage` from that stage's activations [1, h, w, k].
 * @returns the coarse map [h, w] (positive part, not scaled)
 */
export function gradCam(
  model: tf.LayersModel,
  stages: ModelStages,
  stage: Stage,
  activations: tf.Tensor4D,
  target: tf.Tensor1D,
): tf.Tensor2D {
  const score = (a: tf.Tensor) => classScore(logitsFrom(model, stages, stage.outputIndex, a), target);
  const gradients = tf.grad(score)(activations) as tf.Tensor4D;
  const weights = tf.mean(gradients, [1, 2], true);
  const [, h, w] = activations.shape;
  return tf.relu(tf.sum(tf.mul(activations, weights), 3)).reshape([h, w]) as tf.Tensor2D;
}

/** A coarse map [h, w] scaled up to the picture [28, 28], each cell over the pixels it covers. */
export function toPicture(map: tf.Tensor2D): tf.Tensor2D {
  const [h, w] = map.shape;
  const image = map.reshape([1, h, w, 1]) as tf.Tensor4D;
  return tf.image.resizeBilinear(image, [IMAGE_SIZE, IMAGE_SIZE], false, true).reshape([IMAGE_SIZE, IMAGE_SIZE]) as tf.Tensor2D;
}

/** SmoothGrad of class `target` for `input` [1, 28, 28, 1]: the map [28, 28] (positive part, not scaled). */
export function smoothGrad(model: tf.LayersModel, stages: ModelStages, input: tf.Tensor4D, target: tf.Tensor1D): tf.Tensor2D {
  const noise = tf.randomNormal([SMOOTHGRAD_SAMPLES, IMAGE_SIZE, IMAGE_SIZE, 1], 0, SMOOTHGRAD_NOISE, 'float32', SMOOTHGRAD_SEED);
  const noisy = tf.add(input, noise) as tf.Tensor4D;
  const score = (x: tf.Tensor) => classScore(logitsFrom(model, stages, -1, x), tf.tile(target, [SMOOTHGRAD_SAMPLES]) as tf.Tensor1D);
  const gradients = tf.grad(score)(noisy);
  return tf.relu(tf.mean(gradients, 0)).reshape([IMAGE_SIZE, IMAGE_SIZE]) as tf.Tensor2D;
}
