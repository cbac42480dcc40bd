/**
 * Instantiates one of our own WebAssembly SIMD modules (built by scripts/build-wasm.ts, shipped as
 * base64 inside a TypeScript file) and manages its linear memory as a scratch arena.
 *
 * Each module comes in two builds. Where shared memory exists (Node; a cross-origin-isolated page
 * or worker) the shared build loads: its memory is a shared WebAssembly.Memory, so helper threads
 * (../threads/kernel-threads.ts) can instantiate the same module on the same memory and compute
 * parts of one kernel call. Every instance has its own stack pointer; the helpers' stacks are
 * reserved at the start of the arena. Elsewhere the build with its own memory loads.
 *
 * The same code runs in Node, in a Web Worker and on a page's main thread: it compiles
 * synchronously where the engine allows it (Node, workers; small modules on the main thread), else
 * asynchronously, and until then — or for good, where WebAssembly SIMD is missing — `instance()`
 * is null and the caller uses its fallback.
 */
import { decodeBase64 } from './base64.ts';

/** The parts of the WebAssembly JS API we use (the core compiles without DOM or Node types). */
export interface WasmApi {
  Module: (new (bytes: Uint8Array) => object) & { exports(module: object): Array<{ name: string; kind: string }> };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<object>;
}

export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** One build of a module: its bytes and, for the shared build, its memory's limits in pages. */
export interface SimdBuild {
  base64: string;
  sharedPages?: { initial: number; maximum: number };
}

/** A module's two builds, as scripts/build-wasm.ts generates them (simd/*-wasm.ts). */
export interface SimdBuilds {
  own: SimdBuild;
  shared: SimdBuild & { sharedPages: { initial: number; maximum: number } };
}

const PAGE = 65536;

/** Helper threads a shared module can serve (8 threads in all), and the stack each one gets. */
export const MAX_HELPERS = 7;
const HELPER_STACK_BYTES = 16 * 1024;

export function wasmApi(): WasmApi | null {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly ?? null;
}

export class SimdModule {
  readonly exports: Record<string, unknown>;
  /** The compiled module and, for the shared build, what a helper thread needs to join it. */
  readonly compiled: object;
  readonly memory: WasmMemory;
  readonly shared: boolean;
  /** First byte the arena may use (after the module's stack and data, and the helpers' stacks). */
  private readonly base: number;
  private readonly stacksFrom: number;

  constructor(compiled: object, exports: Record<string, unknown>, memory: WasmMemory, shared: boolean) {
    this.compiled = compiled;
    this.exports = exports;
    this.memory = memory;
    this.shared = shared;
    this.stacksFrom = align((exports.heap_base as () => number)(), 16);
    this.base = shared ? this.stacksFrom + MAX_HELPERS * HELPER_STACK_BYTES : this.stacksFrom;
    const missing = this.base - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
  }

  /** Initial stack pointer of helper `index` (0-based): the top of its reserved stack. */
  helperStackTop(index: number): number {
    if (!this.shared || index < 0 || index >= MAX_HELPERS) throw new Error(`no stack for helper ${index}`);
    return this.stacksFrom + (index + 1) * HELPER_STACK_BYTES;
  }

  /**
   * Lays out buffers of the given byte sizes from the arena's start, each 16-byte aligned, growing
   * memory as needed; returns their byte offsets. Earlier layouts' contents are not kept.
   */
  layout(sizes: number[]): number[] {
    const offsets: number[] = [];
    let at = this.base;
    for (const size of sizes) {
      offsets.push(at);
      at = align(at + size, 16);
    }
    const missing = at - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
    return offsets;
  }

  /** A float32 view of `length` values at byte `offset` (re-take it after `layout`: growth replaces the buffer). */
  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  /** A float64 view, likewise (`offset` 8-byte aligned). */
  f64(offset: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, offset, length);
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Whether a shared WebAssembly.Memory can be made here (and so posted to other threads). */
function sharedMemoryWorks(api: WasmApi): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
  try {
    new api.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

function instantiate(api: WasmApi, compiled: object, build: SimdBuild): SimdModule {
  if (build.sharedPages == null) {
    const exports = new api.Instance(compiled, {}).exports;
    return new SimdModule(compiled, exports, exports.memory as WasmMemory, false);
  }
  const memory = new api.Memory({ ...build.sharedPages, shared: true });
  const exports = new api.Instance(compiled, { env: { memory } }).exports;
  return new SimdModule(compiled, exports, memory, true);
}

/**
 * Starts loading a module from its builds, shared first where shared memory works. `get()` returns
 * it once compiled (at once where synchronous compilation works), `ready` resolves to whether it
 * loaded at all.
 */
export function loadSimdModule({ own, shared }: SimdBuilds): { get: () => SimdModule | null; ready: Promise<boolean> } {
  const api = wasmApi();
  let module: SimdModule | null = null;
  if (api == null) return { get: () => null, ready: Promise.resolve(false) };
  const builds = sharedMemoryWorks(api) ? [shared, own] : [own];
  for (const build of builds) {
    try {
      module = instantiate(api, new api.Module(decodeBase64(build.base64)), build);
      return { get: () => module, ready: Promise.resolve(true) };
    } catch {
      // Synchronous compilation refused (Chrome's main thread limits its size), no SIMD, or no
      // shared memory after all: next build, then the asynchronous way, which tells these apart.
    }
  }
  const tryAsync = async (): Promise<boolean> => {
    for (const build of builds) {
      try {
        module = instantiate(api, await api.compile(decodeBase64(build.base64)), build);
        return true;
      } catch {
        // next build
      }
    }
    return false;
  };
  return { get: () => module, ready: tryAsync() };
}

export interface LazySimdModule {
  start: () => Promise<boolean>;
  get: () => SimdModule | null;
}

/** Every lazy module made so far, so that kernel threads can load them all before helpers start. */
export const lazySimdModules: LazySimdModule[] = [];

/**
 * A module that starts loading on the first `start()` or `get()` (kernel registration calls
 * `start()`, so the first training step does not pay for it).
 */
export function lazySimdModule(builds: SimdBuilds): LazySimdModule {
  let loader: ReturnType<typeof loadSimdModule> | null = null;
  const start = (): Promise<boolean> => {
    loader ??= loadSimdModule(builds);
    return loader.ready;
  };
  const lazy = {
    start,
    get: () => {
      void start();
      return loader!.get();
    },
  };
  lazySimdModules.push(lazy);
  return lazy;
}
