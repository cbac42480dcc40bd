/**
 * Node-only backend setup for scripts and tests: `cpu`, or `wasm` (XNNPACK + SIMD) with the training
 * kernels tfjs-backend-wasm lacks or gets wrong (src/core/kernels/wasm-training-kernels.ts).
 *
 * Threads: tfjs-backend-wasm 4.22 never uses its threaded build in Node (WASM_HAS_MULTITHREAD_SUPPORT
 * is hard-wired to false there), and its C++ side caps the pool at half the logical cores, i.e. 1
 * on a 2-core machine. `threads > 1` works around all three obstacles, for the duration of the
 * initialisation only:
 *   - sets WASM_HAS_MULTITHREAD_SUPPORT, so the threaded-simd build loads;
 *   - Emscripten spawns its pthread workers from a Blob URL, which Node's worker_threads cannot
 *     load: we write the package's worker script to a temp file and hand out its path instead (the
 *     worker, in turn, loads the package's threaded-simd main script from node_modules);
 *   - os.cpus() reports twice the cores while the pool is created, so the cap lets `threads` through.
 * Whether it pays off is measured by `npm run bench -- --threads 1,2` (scripts/bench.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../src/core/kernels/wasm-training-kernels.ts';
import { startKernelThreads } from '../../src/core/kernels/threads/kernel-threads.ts';
import { spawnNodeHelper } from './kernel-threads-node.ts';

export interface BackendInfo {
  backend: string;
  threads: number;
  simd: boolean;
  /** Threads our own SIMD kernels split their work over (src/core/kernels/threads/). */
  kernelThreads: number;
}

const require = createRequire(import.meta.url);
let wasmPathsSet = false;

export async function setupBackend(
  name: 'wasm' | 'cpu',
  options: { threads?: number } = {},
): Promise<BackendInfo> {
  if (name === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
    await tf.ready();
    return { backend: tf.getBackend(), threads: 1, simd: false, kernelThreads: 1 };
  }

  const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  if (!wasmPathsSet) {
    // The .wasm binaries sit next to the package's Node bundle; a plain absolute folder works in
    // Node (Emscripten reads the file with fs, no fetch involved).
    setWasmPaths(distDir + path.sep);
    wasmPathsSet = true;
  }
  registerWasmTrainingKernels();

  const threads = options.threads ?? 1;
  const alreadyUp = tf.findBackend('wasm') != null;
  let restore = (): void => {};
  if (threads > 1 && !alreadyUp) restore = enableNodeThreads(distDir, threads);
  else if (!alreadyUp) setThreadsCount(threads);
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
    await tf.ready();
  } finally {
    restore();
  }
  // Emscripten keeps its pthread workers referenced, so a script would never exit: unref them.
  const pthreads = (tf.backend() as { wasm?: { PThread?: Record<string, unknown> } }).wasm?.PThread;
  for (const key of ['runningWorkers', 'unusedWorkers']) {
    const workers = pthreads?.[key];
    if (Array.isArray(workers)) for (const w of workers) (w as { unref?: () => void }).unref?.();
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  // Our own kernels split their calls over as many threads as tfjs's pool has.
  const kernelThreads = await startKernelThreads(threads, spawnNodeHelper);
  return { backend: tf.getBackend(), threads: getThreadsCount(), simd, kernelThreads };
}

function enableNodeThreads(distDir: string, threads: number): () => void {
  const wasmOut = path.join(distDir, '..', 'wasm-out');
  const mainScript = path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-wasm-threads-'));
  const workerFile = path.join(dir, 'worker.cjs');
  // In the worker, the main script arrives as a Blob it would turn into a URL: point it at the
  // package's file instead. The `\n` escaping mirrors what tfjs does before making its Blob.
  fs.writeFileSync(
    workerFile,
    `URL.createObjectURL = () => ${JSON.stringify(mainScript)};\nURL.revokeObjectURL = () => {};\n` +
      wasmWorkerContents.replace(/\n/g, '\\n'),
  );
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = () => workerFile;
  const fakeCpus = Array.from({ length: 2 * threads }, () => cpus()[0]);
  (os as { cpus: () => os.CpuInfo[] }).cpus = () => fakeCpus;
  return () => {
    URL.createObjectURL = createObjectURL;
    (os as { cpus: () => os.CpuInfo[] }).cpus = cpus;
  };
}
