/**
 * One 28×28 picture (a drawing, an upload) through a trained tfjs model: the probabilities of the
 * ten classes (rank.ts ranks them, without tfjs). Every tensor is freed before the promise
 * resolves. The page's classification service runs it through app/classify/tfjs-model-runtime.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE } from './classes.ts';
import { predictPixels, type PredictOptions } from './training/predict.ts';

export type ClassifyOptions = PredictOptions;

/**
 * Class probabilities of one image of 784 bytes (row-major, 0 = background, 255 = object) as the
 * model outputs them, or with `{ flipTest: true }` the mean of the model's probabilities for the
 * image and for its left-right mirror (test-time flip averaging, what the Best preset evaluates
 * with). Reads the result back asynchronously, so a GPU backend does not stall the page.
 * @throws RangeError when the image is not 784 bytes
 */
export async function classifyImage(model: tf.LayersModel, image: Uint8Array, options: ClassifyOptions = {}): Promise<Float32Array> {
  if (image.length !== IMAGE_PIXELS) {
    throw new RangeError(`image has ${image.length} bytes, expected ${IMAGE_PIXELS} (${IMAGE_SIZE}×${IMAGE_SIZE})`);
  }
  const pixels = new Float32Array(IMAGE_PIXELS);
  for (let p = 0; p < IMAGE_PIXELS; p++) pixels[p] = image[p] / 255;
  return predictPixels(model, pixels, 1, options);
}

/** classifyImage with test-time flip averaging: the mean over the image and its left-right mirror. */
export function classifyImageFlipAveraged(model: tf.LayersModel, image: Uint8Array): Promise<Float32Array> {
  return classifyImage(model, image, { flipTest: true });
}
