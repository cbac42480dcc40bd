/** Class probabilities of many images at once, in batches, for evaluation; optionally flip-averaged. */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../classes.ts';
import { batchPixels } from '../data/batches.ts';
import type { ImageSet } from '../data/image-set.ts';
import { throwIfStopped, type StopSignal } from '../signal.ts';
import { yieldToEventLoop } from '../yield.ts';

/** Images per forward pass when evaluating: big enough to keep the backend busy, small on memory. */
export const PREDICT_BATCH = 500;

export interface PredictOptions {
  /**
   * Test-time flip averaging: each image's probabilities are the mean of the model's output for
   * it and for its left-right mirror (both go through one forward pass of twice the batch).
   */
  flipTest?: boolean;
}

/**
 * `count` images of 784 floats followed by their left-right mirrors, in the same order: the
 * input of a flip-averaged forward pass.
 */
export function withMirrors(pixels: Float32Array, count: number): Float32Array {
  const out = new Float32Array(2 * count * IMAGE_PIXELS);
  out.set(pixels.subarray(0, count * IMAGE_PIXELS));
  for (let i = 0; i < count; i++) {
    for (let y = 0; y < IMAGE_SIZE; y++) {
      const row = i * IMAGE_PIXELS + y * IMAGE_SIZE;
      const mirrored = (count + i) * IMAGE_PIXELS + y * IMAGE_SIZE;
      for (let x = 0; x < IMAGE_SIZE; x++) out[mirrored + x] = pixels[row + IMAGE_SIZE - 1 - x];
    }
  }
  return out;
}

/** Probabilities [2·count × 10] of images then mirrors, averaged pairwise into [count × 10]. */
export function averageMirrored(probs: ArrayLike<number>, count: number): Float32Array {
  const n = count * NUM_CLASSES;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) out[k] = (probs[k] + probs[n + k]) / 2;
  return out;
}

/**
 * Runs `model` on `count` images of 784 floats in [0, 1] and returns a tensor [count, 10] or,
 * with flipTest, [2·count, 10] (images, then mirrors) for averageMirrored. Call inside tf.tidy.
 */
function forward(model: tf.LayersModel, pixels: Float32Array, count: number, flipTest: boolean): tf.Tensor {
  const rows = flipTest ? 2 * count : count;
  const input = flipTest ? withMirrors(pixels, count) : pixels;
  return model.predict(tf.tensor4d(input, [rows, IMAGE_SIZE, IMAGE_SIZE, 1])) as tf.Tensor;
}

/**
 * Class probabilities for `count` images given as 784 floats in [0, 1] each, read back
 * asynchronously as a flat Float32Array [count × 10], flip-averaged if asked.
 */
export async function predictPixels(
  model: tf.LayersModel,
  pixels: Float32Array,
  count: number,
  options: PredictOptions = {},
): Promise<Float32Array> {
  const flipTest = options.flipTest ?? false;
  const probs = tf.tidy(() => forward(model, pixels, count, flipTest));
  try {
    const values = (await probs.data()) as Float32Array;
    return flipTest ? averageMirrored(values, count) : new Float32Array(values);
  } finally {
    probs.dispose();
  }
}

/**
 * Class probabilities for the images at `indices` (all of `set` by default), as a flat row-major
 * Float32Array [n × 10]. Runs in batches and reads each back asynchronously, so neither the GPU
 * pipeline nor the page stalls, and nothing but the result outlives the call.
 */
export async function predictProbabilities(
  model: tf.LayersModel,
  set: ImageSet,
  indices?: ArrayLike<number>,
  signal?: StopSignal,
  options: PredictOptions = {},
): Promise<Float32Array> {
  const order = indices ?? Int32Array.from({ length: set.count }, (_, i) => i);
  const out = new Float32Array(order.length * NUM_CLASSES);
  for (let start = 0; start < order.length; start += PREDICT_BATCH) {
    throwIfStopped(signal);
    const end = Math.min(start + PREDICT_BATCH, order.length);
    out.set(await predictPixels(model, batchPixels(set, order, start, end), end - start, options), start * NUM_CLASSES);
    await yieldToEventLoop();
  }
  return out;
}

/** Probabilities for single images given as 784 bytes each (drawings, uploads). */
export function predictImages(model: tf.LayersModel, images: Uint8Array[], options: PredictOptions = {}): Float32Array {
  const flipTest = options.flipTest ?? false;
  const pixels = new Float32Array(images.length * IMAGE_PIXELS);
  images.forEach((image, i) => {
    for (let p = 0; p < image.length; p++) pixels[i * image.length + p] = image[p] / 255;
  });
  const probs = tf.tidy(() => forward(model, pixels, images.length, flipTest));
  try {
    const values = probs.dataSync() as Float32Array;
    return flipTest ? averageMirrored(values, images.length) : values;
  } finally {
    probs.dispose();
  }
}
