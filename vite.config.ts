/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { HOSTING_HEADERS, ISOLATION_HEADERS } from './scripts/lib/hosting-headers.ts';
import { devDepsWithoutSourceMaps } from './scripts/lib/vite-dev-deps.ts';
import { tfjsWasmThreads } from './scripts/lib/vite-wasm-threads.ts';

export default defineConfig({
  plugins: [react(), tfjsWasmThreads(), devDepsWithoutSourceMaps()],
  // The dev server injects inline scripts (React's refresh), which the Content-Security-Policy
  // forbids: it gets cross-origin isolation only. Preview serves the build as a host should.
  server: { headers: ISOLATION_HEADERS, port: 5173 },
  // The dev server pre-bundles what the page and its workers import when it starts: Vite's scan
  // does not follow `new Worker(...)`, and a dependency found only mid-visit (umap-js, in the map's
  // worker) is bundled again and the page reloads, loading tfjs a second time
  // (tests/browser/dev-server.test.ts).
  optimizeDeps: { entries: ['index.html', 'src/**/*-worker.ts'] },
  preview: { headers: HOSTING_HEADERS, port: 4173 },
  // Workers are bundled on their own, with only these plugins: the training worker carries tfjs too.
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  test: {
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    // Two files at a time: a browser test spends much of its time waiting on Chromium, so the node
    // files run in its gaps. Each file has its own process (tfjs's backends and tensor counts stay
    // per file). More would only queue on a 2-core machine.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'node', include: ['tests/*.test.ts'] } },
      // The browser tests share one production build, made once per run and only when they run.
      { extends: true, test: { name: 'browser', include: ['tests/browser/**/*.test.ts'], globalSetup: ['tests/browser/global-setup.ts'] } },
    ],
  },
});
