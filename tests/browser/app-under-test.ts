/**
 * What every browser test file sets up: one production build served by one static server for the
 * whole file, and a fresh Chromium (fresh profile, fresh worker) per test, screenshotted at the end
 * into test-results/browser/. Call inside the file's describe().
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from './build-app.ts';
import { openBrowser, type Browser } from './chromium.ts';
import { serveStatic, type StaticServer } from './static-server.ts';

export const SHOTS = resolve(import.meta.dirname, '../../test-results/browser');

export interface AppUnderTest {
  /** The server of the build (set once the file's beforeAll ran): its URL, and overrides for broken files. */
  readonly server: StaticServer;
  /** Runs `body` in a fresh browser on the page with `query`; saves `name`.png whatever happens. */
  withPage(name: string, query: string, body: (page: Page, b: Browser) => Promise<void>): Promise<void>;
}

/**
 * @param tag prefixes the timings printed for the record
 * @param initScript runs in every page before its own scripts (e.g. to record worker messages)
 * @param headers what the server sends with every file (default: static-server.ts's TEST_HEADERS)
 */
export function useAppUnderTest(tag: string, initScript?: string, headers?: Readonly<Record<string, string>>): AppUnderTest {
  let dist = '';
  let server: StaticServer | null = null;
  const open: Browser[] = [];

  beforeAll(async () => {
    const started = Date.now();
    dist = await buildApp();
    server = await serveStatic(dist, headers);
    mkdirSync(SHOTS, { recursive: true });
    console.log(`[${tag}] build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  afterAll(async () => {
    for (const b of open.splice(0)) await b.close().catch(() => {});
    await server?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  return {
    get server() {
      if (!server) throw new Error('the app is not built yet: use the server inside a test');
      return server;
    },
    async withPage(name, query, body) {
      const started = Date.now();
      const b = await openBrowser();
      open.push(b);
      if (initScript) await b.context.addInitScript({ content: initScript });
      try {
        await b.page.goto(`${this.server.url}?${query}`);
        await body(b.page, b);
      } finally {
        await b.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }).catch(() => {});
        open.splice(open.indexOf(b), 1);
        await b.close();
        console.log(`[${tag}] ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    },
  };
}
