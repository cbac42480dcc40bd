/**
 * Starts the backend a benchmark row asks for, in the worker: WebGL the way the page starts it
 * (selectBackend in src/app/backend/select-backend.ts), or WebAssembly with an exact thread count
 * (start-wasm.ts, in the page's environment). The page picks WASM threads by the machine's cores;
 * a benchmark must run 1 and 2 threads on any machine. A backend that does not start as asked is an
 * error, never a fallback: a row labelled "2 threads" must have run on 2.
 */
import { selectBackend } from '../../src/app/backend/select-backend.ts';
import { startWasm } from '../../src/app/backend/start-wasm.ts';
import { browserWasmEnvironment } from '../../src/app/backend/wasm-setup.ts';
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
  const started = await startWasm(browserWasmEnvironment(), threads);
  return {
    backend,
    renderer: webgl.renderer,
    software: null,
    threads: started.threads,
    kernelThreads: started.kernelThreads,
    wasmBuild: threads > 1 ? 'threaded-simd' : 'simd',
  };
}
