/**
 * Kernel helper threads in Node: a worker_threads Worker that runs the helper's script with a
 * `self` shaped like a Web Worker's (src/core/kernels/threads/kernel-threads.ts). Unref'd, so
 * that a script ends when its work does; the helper sleeps in Atomics.wait between jobs.
 */
import { Worker } from 'node:worker_threads';
import type { HelperThread, SpawnHelper } from '../../src/core/kernels/threads/kernel-threads.ts';

const SELF_SHIM = `const { parentPort } = require('node:worker_threads');
const self = {
  postMessage: (message) => parentPort.postMessage(message),
  set onmessage(listener) { parentPort.on('message', (data) => listener({ data })); },
};
`;

export const spawnNodeHelper: SpawnHelper = (source: string): HelperThread => {
  const worker = new Worker(SELF_SHIM + source, { eval: true });
  const messageListeners: Array<(message: unknown) => void> = [];
  const errorListeners: Array<(error: unknown) => void> = [];
  worker.on('message', (message) => messageListeners.forEach((l) => l(message)));
  worker.on('error', (error) => errorListeners.forEach((l) => l(error)));
  // After the listeners: adding a 'message' listener refs the worker's port again.
  worker.unref();
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => void messageListeners.push(listener),
    onError: (listener) => void errorListeners.push(listener),
    terminate: () => void worker.terminate(),
  };
};
