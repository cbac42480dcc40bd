/**
 * Builds the benchmark page (scripts/bench-browser/) with Vite into a temporary folder and serves
 * it with Vite's preview server. It is a production build with the same WASM-threads fix as the
 * app (scripts/lib/vite-wasm-threads.ts, in the page's and the worker's plugin lists), served
 * cross-origin isolated so that SharedArrayBuffer, and so WASM threads, exist. The app's own
 * bundle never sees these files: this build has its own root and no config file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, preview } from 'vite';
import { tfjsWasmThreads } from '../vite-wasm-threads.ts';

const PAGE_ROOT = resolve(import.meta.dirname, '../../bench-browser');

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export interface ServedPage {
  url: string;
  close(): Promise<void>;
}

export async function buildAndServePage(): Promise<ServedPage> {
  const outDir = mkdtempSync(join(tmpdir(), 'fmnist-bench-page-'));
  const common = { root: PAGE_ROOT, configFile: false as const, logLevel: 'warn' as const, mode: 'production' };
  try {
    await build({
      ...common,
      plugins: [tfjsWasmThreads()],
      worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
      // No warnings about slow plugins: on a busy 2-core machine every build would print one.
      build: { outDir, emptyOutDir: true, rolldownOptions: { checks: { bundlerTimings: false } } },
    });
    const server = await preview({
      ...common,
      build: { outDir },
      preview: { host: '127.0.0.1', port: 4180, strictPort: false, headers: ISOLATION },
    });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('the preview server has no address');
    return {
      url,
      close: async () => {
        await server.close();
        rmSync(outDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
}
