/**
 * tfjs as the classification service's model runtime: readies a backend, builds checked models
 * from plain data, and times one picture's prediction. It runs in the classifier worker
 * (classifier-worker.ts), whose tfjs is its own and uses the `cpu` backend: one 28×28 image
 * through the Playground CNN takes milliseconds, and it opens no second WebGL context (slow on a
 * software renderer, a risk of context loss on a real GPU). Where the page has no module workers
 * it runs on the page (create-page-models.ts imports it on demand), sharing the tfjs the training
 * engine falls back to on the main thread: it never switches the backend under it.
 */
import * as tf from '@tensorflow/tfjs';
import { classifyImage } from '../../core/classify-image.ts';
import { lookInside } from '../../core/inside/look-inside.ts';
import { loadCheckedModel } from '../../core/model-check.ts';
import type { ModelRuntime } from './classification-service.ts';

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

/** Models trained with test-time flip averaging (`flipTest`): they answer with it too. */
const flipAveraged = new WeakSet<tf.LayersModel>();

/**
 * Builds and checks models (see loadCheckedModel), and predicts: the probabilities of the ten
 * classes for one 28×28 image, the milliseconds it took, and the tensors alive in the page's tfjs
 * afterwards (it must not grow from one prediction to the next).
 */
export const tfjsModelRuntime: ModelRuntime<tf.LayersModel> = {
  async build(data, options) {
    const model = await loadCheckedModel(data);
    if (options?.flipTest) flipAveraged.add(model);
    return model;
  },
  async predict(model, image) {
    const start = performance.now();
    const probabilities = await classifyImage(model, image, { flipTest: flipAveraged.has(model) });
    return { probabilities, ms: performance.now() - start, tensors: tf.memory().numTensors };
  },
  async inspect(model, image, request) {
    const start = performance.now();
    const result = await lookInside(model, image, request);
    return { ...result, ms: performance.now() - start };
  },
  dispose: (model) => model.dispose(),
};
