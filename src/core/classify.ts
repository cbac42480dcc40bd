/**
 * Classifying one 28×28 picture (a drawing, an upload) with a trained model: the probabilities of
 * the ten classes and their ranking. Every tensor is freed before the promise resolves.
 */
import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES, IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES, type ClassName } from './classes.ts';

export interface RankedClass {
  /** Label 0-9. */
  label: number;
  name: ClassName;
  probability: number;
}

/**
 * Class probabilities of one image of 784 bytes (row-major, 0 = background, 255 = object) as the
 * model outputs them. Reads the result back asynchronously, so a GPU backend does not stall the page.
 * @throws RangeError when the image is not 784 bytes
 */
export async function classifyImage(model: tf.LayersModel, image: Uint8Array): Promise<Float32Array> {
  if (image.length !== IMAGE_PIXELS) {
    throw new RangeError(`image has ${image.length} bytes, expected ${IMAGE_PIXELS} (${IMAGE_SIZE}×${IMAGE_SIZE})`);
  }
  const pixels = new Float32Array(IMAGE_PIXELS);
  for (let p = 0; p < IMAGE_PIXELS; p++) pixels[p] = image[p] / 255;
  const probs = tf.tidy(() => model.predict(tf.tensor4d(pixels, [1, IMAGE_SIZE, IMAGE_SIZE, 1])) as tf.Tensor);
  try {
    return new Float32Array(await probs.data());
  } finally {
    probs.dispose();
  }
}

/** The ten classes sorted by probability, most probable first (ties keep label order). */
export function rankClasses(probabilities: ArrayLike<number>): RankedClass[] {
  if (probabilities.length !== NUM_CLASSES) {
    throw new RangeError(`probabilities has length ${probabilities.length}, expected ${NUM_CLASSES}`);
  }
  return CLASS_NAMES.map((name, label) => ({ label, name, probability: probabilities[label] }))
    .sort((a, b) => b.probability - a.probability || a.label - b.label);
}
