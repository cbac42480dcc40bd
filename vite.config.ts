/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { tfjsWasmThreads } from './scripts/lib/vite-wasm-threads.ts';

// Cross-origin isolation lets the page use SharedArrayBuffer, which tfjs's threaded WASM build needs.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), tfjsWasmThreads()],
  server: { headers: isolation, port: 5173 },
  preview: { headers: isolation, port: 4173 },
  // Workers are bundled on their own, with only these plugins: the training worker carries tfjs too.
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    // tfjs backends are process-global: one file at a time keeps memory counts honest.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
