/**
 * `npm start`'s dev server, as a first visit from a fresh clone meets it (no pre-bundled
 * dependencies yet): the page loads once (no re-bundling reload), every realm that uses tfjs (the
 * page, the training worker) imports one and the same pre-bundled tfjs and never a second copy
 * (no tfjs-core modules of their own, no "already registered" warnings), and tfjs goes out as its
 * 3 MB bundle, without the 18 MB inline source map the dev server would add
 * (scripts/lib/vite-dev-deps.ts).
 */
import { rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Response } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium, openBrowser, type Chromium } from './chromium.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** What tfjs says when a second copy of it starts in a realm that has one. */
const SECOND_COPY = /already been set|already registered|backend .* was already/i;

describe.skipIf(!haveChromium)('the dev server (npm start)', () => {
  // A cache of its own, empty, where Vite keeps its own (so the URLs are the ones `npm start` serves).
  const cacheDir = join(ROOT, 'node_modules/.vite-dev-server-test');
  let server: ViteDevServer;
  let chromium: Chromium;

  beforeAll(async () => {
    rmSync(cacheDir, { recursive: true, force: true });
    // As `npm start` runs it (Vitest sets NODE_ENV=test, which Vite would bundle the dependencies for).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      server = await createServer({ root: ROOT, cacheDir, logLevel: 'warn', server: { host: '127.0.0.1', port: 0, strictPort: false } });
      await server.listen();
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('loads the page once, one tfjs in each realm, without inline source maps, and gets the dataset in', async () => {
    const b = await openBrowser(chromium);
    try {
      const { context, page } = b;
      const messages: string[] = [];
      page.on('console', (m) => messages.push(`page: ${m.text()}`));
      page.on('worker', (w) => w.on('console', (m) => messages.push(`worker ${w.url()}: ${m.text()}`)));
      let loads = 0;
      page.on('load', () => loads++);
      const dependencies: Response[] = [];
      let bytes = 0;
      context.on('response', (r) => {
        if (new URL(r.url()).pathname.startsWith('/node_modules/')) dependencies.push(r);
      });
      context.on('requestfinished', (r) => {
        r.sizes().then(
          (sizes) => (bytes += sizes.responseBodySize),
          () => {},
        );
      });
      const started = Date.now();
      await page.goto(server.resolvedUrls!.local[0]);
      await page.getByText(/^All in: /).waitFor({ timeout: 120_000 });
      const seconds = (Date.now() - started) / 1000;
      const paths = dependencies.map((r) => new URL(r.url()).pathname);
      const tfjs = dependencies.filter((r) => /\/@tensorflow_tfjs\.js$/.test(new URL(r.url()).pathname));
      console.log(
        `[dev-server] data in after ${seconds.toFixed(1)} s; ${(bytes / 1e6).toFixed(1)} MB in all; ` +
          `tfjs fetched ${tfjs.length}×: ${[...new Set(tfjs.map((r) => r.url().replace(/^.*\/deps\//, '')))].join(', ')}`,
      );
      expect(loads, 'the page reloaded: the dependencies were bundled again').toBe(1);
      expect(tfjs.length).toBeGreaterThanOrEqual(1);
      // One pre-bundled tfjs (one URL, one version query), and no tfjs module outside it.
      expect(new Set(tfjs.map((r) => r.url())).size).toBe(1);
      expect(paths.filter((p) => /\/@tensorflow\/tfjs-(core|layers|converter|data|backend-cpu|backend-webgl)\//.test(p))).toEqual([]);
      expect(messages.filter((m) => SECOND_COPY.test(m))).toEqual([]);
      // Each pre-bundled file goes out about as large as it is on disk: no source map inlined.
      // (Vite still adds a small map of its own to a file that has none, such as its runtime.)
      const bundled = new Map(
        dependencies
          .filter((r) => /\/\.vite-dev-server-test\/deps\/[^/]+\.js$/.test(new URL(r.url()).pathname))
          .map((r) => [new URL(r.url()).pathname, r]),
      );
      expect(bundled.size).toBeGreaterThan(0);
      for (const [path, r] of bundled) {
        const onDisk = statSync(join(ROOT, path)).size;
        const sent = (await r.body()).length;
        expect(sent, `${path}: ${sent} bytes sent, ${onDisk} on disk`).toBeLessThan(onDisk * 1.1 + 16_384);
      }
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
    }
  }, 240_000);
});
