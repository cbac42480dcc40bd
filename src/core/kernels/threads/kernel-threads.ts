/**
 * Kernel threads: our SIMD kernels (convolutions and their gradients) split one call into parts by
 * batch and run them on helper threads at once, the way XNNPACK's own thread pool splits its
 * convolutions.
 * tfjs's pool is internal to its module and cannot run our code, hence a pool of our own.
 *
 * A helper is a worker that instantiates our shared-build modules on their shared memories
 * (../simd/simd-module.ts) and serves jobs through a control block (./slot.ts, ./helper-source.ts).
 * A kernel call stays synchronous, as tfjs kernels must be: the calling thread posts the parts on
 * the board, wakes the helpers, and then takes parts itself, one at a time, as each helper does
 * when it wakes. A thread the system runs late (a core busy with another program) takes fewer
 * parts, so the caller waits at most for the parts already under way, never for a share dealt out
 * in advance to a thread that has not started. It waits with Atomics.wait (or spins where blocking
 * is not allowed, a page's main thread). A part that throws on a helper is computed again by the
 * caller; a helper that does not finish its part within its time (a minute) is dropped and its
 * part computed by the caller. Until helpers are ready (they start asynchronously), or where
 * shared memory is missing, every part runs on the calling thread: the same result, one core.
 *
 * The core knows nothing of Node or the DOM: how to start a worker from a script is the platform's
 * (scripts/lib/kernel-threads-node.ts, src/app/backend/kernel-threads-browser.ts).
 */
import { lazySimdModules, MAX_HELPERS, wasmApi, type SimdModule } from '../simd/simd-module.ts';
import { HELPER_SOURCE } from './helper-source.ts';
import { BOARD, claimWord, HELPER_SLOT } from './slot.ts';

/** A started worker, as the platform provides it. */
export interface HelperThread {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onError(listener: (error: unknown) => void): void;
  terminate(): void;
}

/** Starts a worker that runs `source` (a classic script using self.onmessage/self.postMessage). */
export type SpawnHelper = (source: string) => HelperThread;

/** How long a helper may take to start, and to finish a part, before the caller gives up on it. */
export interface HelperLimits {
  startMs: number;
  partMs: number;
}
const DEFAULT_LIMITS: HelperLimits = { startMs: 15_000, partMs: 60_000 };

interface Helper {
  thread: HelperThread;
  /** Its index: owner i + 1 on the board. */
  index: number;
  slot: Int32Array;
  busy: Float64Array;
}

interface Pool {
  helpers: Helper[];
  board: Int32Array;
  /** Index of each joined module in the helpers' lists, and of each of its functions. */
  modules: Map<SimdModule, { index: number; functions: Map<string, number> }>;
  canBlock: boolean;
  partMs: number;
}

/** Timers and a clock exist in browsers, workers and Node alike; the core's lib (ES2022) does not declare them. */
const timers = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  performance: { now(): number };
};
const now = (): number => timers.performance.now();

let pool: Pool | null = null;

/**
 * Below this many multiply-adds a call stays on one thread: waking a helper, copying and summing
 * parts cost more than half the work saves. On TinyVGG's layers at batch 64 (2 threads), splitting
 * sped up the filter gradient of the 14x14x10 layer (11M) and slowed that of the first layer
 * (4.5M) (docs/training-kernels.md has the timings).
 */
export const MIN_SPLIT_MACS = 8_000_000;

/** Threads a kernel on `simd` can split a call over now: 1 + the helpers that joined it. */
export function kernelThreadCount(simd: SimdModule): number {
  return pool != null && pool.modules.has(simd) ? 1 + pool.helpers.length : 1;
}

/** Threads worth splitting a call of `macs` multiply-adds over (1 when it is small). */
export function threadsFor(simd: SimdModule, macs: number): number {
  return macs < MIN_SPLIT_MACS ? 1 : kernelThreadCount(simd);
}

/** Parts each helper has run since it started (tests check that helpers took part). */
export function helperRuns(): number[] {
  return pool?.helpers.map((h) => Atomics.load(h.slot, HELPER_SLOT.runs)) ?? [];
}

/** Where the threads' time went since the pool started (scripts/profile-threads.ts prints it). */
export interface KernelThreadStats {
  /** Calls split over the pool, and their parts. */
  jobs: number;
  parts: number;
  /** Parts the calling thread ran, and its milliseconds in them. */
  callerParts: number;
  callerMs: number;
  /** Milliseconds the calling thread waited, after its last part, for helpers' parts under way. */
  callerWaitMs: number;
  /** Per helper: parts run and milliseconds in them. */
  helperParts: number[];
  helperMs: number[];
}

