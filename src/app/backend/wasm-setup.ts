/**
 * tfjs's WebAssembly backend in the browser (start-wasm.ts does the starting): the .wasm files come
 * from Vite's asset pipeline (so they get hashed file names in a build), our kernels' helper threads
 * are Web Workers, and shared memory exists where the page is cross-origin isolated.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { spawnBrowserHelper } from './kernel-threads-browser.ts';
import { startWasm, type WasmEnvironment, type WasmStart } from './start-wasm.ts';

/**
 * Makes navigator.hardwareConcurrency read `cores` until the returned function is called: tfjs's
 * C++ side caps its pool at half the logical cores it sees.
 */
function claimCores(cores: number): () => void {
  const nav = globalThis.navigator as object;
  Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  return () => void Reflect.deleteProperty(nav, 'hardwareConcurrency');
}

/** The browser's environment for start-wasm.ts, in a page or a worker. */
export function browserWasmEnvironment(): WasmEnvironment {
  return {
    wasmPaths: {
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
    },
    spawnHelper: spawnBrowserHelper,
    sharedMemory: globalThis.crossOriginIsolated === true && typeof Worker === 'function',
    cores: globalThis.navigator?.hardwareConcurrency ?? 1,
    // For the start-up only, claim twice the threads asked, so that tfjs's cap lets them through.
    enableThreads: (threads) => claimCores(2 * threads),
  };
}

/**
 * Makes 'wasm' the active backend, with as many threads as pay off here. Returns the threads in
 * use and a note when threads were wanted but did not work. Throws when WebAssembly does not start.
 */
export function activateWasm(): Promise<WasmStart> {
  return startWasm(browserWasmEnvironment(), 'auto');
}
