/**
 * The map of the test set in Chromium against the production build: after a drawing, the map of
 * the answering model's 2,000 test images appears and finishes in the map worker, the drawing is
 * marked on it, and its six nearest test images show with their labels; another drawing moves the
 * marker and changes the neighbours; a nearest image opens as the picture answered. Screenshots
 * of the region at 1280 × 800 and 390 × 844 go to .shots/.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../src/core/classes.ts';
import { useAppUnderTest } from './app-under-test.ts';
import { haveChromium, longTasksSince, pageNow } from './chromium.ts';
import { drawOnPad } from './pad.ts';

const SHOTS = resolve(import.meta.dirname, '../../.shots');

/** Draws a filled box with a handle on the pad (a bag, roughly): nothing like the trousers drawOnPad makes. */
async function drawBag(page: Page, pad: Locator): Promise<void> {
  const b = (await pad.boundingBox())!;
  const at = (x: number, y: number) => [b.x + (x * b.width) / 280, b.y + (y * b.height) / 280] as const;
  const strokes: [number, number][][] = [
    [
      [100, 110],
      [100, 60],
      [180, 60],
      [180, 110],
    ],
  ];
  for (let y = 110; y <= 240; y += 8)
    strokes.push([
      [40, y],
      [240, y],
    ]);
  for (const points of strokes) {
    await page.mouse.move(...at(...points[0]));
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(...at(...p), { steps: 4 });
    await page.mouse.up();
  }
}

describe.skipIf(!haveChromium)('map of the test set in Chromium', () => {
  const app = useAppUnderTest('test-set-map');

  it('maps the test set, marks the drawing and shows its nearest test images; another drawing moves them', async () => {
    mkdirSync(SHOTS, { recursive: true });
    await app.withPage('test-set-map', '', async (page) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('tab', { name: 'Draw or upload' }).click();
      const region = page.getByRole('region', { name: 'Map of the test set' });
      const map = region.getByRole('img', { name: /^Map of the test set: 2,000 test images/ });
      const nearest = region.getByRole('list', { name: 'Nearest test images' }).locator('li');
      const pad = page.getByRole('application', { name: 'Drawing pad' });
      await expect.poll(() => page.locator('.answering').textContent(), { timeout: 60_000 }).toMatch(/^Answering: ready-trained/);
      await drawOnPad(page, pad);
      // Below the fold the map waits: it is made once a person scrolls to it.
      await expect.poll(() => region.getByRole('status').textContent()).toBe('The map is made when you scroll to it.');
      expect(await map.count()).toBe(0);
      await region.scrollIntoViewIfNeeded();
      // The map appears, then finishes laying out (its status line goes).
      await expect.poll(() => map.getAttribute('data-drawn'), { timeout: 120_000 }).toBe('true');
      // From the first frame on, the page repaints the map as the layout moves (the rest is the worker's).
      const since = await pageNow(page);
      await expect.poll(() => region.getByRole('status').count(), { timeout: 120_000 }).toBe(0);
      const took = await page.evaluate(() => performance.getEntriesByName('test-set-map').map((e) => e.duration));
      expect(took).toHaveLength(1);
      const tasks = await longTasksSince(page, since);
      console.log(
        `[test-set-map] the map took ${(took[0] / 1000).toFixed(1)} s in Chromium (not a benchmark: the machine is shared); ` +
          `the page's long tasks while the layout moved: ${tasks.length}, longest ${Math.round(Math.max(0, ...tasks))} ms`,
      );
      await expect.poll(() => map.getAttribute('data-marker'), { timeout: 30_000 }).toMatch(/^\d\.\d{4} \d\.\d{4}$/);
      await expect.poll(() => nearest.count(), { timeout: 30_000 }).toBe(6);
      const labelsOf = async () => nearest.evaluateAll((items) => items.map((li) => li.getAttribute('data-label')));
      const first = { marker: await map.getAttribute('data-marker'), labels: await labelsOf() };
      for (const label of first.labels) expect(CLASS_NAMES).toContain(label);
      expect(await region.getByRole('img', { name: /^Test image \d+: / }).count()).toBe(6);
      expect(await map.getAttribute('aria-label')).toMatch(/; your drawing is marked among /);
      // The dots are painted: the canvas holds more than its white background.
      const colours = await map.evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const seen = new Set<string>();
        for (let i = 0; i < data.length; i += 4 * 97) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
        return seen.size;
      });
      expect(colours).toBeGreaterThan(10);
      await region.scrollIntoViewIfNeeded();
      await region.screenshot({ path: resolve(SHOTS, 'test-set-map-1280.png') });

      await page.getByRole('button', { name: 'Clear' }).click();
      await drawBag(page, pad);
      await expect.poll(() => map.getAttribute('data-marker'), { timeout: 30_000 }).not.toBe(first.marker);
      await expect.poll(labelsOf, { timeout: 30_000 }).not.toEqual(first.labels);

      // A nearest image opens as the picture answered.
      await nearest.first().getByRole('button').click();
      await expect
        .poll(() => page.locator('.answered-input').textContent())
        .toMatch(/^The bars answer the test image \(.+, number \d+ of the test set\)/);

      await page.setViewportSize({ width: 390, height: 844 });
      await region.scrollIntoViewIfNeeded();
      await region.screenshot({ path: resolve(SHOTS, 'test-set-map-390.png') });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  });
});
