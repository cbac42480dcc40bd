/**
 * The page's own tfjs, for classifying drawings and uploads on the main thread. Loaded lazily (it
 * pulls in tfjs), so the page's first paint does not wait for it.
 *
 * Backend: where the training engine runs in a worker, the page's tfjs is ours alone and uses the
 * `cpu` backend: one 28×28 image through the default CNN takes milliseconds, and it creates no
 * second WebGL context (slow on a software renderer, a risk of context loss on a real GPU). Where
 * the engine falls back to the main thread it shares this tfjs: we never switch the backend under
 * it and use whatever it chose.
 */
import * as tf from '@tensorflow/tfjs';
import { classifyImage } from '../../core/classify.ts';
import { loadCheckedModel, type ModelData } from '../../core/model-check.ts';

export type LayersModel = tf.LayersModel;

let backend: Promise<string> | null = null;

/** Readies tfjs: the `cpu` backend when `own`, else the backend already active. */
export function prepareBackend(own: boolean): Promise<string> {
  backend ??= (async () => {
    if (own && !(await tf.setBackend('cpu'))) throw new Error('the cpu backend of tfjs did not start');
    await tf.ready();
    return tf.getBackend();
  })();
  return backend;
}

/** Builds and checks a model from plain data (see loadCheckedModel); the caller disposes it. */
export const buildModel = (data: ModelData): Promise<tf.LayersModel> => loadCheckedModel(data);

/**
 * Probabilities of the ten classes for one 28×28 image, the milliseconds it took, and the tensors
 * alive in the page's tfjs afterwards (it must not grow from one prediction to the next).
 */
export async function predict(model: tf.LayersModel, image: Uint8Array): Promise<{ probabilities: Float32Array; ms: number; tensors: number }> {
  const start = performance.now();
  const probabilities = await classifyImage(model, image);
  return { probabilities, ms: performance.now() - start, tensors: tf.memory().numTensors };
}
