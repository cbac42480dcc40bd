/**
 * Instantiates one of our own WebAssembly SIMD modules (built by scripts/build-wasm.ts, shipped as
 * base64 inside a TypeScript file) and manages its linear memory as a scratch arena.
 *
 * The same code runs in Node, in a Web Worker and on a page's main thread: it compiles
 * synchronously where the engine allows it (Node, workers; small modules on the main thread), else
 * asynchronously, and until then — or for good, where WebAssembly SIMD is missing — `instance()`
 * is null and the caller uses its fallback.
 */
import { decodeBase64 } from './base64.ts';

/** The parts of the WebAssembly JS API we use (the core compiles without DOM or Node types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

const PAGE = 65536;

export class SimdModule {
  readonly exports: Record<string, unknown>;
  private readonly memory: WasmMemory;
  /** First byte the arena may use (after the module's stack and data). */
  private readonly base: number;

  constructor(exports: Record<string, unknown>) {
    this.exports = exports;
    this.memory = exports.memory as WasmMemory;
    this.base = align((exports.heap_base as () => number)(), 16);
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

  /** A float32 view of `length` values at byte `offset` (re-take it after `layout`: growth detaches). */
  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/**
 * Starts loading a module from its base64 bytes. `get()` returns it once compiled (at once where
 * synchronous compilation works), `ready` resolves to whether it loaded at all.
 */
export function loadSimdModule(base64: string): { get: () => SimdModule | null; ready: Promise<boolean> } {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  let module: SimdModule | null = null;
  if (api == null) return { get: () => null, ready: Promise.resolve(false) };
  const bytes = decodeBase64(base64);
  try {
    module = new SimdModule(new api.Instance(new api.Module(bytes), {}).exports);
    return { get: () => module, ready: Promise.resolve(true) };
  } catch {
    // Synchronous compilation refused (Chrome's main thread limits its size) or no SIMD: try the
    // asynchronous way, which also tells the two apart.
  }
  const ready = api.instantiate(bytes, {}).then(
    (result) => {
      module = new SimdModule(result.instance.exports);
      return true;
    },
    () => false,
  );
  return { get: () => module, ready };
}

/**
 * A module that starts loading on the first `start()` or `get()` (kernel registration calls
 * `start()`, so the first training step does not pay for it).
 */
export function lazySimdModule(base64: string): { start: () => Promise<boolean>; get: () => SimdModule | null } {
  let loader: ReturnType<typeof loadSimdModule> | null = null;
  const start = (): Promise<boolean> => {
    loader ??= loadSimdModule(base64);
    return loader.ready;
  };
  return {
    start,
    get: () => {
      void start();
      return loader!.get();
    },
  };
}
