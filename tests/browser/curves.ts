/** What the browser tests check of the learning curves: every chart draws each named series. */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** How many points the line of chart series `series` (a `g.series`) has; 1 while it has none. */
export async function seriesPoints(series: Locator): Promise<number> {
  const d = await series
    .locator('path')
    .getAttribute('d')
    .catch(() => null);
  return (d ?? '').split('L').length;
}

/**
 * Each named series has a line (two points at least) in all four overlaid charts (accuracy and
 * loss, by epoch and by time), and a test marker after an epoch. Polled: charts redraw at most
 * every 500 ms. Two, not more: the engine sends a member's batch results at most ten times a
 * second and always the epoch's last, so a small model on a quiet machine may finish a short
 * epoch with only its first and last points.
 */
export async function expectCurves(page: Page, names: string[]): Promise<void> {
  const charts = page.locator('.overlay-chart svg');
  await expect.poll(() => charts.count(), { timeout: 15_000 }).toBe(4);
  for (let c = 0; c < 4; c++) {
    for (const name of names) {
      const series = charts.nth(c).locator(`g.series[data-series="${name}"]`);
      await expect.poll(() => seriesPoints(series), { timeout: 15_000, message: `${name} in chart ${c}` }).toBeGreaterThanOrEqual(2);
      await expect
        .poll(() => series.locator('circle, rect').count(), { timeout: 15_000, message: `${name} markers in chart ${c}` })
        .toBeGreaterThanOrEqual(1);
    }
  }
}
