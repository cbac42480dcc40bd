/**
 * The one WebAssembly start-up: the page (wasm-setup.ts), the command line (scripts/lib/backend.ts)
 * and the browser benchmark (scripts/bench-browser/backend.ts) all start tfjs's WASM backend here,
 * each passing its environment: where the .wasm files are, how to start our kernels' helper
 * threads, whether shared memory exists, and how to get tfjs's threaded build past its limits there.
 *
 * The steps are the same everywhere: the .wasm files' location, our training kernels registered,
 * tfjs's thread pool sized, the backend started and checked with a matmul whose answer is known
 * (a thread pool that never came up hangs or answers wrong there), then our kernels' threads.
 *
 * Two ways to ask for threads:
 * - a number: exactly that many, or an error (a benchmark row labelled "2 threads" must have run on
 *   2; the command line's --threads likewise);
 * - 'auto' (the page): as many as pay off here, falling back to one thread, with a note saying why,
 *   rather than failing.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { startKernelThreads, type SpawnHelper } from '../../core/kernels/threads/kernel-threads.ts';
import { registerWasmTrainingKernels } from '../../core/kernels/wasm-training-kernels.ts';

/** What differs between the page, a Node script and the browser benchmark. */
export interface WasmEnvironment {
  /** Where tfjs's .wasm files are: a folder (Node reads them from disk) or each file's URL (a Vite build). */
  wasmPaths: string | Record<string, string>;
  /** Starts one of our kernels' helper threads (kernel-threads-browser.ts, scripts/lib/kernel-threads-node.ts). */
  spawnHelper: SpawnHelper;
  /** Whether threads can share memory here: Node, or a cross-origin-isolated page or worker. */
  sharedMemory: boolean;
  /** Logical cores (navigator.hardwareConcurrency, os.cpus()). */
  cores: number;
  /**
   * Lets tfjs's threaded build start `threads` threads here, for the start-up only (its C++ side caps
   * the pool at half the cores it sees; Node's tfjs never loads the threaded build on its own);
   * returns what undoes it. Used when a number of threads is asked for.
   */
  enableThreads(threads: number): () => void;
  /** Runs each time the backend is made active (Node: lets a script exit although tfjs's pthread workers live on). */
  afterStart?(): void;
}

export interface WasmStart {
  /** tfjs's threads (XNNPACK's pool). */
  threads: number;
  /** Threads our convolution kernels split their calls over. */
  kernelThreads: number;
  /** Whether the SIMD build runs. */
  simd: boolean;
  /** Why fewer threads run than the machine has, when the page chose ('auto'); null otherwise. */
  note: string | null;
}

/** Longest we wait for the backend to start: a threaded start can hang if its workers never come up. */
const INIT_TIMEOUT_MS = 20_000;

/** tfjs gives the pool half the logical cores, so threads start paying off at 4. */
const MIN_CORES_FOR_THREADS = 4;

interface RegistryEntry {
  factory: () => tf.KernelBackend | Promise<tf.KernelBackend>;
  priority: number;
}

let prepared: RegistryEntry | undefined;
/** Our kernels' threads as the page started them ('auto'), once. */
let kernelThreads: Promise<number> | null = null;
/** The page's note from its first start, said again when it switches back to WASM later. */
let autoNote: string | null = null;

/**
 * Whether tfjs's WASM backend is already up in this realm. Not tf.findBackend('wasm'): that starts a
 * registered backend it has not met, with tfjs's default flags, which in a cross-origin-isolated
 * page or worker means the threaded build, whatever the flags set afterwards say.
 */
function wasmRunning(): boolean {
  return (tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm != null;
}

/** The .wasm files' location and our kernels, once; keeps tfjs's factory to register it again without threads. */
function prepare(env: WasmEnvironment): RegistryEntry | undefined {
  if (prepared) return prepared;
  setWasmPaths(env.wasmPaths as Parameters<typeof setWasmPaths>[0]);
  registerWasmTrainingKernels();
  // Kept so the backend can be registered again without threads (removeBackend drops the factory).
  prepared = (tf.engine() as unknown as { registryFactory: Record<string, RegistryEntry> }).registryFactory.wasm;
  return prepared;
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

/** Starts the registered backend and checks it computes; throws saying what went wrong. */
async function startChecked(restore: () => void = () => {}): Promise<void> {
  try {
    if (!(await withTimeout(tf.setBackend('wasm'), 'WebAssembly start'))) throw new Error('the WebAssembly backend failed to start');
  } finally {
    restore();
  }
  const result = tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).sum());
  try {
    const value = (await withTimeout(result.data(), 'WebAssembly self-test'))[0];
    if (value !== 64 * 64 * 64) throw new Error(`the WebAssembly backend computes wrong (${value})`);
  } finally {
    result.dispose();
  }
}