const emptyStats = (): KernelThreadStats => ({
  jobs: 0,
  parts: 0,
  callerParts: 0,
  callerMs: 0,
  callerWaitMs: 0,
  helperParts: [],
  helperMs: [],
});
let callerStats = emptyStats();

export function kernelThreadStats(): KernelThreadStats {
  return {
    ...callerStats,
    helperParts: helperRuns(),
    helperMs: pool?.helpers.map((h) => h.busy[HELPER_SLOT.busyMs]) ?? [],
  };
}

/**
 * Starts threads - 1 helpers (at most MAX_HELPERS) on every SIMD module that loads with shared
 * memory, replacing any earlier pool. Resolves to the threads kernels can use from then on: 1 when
 * there is no shared memory, no module in its shared build, or no helper started.
 */
export async function startKernelThreads(threads: number, spawn: SpawnHelper, limits: Partial<HelperLimits> = {}): Promise<number> {
  const { startMs, partMs } = { ...DEFAULT_LIMITS, ...limits };
  stopKernelThreads();
  const wanted = Math.min(MAX_HELPERS, Math.floor(threads) - 1);
  if (wanted < 1 || wasmApi() == null || typeof SharedArrayBuffer !== 'function') return 1;
  await Promise.all(lazySimdModules.map((m) => m.start()));
  const joined = lazySimdModules.map((m) => m.get()).filter((m): m is SimdModule => m != null && m.shared);
  if (joined.length === 0) return 1;

  const api = wasmApi()!;
  const modules = new Map<SimdModule, { index: number; functions: Map<string, number> }>();
  const described = joined.map((simd, index) => {
    const functions = api.Module.exports(simd.compiled)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name);
    modules.set(simd, { index, functions: new Map(functions.map((name, i) => [name, i])) });
    return { simd, functions };
  });
  const control = new SharedArrayBuffer((BOARD.ints + wanted * HELPER_SLOT.ints) * 4);
  const started = await Promise.all(
    Array.from({ length: wanted }, (_, index) =>
      startHelper(
        spawn,
        startMs,
        index,
        control,
        described.map(({ simd, functions }) => ({
          module: simd.compiled,
          memory: simd.memory,
          stackTop: simd.helperStackTop(index),
          functions,
        })),
      ),
    ),
  );
  const helpers = started.filter((h): h is Helper => h != null);
  if (helpers.length === 0) return 1;
  pool = { helpers, board: new Int32Array(control, 0, BOARD.ints), modules, canBlock: blockingAllowed(), partMs };
  callerStats = emptyStats();
  return 1 + helpers.length;
}

/** Stops the helpers; kernels run on the calling thread alone again. */
export function stopKernelThreads(): void {
  if (pool == null) return;
  const { board } = pool;
  Atomics.store(board, BOARD.module, -1);
  Atomics.add(board, BOARD.gen, 1);
  Atomics.notify(board, BOARD.gen);
  for (const helper of pool.helpers) helper.thread.terminate();
  pool = null;
}

function startHelper(
  spawn: SpawnHelper,
  startMs: number,
  index: number,
  control: SharedArrayBuffer,
  modules: unknown[],
): Promise<Helper | null> {
  return new Promise((resolve) => {
    let thread: HelperThread;
    try {
      thread = spawn(HELPER_SOURCE);
    } catch {
      resolve(null);
      return;
    }
    const fail = (): void => {
      timers.clearTimeout(timer);
      thread.terminate();
      resolve(null);
    };
    const timer = timers.setTimeout(fail, startMs);
    thread.onError(fail);
    thread.onMessage((message) => {
      if ((message as { ready?: boolean }).ready !== true) return fail();
      timers.clearTimeout(timer);
      const slotBytes = (BOARD.ints + index * HELPER_SLOT.ints) * 4;
      resolve({
        thread,
        index,
        slot: new Int32Array(control, slotBytes, HELPER_SLOT.ints),
        busy: new Float64Array(control, slotBytes, HELPER_SLOT.ints / 2),
      });
    });
    thread.postMessage({ modules, control, index });
  });
}

