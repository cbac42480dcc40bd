/**
 * Starts the backend a benchmark row asks for, in the worker: WebGL the way the page starts it
 * (selectBackend in src/app/backend/select-backend.ts), or WebAssembly with an exact thread count.
 * The page itself picks WASM threads by the machine's cores (wasm-setup.ts); a benchmark must run
 * 1 and 2 threads on any machine, hence its own WASM start-up here, with the page's .wasm files and
 * our training kernels. A backend that does not start as asked is an error, never a fallback: a row
 * labelled "2 threads" must have run on 2.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmTrainingKernels } from '../../src/core/kernels/wasm-training-kernels.ts';
import { selectBackend } from '../../src/app/backend/select-backend.ts';
import { spawnBrowserHelper } from '../../src/app/backend/kernel-threads-browser.ts';
import { startKernelThreads } from '../../src/core/kernels/threads/kernel-threads.ts';
import { probeWebgl } from '../../src/app/backend/webgl-probe.ts';
import type { BenchBackend, BenchRow } from './protocol.ts';

export type StartedBackend = Pick<BenchRow, 'backend' | 'renderer' | 'software' | 'threads' | 'kernelThreads' | 'wasmBuild'>;

export async function startBackend(backend: BenchBackend, threads: number): Promise<StartedBackend> {
  const webgl = probeWebgl();
  if (backend === 'webgl') {
    const report = await selectBackend('webgl');
    if (report.backend !== 'webgl') throw new Error(`WebGL did not start: ${report.note ?? 'no reason given'}`);
    return { backend, renderer: report.renderer, software: report.softwareRenderer, threads: null, kernelThreads: null, wasmBuild: null };
  }
  const started = await startWasm(threads);
  return { backend, renderer: webgl.renderer, software: null, ...started };
}

async function startWasm(threads: number): Promise<Pick<BenchRow, 'threads' | 'kernelThreads' | 'wasmBuild'>> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  registerWasmTrainingKernels();
  const threaded = threads > 1;
  if (threaded && globalThis.crossOriginIsolated !== true) {
    throw new Error('WASM threads need a cross-origin-isolated page (COOP/COEP headers)');
  }
  // One thread runs the single-threaded SIMD build, as the page does on machines under 4 cores.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threaded);
  setThreadsCount(threads);
  // tfjs's C++ side caps its pool at half the logical cores it sees (navigator.hardwareConcurrency):
  // for the start-up only, the worker claims twice the threads asked, so that cap lets them through.
  const restore = threaded ? claimCores(2 * threads) : () => {};
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend failed to start');
  } finally {
    restore();
  }
  await selfTest();
  const running = getThreadsCount();
  if (threaded && running !== threads) throw new Error(`asked for ${threads} WASM threads, ${running} started`);
  // Our kernels split over as many threads as tfjs's pool has, as in Node's benchmark.
  const kernelThreads = await startKernelThreads(threads, spawnBrowserHelper);
  if (kernelThreads !== threads) throw new Error(`asked for ${threads} kernel threads, ${kernelThreads} started`);
  return { threads: running, kernelThreads, wasmBuild: threaded ? 'threaded-simd' : 'simd' };
}

/** Makes navigator.hardwareConcurrency read `cores` until the returned function is called. */
function claimCores(cores: number): () => void {
  const nav = globalThis.navigator as object;
  Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  return () => void Reflect.deleteProperty(nav, 'hardwareConcurrency');
}

/** A matmul whose answer is known: a thread pool that never came up hangs or answers wrong here. */
async function selfTest(): Promise<void> {
  const result = tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).sum());
  try {
    const value = (await result.data())[0];
    if (value !== 64 * 64 * 64) throw new Error(`the WebAssembly backend computes wrong (${value})`);
  } finally {
    result.dispose();
  }
}
