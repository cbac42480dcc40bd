/**
 * Node's backend for scripts and tests: `cpu`, or `wasm` (XNNPACK + SIMD, with the training kernels
 * tfjs-backend-wasm lacks or gets wrong), started by src/app/backend/start-wasm.ts in Node's
 * environment: the .wasm files next to the package's Node bundle, our kernels' helper threads as
 * worker_threads.
 *
 * Threads: tfjs-backend-wasm 4.22 never uses its threaded build in Node (WASM_HAS_MULTITHREAD_SUPPORT
 * is hard-wired to false there), and its C++ side caps the pool at half the logical cores, i.e. 1
 * on a 2-core machine. `threads > 1` works around all three obstacles, for the duration of the
 * initialisation only (enableNodeThreads):
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
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { startWasm, type WasmEnvironment } from '../../src/app/backend/start-wasm.ts';
import { spawnNodeHelper } from './kernel-threads-node.ts';

export interface BackendInfo {
  backend: string;
  threads: number;
  simd: boolean;
  /** Threads our own SIMD kernels split their work over (src/core/kernels/threads/). */
  kernelThreads: number;
}

const require = createRequire(import.meta.url);

function nodeWasmEnvironment(): WasmEnvironment {
  const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  return {
    // A plain absolute folder works in Node (Emscripten reads the file with fs, no fetch involved).
    wasmPaths: distDir + path.sep,
    spawnHelper: spawnNodeHelper,
    sharedMemory: true,
    cores: os.cpus().length,
    enableThreads: (threads) => enableNodeThreads(distDir, threads),
    afterStart: unrefPthreads,
  };
}

/**
 * @param options.threads tfjs's threads for `wasm` (default 1): exactly that many, or an error
 * @param options.kernelThreads our kernels' threads (default: as many as tfjs's)
 */
export async function setupBackend(name: 'wasm' | 'cpu', options: { threads?: number; kernelThreads?: number } = {}): Promise<BackendInfo> {
  if (name === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
    await tf.ready();
    return { backend: tf.getBackend(), threads: 1, simd: false, kernelThreads: 1 };
  }
  const started = await startWasm(nodeWasmEnvironment(), options.threads ?? 1, options.kernelThreads);
  return { backend: tf.getBackend(), threads: started.threads, simd: started.simd, kernelThreads: started.kernelThreads };
}

/** Emscripten keeps its pthread workers referenced, so a script would never exit: unref them. */
function unrefPthreads(): void {
  const pthreads = (tf.backend() as { wasm?: { PThread?: Record<string, unknown> } }).wasm?.PThread;
  for (const key of ['runningWorkers', 'unusedWorkers']) {
    const workers = pthreads?.[key];
    if (Array.isArray(workers)) for (const w of workers) (w as { unref?: () => void }).unref?.();
  }
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
