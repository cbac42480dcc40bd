/**
 * tfjs's threaded WebAssembly build in the production bundle, in Debian's Chromium.
 *
 * The page asks for WASM threads only from 4 logical cores (tfjs's pool takes half of them), and
 * the test machines have 2. So the test makes the training worker see 8: the page's Worker is
 * wrapped to start a small module that overrides `navigator.hardwareConcurrency` and then imports
 * the real worker script. With threads, the run must start its threads (before the build fix in
 * scripts/lib/vite-wasm-threads.ts every thread died with "e is not defined" and the page fell back
 * to one) and reach the same test accuracy as one thread, from the same seed. Our own kernel
 * threads (src/core/kernels/threads/) start from the training worker as nested workers: 4 with 8
 * cores claimed, 2 on 2 cores; they too must not change a seed's result.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppUnderTest } from './app-under-test.ts';
import { haveChromium } from './chromium.ts';

const DATA = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

/** TinyVGG has no dropout, so a seed fixes everything: one thread and four must reach the same score. */
const RUN = 'model=tinyvgg&epochs=1&trainSize=600&validationSplit=0.1&seed=1';

/** Served by the test: claims `cores` logical cores, then runs the worker script named by `real`. */
const BOOT_PATH = '/test-cores-worker.js';
const BOOT = `
  const query = new URL(location.href).searchParams;
  Object.defineProperty(WorkerNavigator.prototype, 'hardwareConcurrency', { get: () => Number(query.get('cores')) });
  // Messages the page sends while the real script loads would find no listener yet: keep them.
  const early = [];
  const keep = (event) => early.push(event.data);
  self.addEventListener('message', keep);
  await import(query.get('real'));
  self.removeEventListener('message', keep);
  for (const data of early) self.dispatchEvent(new MessageEvent('message', { data }));`;

/** In the page: the training worker starts through BOOT_PATH when the page's URL has `cores=`. */
const WRAP_WORKER = `
  const cores = new URLSearchParams(location.search).get('cores');
  if (cores) {
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(url, options) {
        if (options && options.name === 'training') {
          url = '${BOOT_PATH}?cores=' + cores + '&real=' + encodeURIComponent(new URL(url, location.href).href);
        }
        super(url, options);
      }
    };
  }`;

describe.skipIf(!haveChromium || !existsSync(DATA))('WebAssembly threads in Chromium', () => {
  const app = useAppUnderTest('threads', WRAP_WORKER);

  /** Trains RUN and returns the backend line, its note, and the test accuracy headline. */
  async function trainWith(page: Page): Promise<{ backend: string; panel: string; headline: string }> {
    const backend = page.getByText(/^Training on WebAssembly \(CPU\) with \d+ threads?( \(convolutions on \d+\))?\.$/);
    await backend.waitFor({ timeout: 60_000 });
    await page.getByText(/^All in: /).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const headline = page.getByText(/^Test accuracy: \d{1,3}\.\d%$/).first();
    await headline.waitFor({ timeout: 240_000 });
    const panel = (await page.getByRole('region', { name: 'Backend' }).textContent()) ?? '';
    return { backend: (await backend.textContent())!, panel, headline: (await headline.textContent())! };
  }

  it('starts the threaded build in the production bundle and trains to the same test accuracy as one thread', async () => {
    app.server.override(BOOT_PATH, { body: new TextEncoder().encode(BOOT) });
    const runs: Record<string, { backend: string; panel: string; headline: string }> = {};
    for (const cores of [8, 2]) {
      await app.withPage(`wasm-threads-${cores}`, `${RUN}&cores=${cores}`, async (page, b) => {
        runs[cores] = await trainWith(page);
        console.log(`[threads] ${cores} cores claimed: ${runs[cores].backend} ${runs[cores].headline}`);
        expect(await page.getByRole('alert').count()).toBe(0);
        expect(b.errors).toEqual([]);
      });
    }
    // tfjs's pool takes half the logical cores it sees: 4 of 8.
    expect(runs[8].backend).toBe('Training on WebAssembly (CPU) with 4 threads.');
    expect(runs[8].panel).not.toMatch(/failed/);
    // Below 4 cores tfjs's pool stays off, but our convolution gradients still use both cores.
    expect(runs[2].backend).toBe('Training on WebAssembly (CPU) with 1 thread (convolutions on 2).');
    expect(runs[2].panel).toMatch(/tfjs's own thread pool is off on 2 logical cores \(it starts at 4\)/);
    expect(runs[8].headline).toBe(runs[2].headline);
  }, 600_000);
});
