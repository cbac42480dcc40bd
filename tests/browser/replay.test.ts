/**
 * `?fake=1`: the page with the replaying engine (src/app/replay/fake-engine.ts) instead of the real
 * one, for working on the UI without training. It replays a single run and a comparison through
 * the same 'run' messages the engine sends, so both tabs can be looked at. Needs no dataset.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppUnderTest } from './app-under-test.ts';
import { expectCurves } from './curves.ts';
import { haveChromium } from './chromium.ts';

describe.skipIf(!haveChromium)('the replaying engine (?fake=1)', () => {
  const app = useAppUnderTest('replay');
  const status = (page: Page) => page.locator('.run-status p[aria-live="polite"] strong');

  it('replays a single run and comparisons of networks and of augmentation, each tab keeping its own', async () => {
    await app.withPage('replay', 'fake=1&model=tinyvgg&epochs=2&trainSize=2000&validationSplit=0.1', async (page, b) => {
      await page.getByText('All in: 60,000 training and 10,000 test images.').waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      await expectCurves(page, ['TinyVGG']);
      // A single model also shows its validation curve: a marker per epoch.
      const validation = page.locator('.overlay-chart svg').first().locator('g.series[data-series="validation"] rect');
      await expect.poll(() => validation.count(), { timeout: 10_000 }).toBe(2);
      await page.locator('.accuracy').waitFor();

      await page.getByRole('tab', { name: 'Compare', exact: true }).click();
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await page
        .locator('.member-status[data-member="1"]')
        .getByText(/batch [\d,]+ of [\d,]+/)
        .waitFor({ timeout: 30_000 });
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      await expectCurves(page, ['Dense baseline', 'TinyVGG']);
      // The replayed evaluations feed the same results view as a real comparison.
      await page.locator('table.compare-table').waitFor({ timeout: 10_000 });
      expect(await page.locator('section.subpanel', { has: page.getByRole('heading', { name: /^Confusion matrix: / }) }).count()).toBe(2);

      // Back on the Train tab, its own run is still there.
      await page.getByRole('tab', { name: 'Train one model', exact: true }).click();
      expect(await status(page).textContent()).toMatch(/^Done in /);

      // The CNN without against with augmentation: the link keeps the choice across a reload.
      await page.getByRole('tab', { name: 'Compare', exact: true }).click();
      await page.getByRole('radio', { name: 'A CNN without against with augmentation' }).check();
      await expect.poll(() => page.url()).toContain('compare=augmentation');
      await page.reload();
      await page.getByText('All in: 60,000 training and 10,000 test images.').waitFor({ timeout: 30_000 });
      expect(await page.getByRole('radio', { name: 'A CNN without against with augmentation' }).isChecked()).toBe(true);
      await page.getByRole('heading', { name: 'TinyVGG: without against with augmentation' }).waitFor();
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      await expectCurves(page, ['TinyVGG, no augmentation', 'TinyVGG, augmented']);
      await page.locator('table.compare-table').waitFor({ timeout: 10_000 });
      const headers = await page.locator('table.compare-table thead th').allTextContents();
      expect(headers.map((h) => h.trim())).toEqual(['Test set', 'TinyVGG, no augmentation', 'TinyVGG, augmented', 'Difference']);
      expect(await page.locator('table.compare-table caption').textContent()).toMatch(/^Difference = augmented − plain\./);
      await page.getByText(/^What augmentation does:/).waitFor();
      // Back to networks: the dense network is offered again, and the link says so.
      await page.getByRole('radio', { name: 'A dense network against a CNN' }).check();
      await page.getByRole('heading', { name: 'Dense baseline against TinyVGG' }).waitFor();
      expect(page.url()).not.toContain('compare=augmentation');
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(b.errors).toEqual([]);
    });
  }, 180_000);
});
