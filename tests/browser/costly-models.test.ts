/**
 * Models that are cheap to load but costly to run, on the `?fake=1` page (no training needed): a
 * 2 kB model.json whose first layer enlarges the 28 × 28 input 100 times is refused at Load model,
 * saying what one answer would cost against the page's limit, and the answering model stays. One
 * enlarging it 80 times is slow but allowed: it answers in the classifier worker, and the page's
 * main thread keeps painting frames while it does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveModelToDir } from '../../scripts/lib/disk-model-files.ts';
import { SHOTS, useAppUnderTest } from './app-under-test.ts';
import type { Page } from 'playwright-core';
import { haveChromium } from './chromium.ts';

/** The 28×28 input enlarged `size` times, one 3×3 filter, global average pooling, Dense(10) softmax. */
async function upsampledModel(dir: string, size: number): Promise<string[]> {
  const model = tf.sequential({
    layers: [
      tf.layers.upSampling2d({ inputShape: [28, 28, 1], size: [size, size] }),
      tf.layers.conv2d({ filters: 1, kernelSize: 3 }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const { modelJson, weights } = await saveModelToDir(model, dir);
  model.dispose();
  return [modelJson, weights];
}

/** Counts the page's animation frames from its first script on: window.__frames. */
const COUNT_FRAMES = `
  window.__frames = 0;
  const tick = () => { window.__frames++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);`;

/** One short stroke on the pad, where it is now on screen. */
async function stroke(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const pad = page.getByRole('application', { name: 'Drawing pad' });
  const box = (await pad.boundingBox())!;
  const at = (x: number, y: number) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  await page.mouse.move(...at(...from));
  await page.mouse.down();
  await page.mouse.move(...at(...to), { steps: 4 });
  await page.mouse.up();
}

describe.skipIf(!haveChromium)('models cheap to load but costly to run (?fake=1)', () => {
  const app = useAppUnderTest('costly-models', COUNT_FRAMES);
  let work = '';
  let attack: string[] = [];
  let slow: string[] = [];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    work = mkdtempSync(join(tmpdir(), 'fmnist-costly-'));
    attack = await upsampledModel(join(work, 'attack'), 100);
    slow = await upsampledModel(join(work, 'slow'), 80);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('refuses at Load model a model whose answers would cost 94 million operations, and the answering model stays', async () => {
    await app.withPage('costly-refused', 'fake=1', async (page, b) => {
      const answering = page.locator('.answering');
      await expect.poll(() => answering.textContent(), { timeout: 30_000 }).toMatch(/^Answering: ready-trained Playground CNN/);
      await page.getByLabel('Load model').setInputFiles(attack);
      const alert = page.getByRole('alert').filter({ hasText: 'This model cannot be used' });
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toMatch(
        /This model cannot be used: answering one picture with it would take 94 million operations \(multiply-adds and values computed, layer "[^"]+" alone 78\.3 million\), over this page's limit of 64 million: each answer would take seconds and hold up the page\./,
      );
      await page.locator('#classify').screenshot({ path: join(SHOTS, 'costly-refused-panel.png') });
      expect(await answering.textContent()).toMatch(/^Answering: ready-trained Playground CNN/);
      expect(await page.getByLabel('Answering model').inputValue()).toBe('default');
      // Nothing of it was kept: after a reload the page's own pick answers, with no message.
      await page.reload();
      await expect.poll(() => answering.textContent(), { timeout: 30_000 }).toMatch(/^Answering: ready-trained Playground CNN/);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(b.errors).toEqual([]);
    });
  }, 120_000);

  it('a slow model that is allowed answers off the main thread: frames keep coming while it works on a drawing', async () => {
    await app.withPage('costly-slow-answers', 'fake=1', async (page, b) => {
      const answering = page.locator('.answering');
      await expect.poll(() => answering.textContent(), { timeout: 30_000 }).toMatch(/^Answering: ready-trained Playground CNN/);
      await page.getByLabel('Load model').setInputFiles(slow);
      await expect.poll(() => answering.textContent(), { timeout: 60_000 }).toMatch(/^Answering: model\.json, the model you loaded/);
      await page.getByRole('application', { name: 'Drawing pad' }).scrollIntoViewIfNeeded();
      const bars = page.getByRole('region', { name: 'Predictions', exact: true });
      const look = () =>
        page.evaluate(`[document.querySelector('.predictions').getAttribute('aria-busy') === 'true', window.__frames]`) as Promise<
          [boolean, number]
        >;

      // While the picture waits for its answer (the bars are busy), the page is asked again and
      // again: it must reply, and paint frames in between. On the main thread the prediction would
      // hold both up until the answer is there, so "busy, and frames went on" would never be seen.
      let seen: { frames: number; polls: number } | null = null;
      for (let attempt = 0; attempt < 5 && !seen; attempt++) {
        await stroke(page, [60 + 30 * attempt, 40], [80 + 30 * attempt, 240]);
        let first: number | null = null;
        let polls = 0;
        for (;;) {
          const [busy, frames] = await look();
          if (!busy) break;
          polls++;
          first ??= frames;
          if (frames - first >= 5 && polls >= 3) {
            seen = { frames: frames - first, polls };
            await page.locator('#classify').screenshot({ path: join(SHOTS, 'costly-slow-busy-panel.png') });
            break;
          }
        }
      }
      console.log(
        `[costly-models] while the slow model answered: ${seen ? `${seen.frames} frames over ${seen.polls} replies` : 'never seen busy with frames going on'}`,
      );
      expect(seen).not.toBeNull();
      // And the answer comes: the bars, then how long it took (in the worker).
      await expect.poll(() => bars.getAttribute('aria-busy'), { timeout: 60_000 }).toBeNull();
      await expect.poll(async () => (await bars.textContent()) ?? '', { timeout: 10_000 }).toMatch(/^\S.* \d{1,3}\.\d%/);
      const ms = Number(await page.locator('.answered-by').getAttribute('data-ms'));
      console.log(`[costly-models] one answer of the slow model: ${ms.toFixed(0)} ms in the classifier worker`);
      expect(ms).toBeGreaterThan(0);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(b.errors).toEqual([]);
    });
  }, 180_000);
});
