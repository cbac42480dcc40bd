/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), headless, with a
 * fresh profile and no background networking: this machine reaches no outside host.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BASE_FLAGS, SOFTWARE_GL_FLAGS, chromiumPath } from '../../scripts/lib/chromium-flags.ts';

export const CHROMIUM = chromiumPath();
export const haveChromium = existsSync(CHROMIUM);

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far, page and workers alike. */
  errors: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'fmnist-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    // WebGL on SwiftShader, as a machine without a GPU has it.
    args: [...BASE_FLAGS, ...SOFTWARE_GL_FLAGS],
  });
  // Records the main thread's long tasks (> 50 ms) from the first paint on, for the
  // responsiveness check: window.__longTasks holds [startTime, duration] pairs.
  // (Plain strings: these run in the page, and the tests' tsconfig has no DOM types.)
  await context.addInitScript({
    content: `window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask', buffered: true });`,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Long tasks of the page's main thread that started after `since` (ms, performance.now()). */
export async function longTasksSince(page: Page, since: number): Promise<number[]> {
  return page.evaluate(`window.__longTasks.filter(([start]) => start >= ${since}).map(([, d]) => d)`) as Promise<number[]>;
}

/** The page's performance.now(), to mark when a measured phase begins. */
export async function pageNow(page: Page): Promise<number> {
  return page.evaluate('performance.now()') as Promise<number>;
}
