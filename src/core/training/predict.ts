/** Class probabilities of many images at once, in batches, for evaluation. */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from '../classes.ts';
import { batchPixels } from '../data/batches.ts';
import type { ImageSet } from '../data/image-set.ts';
import { throwIfStopped, type StopSignal } from '../signal.ts';
import { yieldToEventLoop } from '../yield.ts';

/** Images per forward pass when evaluating: big enough to keep the backend busy, small on memory. */
export const PREDICT_BATCH = 500;

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
): Promise<Float32Array> {
  const order = indices ?? Int32Array.from({ length: set.count }, (_, i) => i);
  const out = new Float32Array(order.length * NUM_CLASSES);
  for (let start = 0; start < order.length; start += PREDICT_BATCH) {
    throwIfStopped(signal);
    const end = Math.min(start + PREDICT_BATCH, order.length);
    const probs = tf.tidy(() => {
      const xs = tf.tensor4d(batchPixels(set, order, start, end), [end - start, IMAGE_SIZE, IMAGE_SIZE, 1]);
      return model.predict(xs) as tf.Tensor;
    });
    try {
      out.set(await probs.data(), start * NUM_CLASSES);
    } finally {
      probs.dispose();
    }
    await yieldToEventLoop();
  }
  return out;
}

/** Probabilities for single images given as 784 bytes each (drawings, uploads). */
export function predictImages(model: tf.LayersModel, images: Uint8Array[]): Float32Array {
  const pixels = new Float32Array(images.length * IMAGE_SIZE * IMAGE_SIZE);
  images.forEach((image, i) => {
    for (let p = 0; p < image.length; p++) pixels[i * image.length + p] = image[p] / 255;
  });
  const probs = tf.tidy(() => model.predict(tf.tensor4d(pixels, [images.length, IMAGE_SIZE, IMAGE_SIZE, 1])) as tf.Tensor);
  try {
    return probs.dataSync() as Float32Array;
  } finally {
    probs.dispose();
  }
}
