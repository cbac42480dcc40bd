/**
 * A build fix for tfjs's threaded WebAssembly backend (4.22), without which its threads never
 * start in a production build.
 *
 * tfjs starts each WASM thread (an Emscripten pthread worker) from the source text of its threaded
 * factory function (`factory.toString()` in a Blob). That function reads `_scriptDir`, a variable
 * of the closure around it, behind a `typeof _scriptDir !== "undefined"` guard that is safe in the
 * worker, where the closure does not exist. A minifier knows the variable is declared, renames it
 * and drops the guard (`e !== void 0 && e`), and every thread dies with "e is not defined".
 *
 * The guard is rewritten to test `document` instead: `_scriptDir` only ever holds
 * `document.currentScript.src`, so the meaning is unchanged where the closure exists, and the
 * variable is never read where it does not (workers have no `document`).
 */
import type { Plugin } from 'vite';

const FACTORY = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const GUARD = 'typeof _scriptDir !== "undefined" && _scriptDir';
const SAFE_GUARD = 'typeof document !== "undefined" && _scriptDir';

export function tfjsWasmThreads(): Plugin {
  return {
    name: 'tfjs-wasm-threads',
    transform(code, id) {
      if (!FACTORY.test(id.split('?')[0])) return null;
      // A newer tfjs may have changed this code: fail the build rather than ship threads that die.
      if (!code.includes(GUARD))
        throw new Error(`${id}: the _scriptDir guard this fix rewrites is gone; check tfjsWasmThreads() against this tfjs version`);
      return { code: code.replace(GUARD, SAFE_GUARD), map: null };
    },
  };
}