async function started(note: string | null, kernels: Promise<number>): Promise<WasmStart> {
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  return { threads: getThreadsCount(), kernelThreads: await kernels, simd, note };
}

/** Exactly `threads` threads for tfjs and `kernelThreads` for our kernels, or an error. */
async function startExactly(env: WasmEnvironment, threads: number, kernelThreads: number): Promise<WasmStart> {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number ≥ 1, got ${threads}`);
  const threaded = threads > 1;
  if (threaded && !env.sharedMemory) throw new Error('WASM threads need a cross-origin-isolated page (COOP/COEP headers)');
  prepare(env);
  const fresh = !wasmRunning();
  if (fresh) {
    // One thread runs the single-threaded SIMD build.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threaded);
    setThreadsCount(threads);
    await startChecked(threaded ? env.enableThreads(threads) : undefined);
  } else if (!(await tf.setBackend('wasm'))) {
    throw new Error('the WebAssembly backend failed to start');
  }
  const running = getThreadsCount();
  if (running !== threads) {
    throw new Error(
      `asked for ${threads} WASM threads, ${fresh ? `${running} started` : `but the backend already runs with ${running} in this process`}`,
    );
  }
  // Our kernels split their calls over as many threads as asked: by default as many as tfjs's pool
  // has; one tfjs thread with our kernels on more is the page's one pool on 2 cores.
  const kernels = await startKernelThreads(kernelThreads, env.spawnHelper);
  if (kernels !== kernelThreads) throw new Error(`asked for ${kernelThreads} kernel threads, ${kernels} started`);
  return started(null, Promise.resolve(kernels));
}

/**
 * The page's choice: tfjs's threads where the page is cross-origin isolated, has 4 cores or more
 * and a threaded backend really computes (tfjs sizes the pool: half the cores, at most 8 asked);
 * else one thread, saying why. Our kernels' helper threads: as many as tfjs's pool has, and one per
 * core (up to 8) where that pool is off; they sleep between calls, so they never compete with
 * tfjs's threads. Started once; 1 where they cannot start.
 */
async function startAuto(env: WasmEnvironment): Promise<WasmStart> {
  const factory = prepare(env);
  const ourThreads = (): Promise<number> => {
    const pool = getThreadsCount();
    const wanted = !env.sharedMemory ? 1 : pool > 1 ? pool : Math.min(8, env.cores);
    kernelThreads ??= startKernelThreads(wanted, env.spawnHelper).catch(() => 1);
    return kernelThreads;
  };
  let note: string | null = null;
  if (wasmRunning()) {
    await tf.setBackend('wasm');
    return started(autoNote, ourThreads());
  }
  if (!env.sharedMemory) {
    // Without isolation SharedArrayBuffer is missing; tfjs would detect that too, but say why.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    note = 'one WebAssembly thread: the page is not cross-origin isolated';
  } else if (env.cores < MIN_CORES_FOR_THREADS) {
    // Below 4 cores tfjs's pool would be one thread, and the threaded build would only add
    // shared-memory overhead.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    note = `tfjs's own thread pool is off on ${env.cores} logical cores (it starts at 4)`;
  } else {
    setThreadsCount(Math.min(8, env.cores));
  }
  autoNote = note;
  const threaded = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  if (
    await startChecked().then(
      () => true,
      () => false,
    )
  )
    return started(note, ourThreads());
  if (!threaded || !factory) throw new Error('the WebAssembly backend failed to start');
  // The threaded build failed: start again single-threaded.
  tf.removeBackend('wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.registerBackend('wasm', factory.factory, factory.priority);
  autoNote = note = 'one WebAssembly thread: the threaded build failed to start';
  if (
    await startChecked().then(
      () => true,
      () => false,
    )
  )
    return started(note, ourThreads());
  throw new Error('the WebAssembly backend failed to start');
}

/**
 * Makes 'wasm' tfjs's active backend in `env`, with `threads` threads or as many as pay off here
 * ('auto'). Throws when WebAssembly does not start (or, for a number, not with that many threads).
 */
export async function startWasm(env: WasmEnvironment, threads: number | 'auto', kernelThreads?: number): Promise<WasmStart> {
  const result = await (threads === 'auto' ? startAuto(env) : startExactly(env, threads, kernelThreads ?? threads));
  env.afterStart?.();
  return result;
}