/** Atomics.wait throws on a page's main thread; everywhere else (workers, Node) it blocks. */
function blockingAllowed(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

type Kernel = (...args: number[]) => void;

/** Checks of the board before the caller blocks on it (~20-50 µs). */
const SPIN_BEFORE_WAIT = 20_000;

/**
 * Runs the exported function `fn` of `simd` once per part (each part its argument list, all of one
 * length), the parts taken one at a time by whichever thread is free: this one and the helpers
 * where there are any; returns when all have finished. Parts must write disjoint memory: they run
 * at the same time. What each part computes does not depend on the thread that runs it, so
 * neither does the result.
 */
export function runParts(simd: SimdModule, fn: string, parts: number[][]): void {
  const kernel = simd.exports[fn] as Kernel;
  const joined = pool?.modules.get(simd);
  const fnIndex = joined?.functions.get(fn);
  const fits = parts.length <= BOARD.maxParts && parts.length * (parts[0]?.length ?? 0) <= BOARD.maxArgs;
  if (pool == null || joined == null || fnIndex == null || parts.length < 2 || !fits) {
    for (const part of parts) kernel(...part);
    return;
  }
  const current = pool;
  const { board } = current;
  const gen = post(board, joined.index, fnIndex, parts);
  const tag = gen & 0x3ffff;
  const started = now();
  // This thread takes parts as a helper does (./helper-source.ts).
  for (;;) {
    const claim = Atomics.load(board, BOARD.claim);
    const part = claim & 127;
    if (claim >>> 14 !== tag || part >= parts.length) break;
    if (Atomics.compareExchange(board, BOARD.claim, claim, claim + 1) !== claim) continue;
    board[BOARD.owner + part] = 0;
    kernel(...parts[part]);
    Atomics.store(board, BOARD.status + part, 1);
    Atomics.add(board, BOARD.finished, 1);
    callerStats.callerParts++;
  }
  const ownDone = now();
  const finished = waitForParts(board, parts.length, current);
  callerStats.jobs++;
  callerStats.parts += parts.length;
  callerStats.callerMs += ownDone - started;
  callerStats.callerWaitMs += now() - ownDone;
  if (finished) {
    // Parts that threw on a helper (status 2): computed again here.
    for (let p = 0; p < parts.length; p++) if (board[BOARD.status + p] !== 1) kernel(...parts[p]);
    return;
  }
  // A helper still on its part after the pool's time may yet write: it is stopped and never given
  // work again, and its part computed here.
  // (Owner 0 on an unfinished part: a helper took it but had not yet signed it; all are dropped.)
  const late = new Set<number>();
  for (let p = 0; p < parts.length; p++) if (Atomics.load(board, BOARD.status + p) === 0) late.add(board[BOARD.owner + p] - 1);
  dropHelpers(
    current,
    current.helpers.filter((h) => late.has(h.index) || late.has(-1)),
  );
  for (let p = 0; p < parts.length; p++) if (board[BOARD.status + p] !== 1) kernel(...parts[p]);
}

/** Puts a job on the board, none of its parts taken, and wakes the helpers; returns its number. */
function post(board: Int32Array, module: number, fn: number, parts: number[][]): number {
  board[BOARD.module] = module;
  board[BOARD.fn] = fn;
  board[BOARD.argCount] = parts[0].length;
  board.fill(0, BOARD.status, BOARD.status + parts.length);
  board.fill(0, BOARD.owner, BOARD.owner + parts.length);
  parts.forEach((args, i) => board.set(args, BOARD.args + i * args.length));
  Atomics.store(board, BOARD.finished, 0);
  const gen = (Atomics.load(board, BOARD.gen) + 1) | 0;
  Atomics.store(board, BOARD.claim, claimWord(gen, parts.length));
  Atomics.store(board, BOARD.gen, gen);
  Atomics.notify(board, BOARD.gen);
  return gen;
}

/** Whether all `count` parts finished within the pool's time for a part. */
function waitForParts(board: Int32Array, count: number, current: Pool): boolean {
  const deadline = Date.now() + current.partMs;
  for (let spins = 0; ; spins++) {
    const finished = Atomics.load(board, BOARD.finished);
    if (finished === count) return true;
    // What is left is parts already under way on helpers, at most one each: a short spin first
    // spares the wake-up a blocking wait costs (tens of microseconds a call).
    if (spins < SPIN_BEFORE_WAIT) continue;
    if (current.canBlock) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(board, BOARD.finished, finished, left);
    } else if ((spins & 1023) === 1023 && Date.now() > deadline) {
      return false;
    }
  }
}

/** A helper that timed out may still be writing: it is stopped and never given work again. */
function dropHelpers(current: Pool, lost: Helper[]): void {
  for (const helper of lost) helper.thread.terminate();
  current.helpers = current.helpers.filter((h) => !lost.includes(h));
  if (current.helpers.length === 0 && pool === current) pool = null;
}
