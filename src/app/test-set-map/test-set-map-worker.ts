/**
 * Entry of the map worker: the map of the test set for a model, and a picture's nearest test
 * images (test-set-map-jobs.ts does the work), on tfjs's WebAssembly backend, else `cpu`. Created
 * by TestSetMapService (test-set-map-service.ts, via create-test-set-map.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { activateWasm } from '../backend/wasm-setup.ts';
import type { FromMapWorker, ToMapWorker } from './test-set-map-protocol.ts';
import { TestSetMapJobs } from './test-set-map-jobs.ts';

/** The dedicated-worker scope, named by what we use (the app is compiled with DOM types, not WebWorker). */
const scope = self as unknown as {
  postMessage(message: FromMapWorker, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToMapWorker>) => void): void;
};

let backend: Promise<void> | null = null;

/** WebAssembly computes the features several times faster than `cpu`; `cpu` where it does not start. */
function prepareBackend(): Promise<void> {
  backend ??= activateWasm().then(
    () => undefined,
    async () => {
      await tf.setBackend('cpu');
      await tf.ready();
    },
  );
  return backend;
}

const jobs = new TestSetMapJobs((message, transfer = []) => scope.postMessage(message, transfer), prepareBackend);
scope.addEventListener('message', (event) => void jobs.handle(event.data));
