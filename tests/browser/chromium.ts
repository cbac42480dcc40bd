/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), headless, with no
 * background networking: this machine reaches no outside host. A test file launches one browser and
 * opens a fresh context (its own storage, cache and workers, like a fresh profile) for each test.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser as Chromium, type BrowserContext, type Page } from 'playwright-core';
import { BASE_FLAGS, SOFTWARE_GL_FLAGS, chromiumPath } from '../../scripts/lib/chromium-flags.ts';

export const CHROMIUM = chromiumPath();
export const haveChromium = existsSync(CHROMIUM);

export type { Chromium };

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far, page and workers alike. */
  errors: string[];
  close(): Promise<void>;
}

/** Starts Chromium with WebGL on SwiftShader, as a machine without a GPU has it. */
export function launchChromium(): Promise<Chromium> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_FLAGS, ...SOFTWARE_GL_FLAGS] });
}

/** A fresh context of `chromium` (nothing stored, nothing cached) with one page open. */
export async function openBrowser(launched: Chromium): Promise<Browser> {
  const context = await launched.newContext({ viewport: { width: 1280, height: 900 } });
  // Records the main thread's long tasks (> 50 ms) from the first paint on, for the
  // responsiveness check: window.__longTasks holds [startTime, duration] pairs.
  // (Plain strings: these run in the page, and the tests' tsconfig has no DOM types.)
  await context.addInitScript({
    content: `window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask', buffered: true });`,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { context, page, errors, close: () => context.close() };
}

/** Long tasks of the page's main thread that started after `since` (ms, performance.now()). */
export async function longTasksSince(page: Page, since: number): Promise<number[]> {
  return page.evaluate(`window.__longTasks.filter(([start]) => start >= ${since}).map(([, d]) => d)`) as Promise<number[]>;
}

/** The page's performance.now(), to mark when a measured phase begins. */
export async function pageNow(page: Page): Promise<number> {
  return page.evaluate('performance.now()') as Promise<number>;
}
