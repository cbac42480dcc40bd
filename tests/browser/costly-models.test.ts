/**
 * Models that are cheap to load but costly to run, on the `?fake=1` page (no training needed): a
 * 2 kB model.json whose first layer enlarges the 28 × 28 input 100 times is refused at Load model,
 * saying what one answer would cost against the page's limit, and the answering model stays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveModelToDir } from '../../scripts/lib/disk-model-files.ts';
import { SHOTS, useAppUnderTest } from './app-under-test.ts';
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

describe.skipIf(!haveChromium)('models cheap to load but costly to run (?fake=1)', () => {
  const app = useAppUnderTest('costly-models');
  let work = '';
  let attack: string[] = [];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    work = mkdtempSync(join(tmpdir(), 'fmnist-costly-'));
    attack = await upsampledModel(join(work, 'attack'), 100);
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
});
