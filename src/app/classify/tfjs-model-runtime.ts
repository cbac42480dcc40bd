/**
 * tfjs as the classification service's model runtime: readies a backend, builds checked models
 * from plain data, times one picture's prediction, and looks inside a model (core/inside/). It runs
 * in the classifier worker (classifier-worker.ts), whose tfjs is its own and uses WebAssembly (or
 * `cpu` where WebAssembly does not start): one 28×28 image through the Playground CNN takes
 * milliseconds, and so does an "Inside the model" update, whose gradients the `cpu` backend takes
 * seconds over. It opens no second WebGL context (slow on a software renderer, a risk of context
 * loss on a real GPU). Where the page has no module workers it runs on the page
 * (create-page-models.ts imports it on demand), sharing the tfjs the training engine falls back to
 * on the main thread: it never switches the backend under it.
 */
import * as tf from '@tensorflow/tfjs';
import { classifyImage } from '../../core/classify-image.ts';
import { lookInside } from '../../core/inside/look-inside.ts';
import { loadCheckedModel } from '../../core/model-check.ts';
import type { SketchInputs } from '../../core/answers/sketch-benchmark.ts';
import type { ModelRuntime } from './classification-service.ts';

let backend: Promise<string> | null = null;

/**
 * Readies tfjs: with `startOwn` (the classifier worker's WebAssembly start, resolving false when it
 * fails) its own backend, else `cpu`; without it, the backend already active.
 */
export function prepareBackend(startOwn: (() => Promise<boolean>) | null): Promise<string> {
  backend ??= (async () => {
    if (startOwn && !(await startOwn()) && !(await tf.setBackend('cpu'))) {
      throw new Error('neither the WebAssembly nor the cpu backend of tfjs started');
    }
    await tf.ready();
    return tf.getBackend();
  })();
  return backend;
}

/**
 * The sketch benchmark's inputs, inked once (seconds) when a model is first measured: the
 * benchmark's code and sketches are imported then, so they never weigh on the page's first load.
 */
let sketchBenchmark: Promise<{ lib: typeof import('../../core/answers/sketch-benchmark.ts'); inputs: SketchInputs }> | null = null;
const loadSketchBenchmark = () =>
  (sketchBenchmark ??= import('../../core/answers/sketch-benchmark.ts').then(async (lib) => ({ lib, inputs: await lib.sketchInputs() })));

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
  async sketchAccuracy(model) {
    const { lib, inputs } = await loadSketchBenchmark();
    return lib.sketchAccuracy(model, inputs, { flipTest: flipAveraged.has(model) });
  },
  dispose: (model) => model.dispose(),
};
