/**
 * The built page served as docs/hosting.md tells a host to serve it: exactly the headers of
 * scripts/lib/hosting-headers.ts (cross-origin isolation, the Content-Security-Policy,
 * X-Content-Type-Options). Under them the page streams the data, trains a short run, draws the
 * per-class chart, answers a drawing and lists a model's layers, with zero CSP violations.
 *
 * Violations are caught three ways: the console (the page's), `securitypolicyviolation` events
 * (the page's), and a report-only copy of the same policy whose reports go to the test server,
 * which is the one way to hear of a violation inside a worker (Playwright shows no worker's
 * browser-made console messages). The test ends by committing two violations on purpose, in the
 * page and in a worker, to show that each way of catching them works.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../src/core/classes.ts';
import { CONTENT_SECURITY_POLICY, HOSTING_HEADERS } from '../../scripts/lib/hosting-headers.ts';
import { SHOTS, useAppUnderTest } from './app-under-test.ts';
import { drawOnPad } from './pad.ts';
import { haveChromium } from './chromium.ts';
import { CSP_REPORT_PATH } from './static-server.ts';

const DATA = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';
/** A short real run: the dense baseline, one epoch of 540 images. */
const RUN = 'model=dense&epochs=1&trainSize=600&validationSplit=0.1';

/** The page's own record of violations, from its first script on. */
const RECORD_VIOLATIONS = `
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });`;

const isCspMessage = (text: string) => /Content Security Policy|Content-Security-Policy/i.test(text);

async function drawTrousers(page: Page): Promise<void> {
  const pad = page.getByRole('application', { name: 'Drawing pad' });
  await pad.scrollIntoViewIfNeeded();
  await drawOnPad(page, pad);
}

describe.skipIf(!haveChromium || !existsSync(DATA))('the page served with the documented headers and CSP', () => {
  const app = useAppUnderTest('hosting', RECORD_VIOLATIONS, {
    ...HOSTING_HEADERS,
    // Enforces nothing more: the same policy, reporting to the test server.
    'Content-Security-Policy-Report-Only': `${CONTENT_SECURITY_POLICY}; report-uri ${CSP_REPORT_PATH}`,
  });

  it('sends exactly the documented headers; trains, charts per class, answers a drawing and lists layers with zero CSP violations', async () => {
    // Every file comes with the documented headers, as they are documented.
    for (const path of ['', 'index.html', 'models/default/model.json']) {
      const response = await fetch(`${app.server.url}${path}`);
      expect(response.status, path).toBe(200);
      for (const [name, value] of Object.entries(HOSTING_HEADERS)) expect(response.headers.get(name), `${path} ${name}`).toBe(value);
    }

    await app.withPage('hosting', RUN, async (page, b) => {
      // Isolated, so WebAssembly threads are possible.
      expect(await page.evaluate('crossOriginIsolated')).toBe(true);
      await page.getByText(/^All in: /).waitFor({ timeout: 120_000 });
      const train = page.getByRole('button', { name: 'Train', exact: true });
      await expect.poll(() => train.isEnabled(), { timeout: 60_000 }).toBe(true);
      await train.click();
      await page.locator('.accuracy').waitFor({ timeout: 180_000 });

      // The per-class chart: ten bars in the dataset's order.
      const chart = page.locator('svg.class-accuracy-chart');
      await chart.waitFor({ timeout: 20_000 });
      expect(await chart.locator('.class-bar .class-name').allTextContents()).toEqual([...CLASS_NAMES]);
      expect(await page.getByText('The chart could not be drawn').count()).toBe(0);

      // A drawing, answered.
      const bars = page.getByRole('region', { name: 'Predictions', exact: true });
      await expect.poll(() => page.locator('.answering').textContent(), { timeout: 60_000 }).toMatch(/^Answering: /);
      await drawTrousers(page);
      await expect.poll(async () => (await bars.textContent()) ?? '', { timeout: 60_000 }).toMatch(/^\S.* \d{1,3}\.\d%/);

      // The layers of the chosen model, as a table.
      await page.locator('details.model-layers summary').click();
      await page.locator('details.model-layers .model-summary table').waitFor({ timeout: 60_000 });
      await page.locator('#classify').screenshot({ path: join(SHOTS, 'hosting-classify.png') });

      // Zero violations, however they would show.
      const violations = (await page.evaluate('window.__violations')) as string[];
      console.log(
        `[hosting] console errors: ${b.errors.length}, page violations: ${violations.length}, reports: ${app.server.cspReports.length}`,
      );
      expect(b.errors.filter(isCspMessage)).toEqual([]);
      expect(b.errors).toEqual([]);
      expect(violations).toEqual([]);
      expect(app.server.cspReports).toEqual([]);

      // The checks can fail: a violation in the page, and one inside a worker, are both caught.
      // (The page's is an inline style, as tfjs-vis's style sheet was: code the test evaluates is
      // exempt from the policy, as DevTools' console is, so it cannot be an eval.)
      await page.evaluate(`(() => {
        const style = document.createElement('style');
        style.textContent = 'body { outline: 0; }';
        document.head.append(style);
        const url = URL.createObjectURL(new Blob(["try { new Function('return 1'); } catch {} postMessage('done');"], { type: 'text/javascript' }));
        new Worker(url);
      })()`);
      await expect.poll(() => page.evaluate('window.__violations.length'), { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(() => app.server.cspReports.filter((r) => r.includes('blob:')).length, { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(() => b.errors.filter(isCspMessage).length, { timeout: 20_000 }).toBeGreaterThan(0);
    });
  }, 420_000);
});
