/**
 * Where things are, on the `?fake=1` page (the replaying engine: no training, no dataset needed):
 * the drawing pad one "Draw or upload" tab away, on the first screen with the answers beside it
 * (under it on a phone).
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS, useAppUnderTest } from './app-under-test.ts';
import { haveChromium } from './chromium.ts';
import { drawOnPad } from './pad.ts';

const PAGE = 'fake=1&model=tinyvgg&epochs=2&trainSize=2000&validationSplit=0.1';

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  expect(b, 'laid out').not.toBeNull();
  return b!;
}

const pad = (page: Page) => page.getByRole('application', { name: 'Drawing pad' });
const bars = (page: Page) => page.locator('.classify-result .prediction-bars');
const drawTab = (page: Page) => page.getByRole('tab', { name: 'Draw or upload' });

describe.skipIf(!haveChromium)('where a visitor finds things (?fake=1)', () => {
  const app = useAppUnderTest('first-screen');

  for (const [width, height] of [
    [1280, 800],
    [390, 844],
    [360, 740],
  ] as const) {
    it(`at ${width} × ${height}: the heading's link opens the Draw tab, the pad and its answers on the first screen`, async () => {
      await app.withPage(`first-screen-draw-${width}`, PAGE, async (page, b) => {
        await page.setViewportSize({ width, height });
        await page.reload();
        await page.getByText(/^All in: /).waitFor({ timeout: 30_000 });
        expect(await drawTab(page).getAttribute('aria-selected')).toBe('false');
        await page.getByRole('link', { name: 'Or draw or upload a clothing item' }).click();
        await expect.poll(() => drawTab(page).getAttribute('aria-selected')).toBe('true');
        expect(new URL(page.url()).hash).toBe('#draw');
        // The training set-up is out of the way; the pad is on screen, whole.
        expect(await page.getByRole('heading', { name: 'Model and hyperparameters' }).isVisible()).toBe(false);
        await expect.poll(async () => (await box(pad(page))).y, { timeout: 5_000 }).toBeGreaterThanOrEqual(0);
        const p = await box(pad(page));
        expect(p.y + p.height).toBeLessThanOrEqual(height);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

        await drawOnPad(page, pad(page));
        await bars(page).locator('li').first().waitFor({ timeout: 60_000 });
        const a = await box(bars(page));
        const q = await box(pad(page));
        console.log(`[first-screen] ${width} × ${height}: pad ${Math.round(q.x)},${Math.round(q.y)}; bars ${Math.round(a.x)},${Math.round(a.y)}–${Math.round(a.y + a.height)}`);
        await page.screenshot({ path: join(SHOTS, `first-screen-draw-${width}-answered.png`) });
        if (width >= 1000) {
          // Wide: the bars beside the pad, all on the first screen.
          expect(a.x).toBeGreaterThan(q.x + q.width);
          expect(a.y).toBeLessThan(q.y + q.height);
          expect(a.y + a.height).toBeLessThanOrEqual(height);
        } else {
          // A phone: right under the pad, within the next screen.
          expect(a.y).toBeGreaterThan(q.y + q.height);
          expect(a.y + a.height).toBeLessThanOrEqual(2 * height);
        }
        expect(b.errors).toEqual([]);
      });
    }, 120_000);
  }

  it('a link to #draw opens on the Draw tab; the tabs keep a run and the pad as they were', async () => {
    await app.withPage('first-screen-draw-link', `${PAGE}#draw`, async (page, b) => {
      await page.getByText(/^All in: /).waitFor({ state: 'attached', timeout: 30_000 });
      expect(await drawTab(page).getAttribute('aria-selected')).toBe('true');
      expect((await box(pad(page))).y + 280).toBeLessThanOrEqual(900);
      await drawOnPad(page, pad(page));
      await bars(page).locator('li').first().waitFor({ timeout: 60_000 });
      // Train, then back: the drawing and its answer are still there, and the hash is gone with the tab.
      await page.getByRole('tab', { name: 'Train one model' }).click();
      expect(new URL(page.url()).hash).toBe('');
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await drawTab(page).click();
      expect(new URL(page.url()).hash).toBe('#draw');
      expect(await bars(page).locator('li').count()).toBe(10);
      // The run goes on meanwhile, and the Draw tab says where to follow it.
      await page.getByText('A run is training meanwhile: its progress is under “Train one model”.').waitFor({ timeout: 10_000 });
      // Arrow keys move between the three tabs, both ways.
      await drawTab(page).focus();
      await page.keyboard.press('ArrowLeft');
      expect(await page.getByRole('tab', { name: 'Compare', exact: true }).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('ArrowRight');
      expect(await drawTab(page).getAttribute('aria-selected')).toBe('true');
      expect(b.errors).toEqual([]);
    });
  }, 120_000);
});
