/**
 * What a classifier has made of a picture just before it scores the classes: the input of its last
 * dense layer (the penultimate layer's output). Pictures the model finds alike lie close together
 * in this space; the test-set map lays it out flat and the nearest test images are found in it.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../classes.ts';
import { throwIfStopped, type StopSignal } from '../signal.ts';
import { yieldToEventLoop } from '../yield.ts';

/** Pictures per forward pass: large enough to keep the backend busy, small enough to stop soon when asked. */
export const FEATURE_BATCH = 250;

export class TestSetMapError extends Error {}

/** Feature vectors of many pictures, row after row. */
export interface Features {
  /** count × dim values, row-major. */
  values: Float32Array;
  count: number;
  dim: number;
}

/**
 * A model from `model`'s input to the input of its last dense layer, sharing `model`'s layers and
 * weights. Never dispose it: disposing a model disposes its layers, which are `model`'s.
 * @throws TestSetMapError when the model has no dense layer fed by a single flat input
 */
export function featureModel(model: tf.LayersModel): tf.LayersModel {
  const layers = model.layers;
  for (let i = layers.length - 1; i >= 0; i--) {
    if (layers[i].getClassName() !== 'Dense') continue;
    const input = layers[i].input;
    if (Array.isArray(input) || input.shape.length !== 2) break;
    return tf.model({ inputs: model.inputs, outputs: input });
  }
  throw new TestSetMapError('the map needs a model whose last dense layer turns one flat vector into the class scores');
}

/**
 * The features of `count` pictures of 784 bytes each (row-major, 0 = background), as the model
 * computes them when it answers (dropout off, batch normalisation on its moving statistics). Runs
 * in batches and lets the event loop in between them, so a stop (`signal`) is heard; every tensor
 * is freed before it resolves.
 * @throws StoppedError when `signal` is aborted
 */
export async function featuresOf(
  probe: tf.LayersModel,
  images: Uint8Array,
  count: number,
  options: { signal?: StopSignal; batch?: number } = {},
): Promise<Features> {
  if (images.length !== count * IMAGE_PIXELS) {
    throw new RangeError(`${count} pictures need ${count * IMAGE_PIXELS} bytes, got ${images.length}`);
  }
  const batch = options.batch ?? FEATURE_BATCH;
  const dim = (probe.outputs[0].shape[1] ?? 0) as number;
  const values = new Float32Array(count * dim);
  for (let start = 0; start < count; start += batch) {
    throwIfStopped(options.signal);
    const n = Math.min(batch, count - start);
    const pixels = new Float32Array(n * IMAGE_PIXELS);
    for (let p = 0; p < pixels.length; p++) pixels[p] = images[start * IMAGE_PIXELS + p] / 255;
    const out = tf.tidy(() => probe.predict(tf.tensor4d(pixels, [n, IMAGE_SIZE, IMAGE_SIZE, 1])) as tf.Tensor);
    try {
      values.set((await out.data()) as Float32Array, start * dim);
    } finally {
      out.dispose();
    }
    if (start + n < count) await yieldToEventLoop();
  }
  return { values, count, dim };
}
