/**
 * Kernel threads: our SIMD kernels (convolutions and their gradients) split one call into parts by
 * batch and run them on helper threads at once, the way XNNPACK's own thread pool splits its
 * convolutions.
 * tfjs's pool is internal to its module and cannot run our code, hence a pool of our own.
 *
 * A helper is a worker that instantiates our shared-build modules on their shared memories
 * (../simd/simd-module.ts) and serves jobs through a control block (./slot.ts, ./helper-source.ts).
 * A kernel call stays synchronous, as tfjs kernels must be: the calling thread hands parts 1..n-1
 * to helpers, computes part 0 itself, then waits for the helpers with Atomics.wait (or spins where
 * blocking is not allowed, a page's main thread). A helper whose part throws, or that does not
 * answer within its time (a minute), has its part computed by the caller; one that timed out is
 * dropped. Until helpers are ready (they start asynchronously), or where shared memory is missing,
 * every part runs on the calling thread: the same result, one core.
 *
 * The core knows nothing of Node or the DOM: how to start a worker from a script is the platform's
 * (scripts/lib/kernel-threads-node.ts, src/app/backend/kernel-threads-browser.ts).
 */
import { lazySimdModules, MAX_HELPERS, wasmApi, type SimdModule } from '../simd/simd-module.ts';
import { HELPER_SOURCE } from './helper-source.ts';
import { SLOT } from './slot.ts';

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
  slot: Int32Array;
}

interface Pool {
  helpers: Helper[];
  /** Index of each joined module in the helpers' lists, and of each of its functions. */
  modules: Map<SimdModule, { index: number; functions: Map<string, number> }>;
  canBlock: boolean;
  partMs: number;
}

/** Timers exist in browsers, workers and Node alike; the core's lib (ES2022) does not declare them. */
const timers = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

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

/** Jobs each helper has run since it started (tests check that helpers took part). */
export function helperRuns(): number[] {
  return pool?.helpers.map((h) => Atomics.load(h.slot, SLOT.runs)) ?? [];
}

/**
 * Starts threads - 1 helpers (at most MAX_HELPERS) on every SIMD module that loads with shared
 * memory, replacing any earlier pool. Resolves to the threads kernels can use from then on: 1 when
 * there is no shared memory, no module in its shared build, or no helper started.
 */
export async function startKernelThreads(
  threads: number,
  spawn: SpawnHelper,
  limits: Partial<HelperLimits> = {},
): Promise<number> {
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
  const control = new SharedArrayBuffer(wanted * SLOT.ints * 4);
  const started = await Promise.all(
    Array.from({ length: wanted }, (_, index) =>
      startHelper(spawn, startMs, index, control, described.map(({ simd, functions }) => ({
        module: simd.compiled,
        memory: simd.memory,
        stackTop: simd.helperStackTop(index),
        functions,
      }))),
    ),
  );
  const helpers = started.filter((h): h is Helper => h != null);
  if (helpers.length === 0) return 1;
  pool = { helpers, modules, canBlock: blockingAllowed(), partMs };
  return 1 + helpers.length;
}

/** Stops the helpers; kernels run on the calling thread alone again. */
export function stopKernelThreads(): void {
  if (pool == null) return;
  for (const helper of pool.helpers) {
    helper.slot[SLOT.module] = -1;
    Atomics.add(helper.slot, SLOT.gen, 1);
    Atomics.notify(helper.slot, SLOT.gen);
    helper.thread.terminate();
  }
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
      resolve({ thread, slot: new Int32Array(control, index * SLOT.ints * 4, SLOT.ints) });
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

/** Checks of a helper's slot before the caller blocks on it (~20-50 µs). */
const SPIN_BEFORE_WAIT = 20_000;

/**
 * Runs the exported function `fn` of `simd` once per part (each part its argument list, all of one
 * length). The parts are dealt out in contiguous groups, one per thread: the first group on this
 * thread, the others on helpers where there are any; returns when all have finished. Parts must
 * write disjoint memory: they run at the same time. What each part computes does not depend on
 * the threads, so neither does the result.
 */
export function runParts(simd: SimdModule, fn: string, parts: number[][]): void {
  const kernel = simd.exports[fn] as Kernel;
  const runLocally = (group: number[][]): void => {
    for (const part of group) kernel(...part);
  };
  const joined = pool?.modules.get(simd);
  const fnIndex = joined?.functions.get(fn);
  if (pool == null || joined == null || fnIndex == null || parts.length < 2) return runLocally(parts);
  const current = pool;
  const groups = splitEvenly(parts, Math.min(parts.length, 1 + current.helpers.length));
  const sent: Array<{ helper: Helper; gen: number; group: number[][] }> = [];
  const local = [groups[0]];
  for (let i = 1; i < groups.length; i++) {
    const helper = current.helpers[i - 1];
    if (groups[i].length * groups[i][0].length > SLOT.maxArgs) local.push(groups[i]);
    else sent.push({ helper, gen: post(helper, joined.index, fnIndex, groups[i]), group: groups[i] });
  }
  for (const group of local) runLocally(group);
  const lost: Helper[] = [];
  for (const { helper, gen, group } of sent) {
    const finished = waitFor(helper, gen, current);
    if (!finished) lost.push(helper);
    if (!finished || helper.slot[SLOT.status] !== 0) runLocally(group);
  }
  if (lost.length > 0) dropHelpers(current, lost);
}

/** `items` in `count` contiguous groups whose sizes differ by at most one. */
function splitEvenly<T>(items: T[], count: number): T[][] {
  const groups: T[][] = [];
  for (let g = 0; g < count; g++) {
    groups.push(items.slice(Math.floor((g * items.length) / count), Math.floor(((g + 1) * items.length) / count)));
  }
  return groups;
}

function post(helper: Helper, module: number, fn: number, calls: number[][]): number {
  const slot = helper.slot;
  slot[SLOT.module] = module;
  slot[SLOT.fn] = fn;
  slot[SLOT.calls] = calls.length;
  slot[SLOT.argCount] = calls[0].length;
  slot[SLOT.status] = 0;
  calls.forEach((args, i) => slot.set(args, SLOT.args + i * args.length));
  const gen = Atomics.add(slot, SLOT.gen, 1) + 1;
  Atomics.notify(slot, SLOT.gen);
  return gen;
}

/** Whether the helper finished job `gen` within the pool's time for a part. */
function waitFor(helper: Helper, gen: number, current: Pool): boolean {
  const slot = helper.slot;
  const deadline = Date.now() + current.partMs;
  for (let spins = 0; Atomics.load(slot, SLOT.done) !== gen; spins++) {
    // The helper's part is about as long as ours, so it is usually done or nearly: a short spin
    // first spares the wake-up a blocking wait costs (tens of microseconds a call).
    if (spins < SPIN_BEFORE_WAIT) continue;
    if (current.canBlock) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(slot, SLOT.done, gen - 1, left) === 'timed-out') return Atomics.load(slot, SLOT.done) === gen;
    } else if ((spins & 1023) === 1023 && Date.now() > deadline) {
      return false;
    }
  }
  return true;
}

/** A helper that timed out may still be writing: it is stopped and never given work again. */
function dropHelpers(current: Pool, lost: Helper[]): void {
  for (const helper of lost) helper.thread.terminate();
  current.helpers = current.helpers.filter((h) => !lost.includes(h));
  if (current.helpers.length === 0 && pool === current) pool = null;
}
