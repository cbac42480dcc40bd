/**
 * "Inside the model" in Chromium against the production build: a drawing on the pad fills the
 * region with every named image (activations of each layer, the first layer's filters, the weight
 * spreads, the why maps), a class chosen in "Explain class" changes the heat map, and drawing
 * something else changes the activations. Screenshots at 1280×800 and 390×844 go to .shots/.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../src/core/classes.ts';
import { useAppUnderTest } from './app-under-test.ts';
import { haveChromium } from './chromium.ts';
import { drawOnPad } from './pad.ts';
import { settledAnswer } from './classify-page.ts';

const SHOTS = resolve(import.meta.dirname, '../../.shots');

/** A canvas's pixels (RGBA), to tell whether what it shows changed. */
const pixels = (canvas: Locator): Promise<number[]> =>
  canvas.evaluate((c) => {
    const el = c as HTMLCanvasElement;
    return Array.from(el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data);
  });

const differing = (a: number[], b: number[]) => (a.length !== b.length ? Infinity : a.filter((v, i) => v !== b[i]).length);

async function stroke(page: Page, pad: Locator, points: [number, number][]): Promise<void> {
  const b = (await pad.boundingBox())!;
  const at = (x: number, y: number) => [b.x + (x * b.width) / 280, b.y + (y * b.height) / 280] as const;
  await page.mouse.move(...at(...points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(...p), { steps: 6 });
  await page.mouse.up();
}

describe.skipIf(!haveChromium)('Inside the model in Chromium', () => {
  const app = useAppUnderTest('inside-model');

  it('shows every named view for a drawing, follows "Explain class", and changes with the drawing', async () => {
    await app.withPage('inside-model', '#draw', async (page) => {
      mkdirSync(SHOTS, { recursive: true });
      await page.setViewportSize({ width: 1280, height: 800 });
      await expect.poll(() => page.locator('p.answering').first().textContent(), { timeout: 120_000 }).toMatch(/^Answering: /);
      const pad = page.getByRole('application', { name: 'Drawing pad' });
      await pad.scrollIntoViewIfNeeded();
      await drawOnPad(page, pad);

      const region = page.getByRole('region', { name: 'Inside the model' });
      const named = (name: string) => region.getByRole('img', { name, exact: true });
      for (const name of [
        'Activations of convolution 1',
        'Activations of pooling 1',
        'Activations of convolution 3',
        'Activations of dense 1',
        'Activations of dense 2',
        'Filters of convolution 1',
        'Weights of convolution 2',
        'Weights of dense 2',
      ]) {
        await named(name).waitFor({ timeout: 60_000 });
      }
      // The default class is the top answer, named in the picker and the heat map.
      const explain = region.getByLabel('Explain class');
      // The pad answers throttled, latest-wins: an earlier stroke's answer (and its heat map) may
      // show for a moment, so the top answer is read once the drawing's own answer is in.
      await settledAnswer(page);
      const topAnswer = async () => ((await explain.locator('option').first().textContent()) ?? '').match(/^The top answer \((.+)\)$/)?.[1];
      let top: string | undefined;
      await expect
        .poll(async () => {
          top = await topAnswer();
          return top !== undefined && (await named(`Why ${top}: heat map`).count()) === 1 && top === (await topAnswer());
        })
        .toBe(true);
      expect(CLASS_NAMES).toContain(top);
      const topMap = named(`Why ${top}: heat map`);
      await named(`Why ${top}: SmoothGrad`).waitFor();
      const before = await pixels(topMap);

      // Another class: its own heat map, which differs.
      const other = top === 'Bag' ? 'Sandal' : 'Bag';
      await explain.selectOption({ label: other });
      const otherMap = named(`Why ${other}: heat map`);
      await otherMap.waitFor({ timeout: 30_000 });
      await expect.poll(async () => differing(before, await pixels(otherMap)), { timeout: 30_000 }).toBeGreaterThan(20);

      // The 16-filter first layer shows all its maps; a larger one offers "Show all".
      const conv3 = named('Activations of convolution 3');
      const narrow = (await conv3.boundingBox())!.width;
      await region.getByRole('button', { name: 'Show all 64' }).first().click();
      await expect.poll(async () => (await conv3.boundingBox())!.height, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await conv3.evaluate((c) => (c as HTMLCanvasElement).height)).toBeGreaterThan(2 * 8);
      expect((await conv3.boundingBox())!.width).toBeGreaterThanOrEqual(narrow - 1);

      console.log(
        `[inside-model] one update in the classifier worker: ${await region.locator('.inside-timing').first().getAttribute('data-ms')} ms`,
      );
      await page.screenshot({ path: join(SHOTS, 'inside-model-1280.png'), fullPage: false });
      await region.screenshot({ path: join(SHOTS, 'inside-model-region-1280.png') });

      // Something else drawn: the activations change.
      const conv1 = named('Activations of convolution 1');
      const first = await pixels(conv1);
      await pad.scrollIntoViewIfNeeded();
      await stroke(page, pad, [
        [40, 140],
        [240, 140],
      ]);
      await stroke(page, pad, [
        [40, 200],
        [240, 200],
      ]);
      await expect.poll(async () => differing(first, await pixels(conv1)), { timeout: 60_000 }).toBeGreaterThan(50);

      await page.setViewportSize({ width: 390, height: 844 });
      await region.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'inside-model-390.png'), fullPage: false });
      await region.screenshot({ path: join(SHOTS, 'inside-model-region-390.png') });
      // Nothing in the region is wider than the phone's screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }, 300_000);

  it('looks inside a loaded model: a dense network shows its dense layers and SmoothGrad, no convolution', async () => {
    await app.withPage('inside-model-loaded', '#draw', async (page) => {
      await expect.poll(() => page.locator('p.answering').first().textContent(), { timeout: 120_000 }).toMatch(/^Answering: /);
      const region = page.getByRole('region', { name: 'Inside the model' });
      const pad = page.getByRole('application', { name: 'Drawing pad' });
      await pad.scrollIntoViewIfNeeded();
      await drawOnPad(page, pad);
      // The answering CNN first: its convolutions are inside.
      await region.getByRole('img', { name: 'Activations of convolution 1', exact: true }).waitFor({ timeout: 60_000 });
      // Load model with a dense network's files: it answers, and the region looks inside it instead.
      const dense = resolve(import.meta.dirname, '../../public/models/dense');
      await page.getByLabel('Load model').setInputFiles([join(dense, 'model.json'), join(dense, 'weights.bin')]);
      await expect
        .poll(() => region.getByRole('img', { name: 'Activations of convolution 1', exact: true }).count(), { timeout: 60_000 })
        .toBe(0);
      await region.getByRole('img', { name: 'Activations of dense 1', exact: true }).waitFor({ timeout: 60_000 });
      await region.getByRole('img', { name: /^Why .+: SmoothGrad$/ }).waitFor({ timeout: 60_000 });
      expect(await region.getByText('This model has no convolution layer').count()).toBe(1);
    });
  }, 300_000);

  it('opens a misclassified test image from the results in Draw or upload, and looks inside the model for it', async () => {
    // The replaying engine: a run's results (its misclassified tiles) in seconds, no training.
    await app.withPage('inside-model-tile', 'fake=1&model=tinyvgg&epochs=1&trainSize=2000&validationSplit=0.1', async (page) => {
      await page.getByText('All in: 60,000 training and 10,000 test images.').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      const tiles = page.getByRole('list', { name: 'Misclassified test images' });
      const first = tiles.getByRole('button', { name: /^Look inside the model: True / }).first();
      await first.waitFor({ timeout: 60_000 });
      const caption = ((await first.getAttribute('aria-label')) ?? '').replace('Look inside the model: ', '');
      await first.click();
      await expect
        .poll(() => page.locator('.answered-input').textContent(), { timeout: 30_000 })
        .toContain(`The bars answer the test image (${caption})`);
      const region = page.getByRole('region', { name: 'Inside the model' });
      await region.getByRole('img', { name: 'Activations of convolution 1', exact: true }).waitFor({ timeout: 60_000 });
      await region.getByRole('img', { name: /^Why .+: heat map$/ }).waitFor();
      // The region is brought on screen.
      await expect.poll(async () => (await region.boundingBox())!.y, { timeout: 10_000 }).toBeLessThan(800);
    });
  }, 300_000);

  it("shows both members side by side for the same drawing, and a run's model forming epoch by epoch", async () => {
    await app.withPage('inside-model-pair', 'model=tinyvgg&epochs=2&trainSize=600&validationSplit=0.1', async (page) => {
      await page.getByText('All in: 60,000 training and 10,000 test images.').waitFor({ timeout: 120_000 });
      // A real run, small: after each epoch its filters and maps for one test image.
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      const training = page.getByRole('region', { name: 'Inside the model while it trains' });
      await training.getByRole('img', { name: 'Filters of convolution 1 after epoch 1' }).waitFor({ timeout: 180_000 });
      await training.getByRole('img', { name: 'Filters of convolution 1 after epoch 2' }).waitFor({ timeout: 180_000 });
      await training.getByRole('img', { name: 'Activations of convolution 4 after epoch 2' }).waitFor();
      await training.screenshot({ path: join(SHOTS, 'inside-model-training.png') });

      // Side by side: the dense network and the CNN, each looked inside for the same drawing.
      await page.getByRole('tab', { name: 'Draw or upload' }).click();
      await page.getByLabel(/Two models side by side/).check();
      const pad = page.getByRole('application', { name: 'Drawing pad' });
      await pad.scrollIntoViewIfNeeded();
      await drawOnPad(page, pad);
      const region = page.getByRole('region', { name: 'Inside the model' });
      const dense = region.getByRole('region', { name: 'Inside Dense network' });
      const cnn = region.getByRole('region', { name: 'Inside CNN' });
      await cnn.getByRole('img', { name: 'Activations of convolution 1', exact: true }).waitFor({ timeout: 60_000 });
      await cnn.getByRole('img', { name: /^Why .+: heat map$/ }).waitFor();
      await dense.getByRole('img', { name: 'Activations of dense 1', exact: true }).waitFor({ timeout: 60_000 });
      await dense.getByRole('img', { name: /^Why .+: SmoothGrad$/ }).waitFor();
      await dense.getByText('This model has no convolution layer').waitFor();
      await region.screenshot({ path: join(SHOTS, 'inside-model-pair.png') });
    });
  }, 400_000);
});
