/**
 * Entry of the classifier worker: builds checked models (tfjs-model-runtime.ts, on this worker's
 * own tfjs with the WebAssembly backend, or `cpu` where that does not start), answers predictions,
 * looks inside models (activations, why maps: core/inside/) and measures a trained model on the
 * sketch benchmark, one reply per request. The page's
 * ClassificationService decides what to ask, latest request first; this only does the work, off
 * the main thread. Created by WorkerModelRuntime (worker-model-runtime.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import { insideBuffers, lookInside } from '../../core/inside/look-inside.ts';
import { ModelCheckError } from '../../core/model-json.ts';
import type { FromClassifier, ToClassifier } from './classifier-protocol.ts';
import { startWasm } from '../backend/start-wasm.ts';
import { browserWasmEnvironment } from '../backend/wasm-setup.ts';
import { prepareBackend, tfjsModelRuntime } from './tfjs-model-runtime.ts';

/**
 * WebAssembly on this thread alone (one picture at a time would not pay for threads that compete
 * with training's); false where it does not start (then `cpu`).
 */
const startOwnBackend = async (): Promise<boolean> => {
  try {
    await startWasm(browserWasmEnvironment(), 1);
    return true;
  } catch {
    return false;
  }
};

/** The dedicated-worker scope, named by what we use (the app is compiled with DOM types, not WebWorker). */
const scope = self as unknown as {
  postMessage(message: FromClassifier, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToClassifier>) => void): void;
};

const models = new Map<number, tf.LayersModel>();
const reply = (message: FromClassifier, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const failure = (id: number, error: unknown): FromClassifier => ({
  type: 'failed',
  id,
  message: error instanceof Error ? error.message : String(error),
  refused: error instanceof ModelCheckError,
});

async function handle(message: ToClassifier): Promise<void> {
  switch (message.type) {
    case 'build':
      try {
        await prepareBackend(startOwnBackend);
        models.set(message.model, await tfjsModelRuntime.build(message.data, { flipTest: message.flipTest }));
        reply({ type: 'built', id: message.id });
      } catch (error) {
        reply(failure(message.id, error));
      }
      return;
    case 'predict': {
      const model = models.get(message.model);
      try {
        if (!model) throw new Error('the model is gone from the classifier');
        const { probabilities, ms, tensors } = await tfjsModelRuntime.predict(model, message.image);
        reply({ type: 'predicted', id: message.id, probabilities, ms, tensors }, [probabilities.buffer]);
      } catch (error) {
        reply(failure(message.id, error));
      }
      return;
    }
    case 'inspect': {
      const model = models.get(message.model);
      try {
        if (!model) throw new Error('the model is gone from the classifier');
        const start = performance.now();
        const result = await lookInside(model, message.image, message.request);
        reply({ type: 'inspected', id: message.id, result, ms: performance.now() - start }, insideBuffers(result));
      } catch (error) {
        reply(failure(message.id, error));
      }
      return;
    }
    case 'measure-sketches': {
      const model = models.get(message.model);
      try {
        if (!model) throw new Error('the model is gone from the classifier');
        reply({ type: 'sketches-measured', id: message.id, accuracy: await tfjsModelRuntime.sketchAccuracy!(model) });
      } catch (error) {
        reply(failure(message.id, error));
      }
      return;
    }
    case 'dispose':
      models.get(message.model)?.dispose();
      models.delete(message.model);
      return;
  }
}

scope.addEventListener('message', (event) => void handle(event.data));
