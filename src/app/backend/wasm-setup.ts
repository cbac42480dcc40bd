/**
 * Brings up tfjs's WebAssembly backend in the browser: the .wasm binaries come from Vite's asset
 * pipeline (so they get hashed file names in a build), our training kernels are registered, and
 * threads are used only when the page is cross-origin isolated and a threaded backend really
 * computes; otherwise it falls back to one thread.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmTrainingKernels } from '../../core/kernels/wasm-training-kernels.ts';
import { startKernelThreads } from '../../core/kernels/threads/kernel-threads.ts';
import { spawnBrowserHelper } from './kernel-threads-browser.ts';

/** Longest we wait for the backend to start: a threaded start can hang if its workers never come up. */
const INIT_TIMEOUT_MS = 20_000;

interface RegistryEntry {
  factory: () => tf.KernelBackend | Promise<tf.KernelBackend>;
  priority: number;
}

/** tfjs gives the pool half the logical cores, so threads start paying off at 4. */
const MIN_CORES_FOR_THREADS = 4;

const cores = (): number => globalThis.navigator?.hardwareConcurrency ?? 1;

let configured = false;
let factory: RegistryEntry | undefined;
let threadNote: string | null = null;

function configure(): void {
  if (configured) return;
  configured = true;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  registerWasmTrainingKernels();
  // Kept so the backend can be registered again without threads (removeBackend drops the factory).
  factory = (tf.engine() as unknown as { registryFactory: Record<string, RegistryEntry> }).registryFactory.wasm;
  if (globalThis.crossOriginIsolated !== true) {
    // Without isolation SharedArrayBuffer is missing; tfjs would detect that too, but say why.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    threadNote = 'one WebAssembly thread: the page is not cross-origin isolated';
  } else if (cores() < MIN_CORES_FOR_THREADS) {
    // tfjs's C++ side caps its pool at half the logical cores: below 4 that is one thread, and the
    // threaded build would only add shared-memory overhead.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    threadNote = `tfjs's own thread pool is off on ${cores()} logical cores (it starts at 4)`;
  } else {
    setThreadsCount(Math.min(8, cores()));
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out`)), INIT_TIMEOUT_MS);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** A tiny matmul whose answer is known: proves the backend (and its thread pool) computes. */
async function computes(): Promise<boolean> {
  const result = tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).sum());
  try {
    return (await withTimeout(result.data(), 'WebAssembly self-test'))[0] === 64 * 64 * 64;
  } finally {
    result.dispose();
  }
}

async function start(): Promise<boolean> {
  try {
    return (await withTimeout(tf.setBackend('wasm'), 'WebAssembly start')) && (await computes());
  } catch {
    return false;
  }
}

export interface WasmStart {
  /** tfjs's threads (XNNPACK's pool). */
  threads: number;
  /** Threads our convolution kernels split their calls over. */
  kernelThreads: number;
  note: string | null;
}

let kernelThreads: Promise<number> | null = null;

/**
 * Our kernels' helper threads, wherever the page is cross-origin isolated: as many threads as
 * tfjs's pool has, and one per core (up to 8) where its pool is off (below 4 cores, or when the
 * threaded build failed). They sleep between calls, so they never compete with tfjs's threads.
 * Started once; 1 where they cannot start.
 */
function startOurThreads(): Promise<number> {
  const pool = getThreadsCount();
  const isolated = globalThis.crossOriginIsolated === true && typeof Worker === 'function';
  const wanted = !isolated ? 1 : pool > 1 ? pool : Math.min(8, cores());
  kernelThreads ??= startKernelThreads(wanted, spawnBrowserHelper).catch(() => 1);
  return kernelThreads;
}

/**
 * Makes 'wasm' the active backend. Returns the threads in use and a note when threads were
 * wanted but did not work. Throws when WebAssembly does not start at all.
 * @param options.helperThreads false: our kernels run on this thread alone (the classifier worker,
 *   whose one picture at a time would not pay for threads that compete with training's)
 */
export async function activateWasm(options: { helperThreads?: boolean } = {}): Promise<WasmStart> {
  configure();
  const helpers = options.helperThreads ?? true;
  const result = async (): Promise<WasmStart> => ({ threads: getThreadsCount(), kernelThreads: helpers ? await startOurThreads() : 1, note: threadNote });
  if (tf.findBackend('wasm') != null) {
    await tf.setBackend('wasm');
    return result();
  }
  const threaded = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  if (await start()) return result();
  if (!threaded || !factory) throw new Error('the WebAssembly backend failed to start');
  // The threaded build failed: start again single-threaded.
  tf.removeBackend('wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.registerBackend('wasm', factory.factory, factory.priority);
  threadNote = 'one WebAssembly thread: the threaded build failed to start';
  if (await start()) return result();
  throw new Error('the WebAssembly backend failed to start');
}
