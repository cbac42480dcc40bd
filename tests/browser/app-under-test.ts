/**
 * What every browser test file sets up: the run's production build (tests/browser/global-setup.ts)
 * served by one static server for the whole file, one Chromium for the file, and a fresh context
 * (fresh storage, fresh workers) per test, screenshotted at the end into test-results/browser/.
 * Call inside the file's describe().
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium, openBrowser, type Browser, type Chromium } from './chromium.ts';
import { serveStatic, type StaticServer } from './static-server.ts';

export const SHOTS = resolve(import.meta.dirname, '../../test-results/browser');

export interface AppUnderTest {
  /** The server of the build (set once the file's beforeAll ran): its URL, and overrides for broken files. */
  readonly server: StaticServer;
  /** Runs `body` in a fresh browser context on the page with `query`; saves `name`.png whatever happens. */
  withPage(name: string, query: string, body: (page: Page, b: Browser) => Promise<void>): Promise<void>;
}

/**
 * @param tag prefixes the timings printed for the record
 * @param initScript runs in every page before its own scripts (e.g. to record worker messages)
 * @param headers what the server sends with every file (default: static-server.ts's TEST_HEADERS)
 */
export function useAppUnderTest(tag: string, initScript?: string, headers?: Readonly<Record<string, string>>): AppUnderTest {
  let server: StaticServer | null = null;
  let chromium: Chromium | null = null;

  beforeAll(async () => {
    const dist = inject('appDist');
    if (!dist) throw new Error('no production build: run the browser tests through vitest, whose global setup builds the app');
    server = await serveStatic(dist, headers);
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await chromium?.close().catch(() => {});
    await server?.close();
  });

  return {
    get server() {
      if (!server) throw new Error('the app is not served yet: use the server inside a test');
      return server;
    },
    async withPage(name, query, body) {
      const started = Date.now();
      // One launch per file; again only if a test crashed the browser.
      if (!chromium?.isConnected()) chromium = await launchChromium();
      const b = await openBrowser(chromium);
      if (initScript) await b.context.addInitScript({ content: initScript });
      try {
        await b.page.goto(`${this.server.url}?${query}`);
        await body(b.page, b);
      } finally {
        await b.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }).catch(() => {});
        await b.close().catch(() => {});
        console.log(`[${tag}] ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    },
  };
}
