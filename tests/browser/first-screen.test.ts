/**
 * Where things are, on the `?fake=1` page (the replaying engine: no training, no dataset needed):
 * the drawing pad one "Draw or upload" tab away, on the first screen with the answers beside it
 * (under it on a phone); on a phone, nothing past the screen's edge after a run: a table wider than
 * the screen scrolls in its own box, with a hint.
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
        console.log(
          `[first-screen] ${width} × ${height}: pad ${Math.round(q.x)},${Math.round(q.y)}; bars ${Math.round(a.x)},${Math.round(a.y)}–${Math.round(a.y + a.height)}`,
        );
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

  /**
   * What runs past the screen's right edge and is not clipped by a table's own scroll box, and each
   * scroll box wider than its table: whether its hint shows.
   */
  const overflowOf = (page: Page) =>
    page.evaluate(() => {
      const loose: string[] = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= innerWidth + 0.5) continue;
        if (el.closest('.table-scroll') && el.closest('.table-scroll')!.getBoundingClientRect().right <= innerWidth + 0.5) continue;
        loose.push(`${el.tagName.toLowerCase()}.${String(el.className)} to ${Math.round(r.right)} px`);
      }
      const boxes = [...document.querySelectorAll('.table-scroll')]
        .filter((box) => box.getBoundingClientRect().width > 0)
        .map((box) => {
          const hint = box.parentElement!.querySelector('.table-scroll-hint');
          return {
            table: box.querySelector('table')!.className,
            wider: box.scrollWidth > box.clientWidth + 1,
            hint: hint !== null && hint.getBoundingClientRect().height > 0,
            focusable: box.getAttribute('tabindex') === '0',
          };
        });
      return { pageWidth: document.documentElement.scrollWidth, loose, boxes };
    });

  it('at 390 and 360 px wide after a run and a comparison, nothing runs past the screen; a table wider than it scrolls in its box, saying so', async () => {
    await app.withPage('first-screen-fit', PAGE, async (page, b) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await page.getByText(/^All in: /).waitFor({ timeout: 30_000 });
      const done = page.locator('.run-status p[aria-live="polite"] strong');
      const tabs = [
        ['Train one model', 'Train'],
        ['Compare', 'Compare'],
      ] as const;
      // One run and one comparison; each tab keeps its results, looked at in both widths.
      for (const [tab, button] of tabs) {
        await page.getByRole('tab', { name: tab, exact: true }).click();
        await page.getByRole('button', { name: button, exact: true }).click();
        await expect.poll(() => done.textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
        await page.locator('.confusion-table').first().waitFor();
      }
      for (const [width, height] of [
        [390, 844],
        [360, 740],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const [tab] of tabs) {
          await page.getByRole('tab', { name: tab, exact: true }).click();
          // Train: epochs, matrix, report. Compare: its table and the two matrices.
          await expect.poll(async () => (await overflowOf(page)).boxes.length, { timeout: 10_000 }).toBe(3);
          const seen = await overflowOf(page);
          console.log(
            `[first-screen] ${width} px, ${tab}: ${seen.boxes.map((x) => `${x.table}${x.wider ? ' scrolls' : ' fits'}`).join(', ')}`,
          );
          expect(seen.pageWidth, `${width} px, ${tab}`).toBeLessThanOrEqual(width);
          expect(seen.loose, `${width} px, ${tab}`).toEqual([]);
          for (const box of seen.boxes) {
            expect(box.hint, `${width} px, ${tab}: ${box.table}'s hint`).toBe(box.wider);
            expect(box.focusable, `${width} px, ${tab}: ${box.table} takes the keyboard`).toBe(box.wider);
          }
          // 390 px: the single run's epochs, matrix (short class names) and report fit as they are.
          if (width === 390 && tab === 'Train one model') expect(seen.boxes.every((x) => !x.wider)).toBe(true);
        }
        // Scrolled to its end, a table's hint points back.
        const frame = page.locator('.table-scroll-frame', { has: page.locator('table.compare-table') });
        await frame.locator('.table-scroll').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
        await expect.poll(() => frame.locator('.table-scroll-hint').textContent()).toBe('← The table scrolls back to the left');
        await frame.screenshot({ path: join(SHOTS, `first-screen-fit-${width}-compare-table.png`) });
        await page.screenshot({ path: join(SHOTS, `first-screen-fit-${width}.png`), fullPage: true });
        await frame.locator('.table-scroll').evaluate((el) => el.scrollTo({ left: 0 }));
      }
      expect(b.errors).toEqual([]);
    });
  }, 180_000);

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
