/**
 * Compare mode end to end, in Debian's Chromium against the production build and the real data,
 * on the WASM backend: the dense baseline and TinyVGG train on a small subset to the end; both
 * curves draw; the results table, both confusion matrices and the disagreement grid agree with
 * each other and with each model's own per-image predictions (recorded from the worker's
 * messages); the two models the run hands to the page reproduce those predictions in Node and
 * the page's side-by-side answers; Stop stops both.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES } from '../../src/core/classes.ts';
import { loadCheckedModel } from '../../src/core/model-check.ts';
import { useAppUnderTest } from './app-under-test.ts';
import { expectCurves } from './curves.ts';
import { haveChromium, longTasksSince, pageNow } from './chromium.ts';

const DATA = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

/**
 * Keeps what the checks need from the worker's messages: the test labels and images (from
 * 'data-ready'), the last test evaluation of each compared model (member 0 the dense network,
 * member 1 the CNN), and a copy of the models the run hands over ('run-models').
 */
const RECORD = `
  window.__evals = {};
  window.__late = [];
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (event) => {
        const m = event.data;
        if (!m) return;
        if (m.type === 'data-ready') window.__test = { labels: m.summary.testLabels, images: m.summary.testImages };
        if (m.type === 'run-evaluation') window.__evals[m.member === 0 ? 'dense' : 'cnn'] = { epoch: m.epoch, predicted: m.evaluation.predicted, accuracy: m.evaluation.accuracy };
        if (m.type === 'run-models') {
          window.__models = m.models.map((x) => ({ topology: x.data.modelTopology, specs: x.data.weightSpecs, weights: Array.from(new Uint8Array(x.data.weightData)) }));
        }
        if (m.type !== 'data-progress' && m.type !== 'run-batch') window.__late.push(m.type + (m.type === 'error' ? ': ' + m.message : ''));
      });
    }
  };`;

/** Small and quick: 1,350 training images in batches of 32 (43 batches: five reports per epoch). */
const SMALL = 'model=tinyvgg&epochs=1&trainSize=1500&batchSize=32&validationSplit=0.1';

const num = (text: string | null) => Number((text ?? '').replace(/[,%\s]/g, ''));

describe.skipIf(!haveChromium || !existsSync(DATA))('Compare mode in Chromium', () => {
  const app = useAppUnderTest('compare', RECORD);

  const compareButton = (page: Page) => page.getByRole('button', { name: 'Compare', exact: true });
  const stopButton = (page: Page) => page.getByRole('button', { name: 'Stop', exact: true });
  const status = (page: Page) => page.locator('.run-status p[aria-live="polite"] strong');

  /** Compare tab, WASM, the whole dataset in, Compare enabled. */
  async function openCompare(page: Page): Promise<void> {
    await page.getByRole('tab', { name: 'Compare', exact: true }).click();
    expect(await page.getByRole('tab', { name: 'Compare', exact: true }).getAttribute('aria-selected')).toBe('true');
    expect(page.url()).toContain('mode=compare');
    const wasm = page.getByRole('radio', { name: 'WASM', exact: true });
    await expect.poll(() => wasm.isEnabled(), { timeout: 60_000 }).toBe(true);
    await wasm.check();
    const backendPanel = page.locator('section[aria-labelledby="backend-heading"]');
    await expect.poll(() => backendPanel.locator('strong').first().textContent(), { timeout: 60_000 }).toBe('WebAssembly (CPU)');
    await page.getByText('All in: 60,000 training and 10,000 test images.').waitFor({ timeout: 90_000 });
    await expect.poll(() => compareButton(page).isEnabled(), { timeout: 10_000 }).toBe(true);
  }

  /** The counts of one confusion matrix, by its heading's start. */
  async function matrix(page: Page, title: string): Promise<{ diagonal: number; total: number; rows: number[]; rowRight: number[] }> {
    const section = page.locator('section.subpanel', {
      has: page.getByRole('heading', { name: new RegExp(`^Confusion matrix: ${title} \\(`) }),
    });
    const labels = await section
      .locator('.confusion-table button.cell')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label') ?? ''));
    expect(labels).toHaveLength(100);
    const rows = new Array<number>(10).fill(0);
    const rowRight = new Array<number>(10).fill(0);
    for (const label of labels) {
      const m = /^True (.+), predicted (.+): ([\d,]+) images?$/.exec(label);
      expect(m, label).not.toBeNull();
      const t = CLASS_NAMES.indexOf(m![1] as (typeof CLASS_NAMES)[number]);
      const count = num(m![3]);
      rows[t] += count;
      if (m![1] === m![2]) rowRight[t] += count;
    }
    return { diagonal: rowRight.reduce((s, x) => s + x, 0), total: rows.reduce((s, x) => s + x, 0), rows, rowRight };
  }

  /** The cells of a row of the results table, by its header. */
  async function tableRow(page: Page, header: string): Promise<string[]> {
    const row = page.locator('table.compare-table tr', { has: page.locator('th', { hasText: new RegExp(`^${header}$`) }) }).first();
    return row.locator('td').allTextContents();
  }

  it('trains the dense baseline and TinyVGG side by side (curves, table, matrices and disagreements agree); then the equal-size dense network, and Stop stops both with the results so far', async () => {
    await app.withPage('compare', SMALL, async (page, b) => {
      await openCompare(page);
      // The CNN picked in the URL is the one compared; the dense baseline is the default partner.
      expect(await page.getByRole('radio', { name: /^TinyVGG/ }).isChecked()).toBe(true);
      expect(await page.getByRole('checkbox', { name: 'Equal-size dense network' }).isChecked()).toBe(false);
      await compareButton(page).click();
      await page
        .locator('.member-status')
        .first()
        .getByText(/batch [\d,]+ of [\d,]+/)
        .waitFor({ timeout: 60_000 });
      const since = await pageNow(page);
      await expect.poll(() => status(page).textContent(), { timeout: 150_000, interval: 500 }).toMatch(/^Done in /);
      await page.locator('table.compare-table').waitFor({ timeout: 30_000 });

      await expectCurves(page, ['Dense baseline', 'TinyVGG']);

      // The table's accuracies are each model's own evaluation, and each matrix's diagonal.
      const evals = (await page.evaluate('window.__evals')) as Record<
        'dense' | 'cnn',
        { epoch: number; predicted: number[]; accuracy: number }
      >;
      const accuracyRow = await tableRow(page, 'Test accuracy');
      const shown = { dense: num(accuracyRow[0]), cnn: num(accuracyRow[1]) };
      expect(shown.dense).toBe(Number((evals.dense.accuracy * 100).toFixed(2)));
      expect(shown.cnn).toBe(Number((evals.cnn.accuracy * 100).toFixed(2)));
      const dense = await matrix(page, 'Dense baseline');
      const cnn = await matrix(page, 'TinyVGG');
      expect([dense.total, cnn.total]).toEqual([10_000, 10_000]);
      expect(dense.diagonal / 100).toBeCloseTo(shown.dense, 10);
      expect(cnn.diagonal / 100).toBeCloseTo(shown.cnn, 10);
      const right = await tableRow(page, 'Right, of 10,000');
      expect([num(right[0]), num(right[1])]).toEqual([dense.diagonal, cnn.diagonal]);
      const difference = accuracyRow[2];
      const gap = cnn.diagonal - dense.diagonal;
      // Highlighted with a sign and an arrow, not colour alone.
      expect(difference).toMatch(gap > 0 ? /^▲ \+[\d.]+ pts \(CNN better\)$/ : gap < 0 ? /^▼ −[\d.]+ pts \(dense better\)$/ : /^= 0/);
      expect(await tableRow(page, 'Parameters')).toEqual(['101,770', '7,740', '0.08×']);
      expect((await tableRow(page, 'Evaluated after epoch')).slice(0, 2)).toEqual(['1', '1']);

      // Per-class accuracy: each matrix row's diagonal over the row.
      for (let k = 0; k < 10; k++) {
        const cells = await tableRow(page, CLASS_NAMES[k].replace('/', '\\/'));
        expect(cells[0], CLASS_NAMES[k]).toBe(`${((dense.rowRight[k] / dense.rows[k]) * 100).toFixed(1)}%`);
        expect(cells[1], CLASS_NAMES[k]).toBe(`${((cnn.rowRight[k] / cnn.rows[k]) * 100).toFixed(1)}%`);
      }

      // The disagreement grid, against the two models' per-image predictions.
      const expected = (await page.evaluate(`(() => {
        const labels = window.__test.labels, d = window.__evals.dense.predicted, c = window.__evals.cnn.predicted;
        let cnnOnly = 0, denseOnly = 0, bothRight = 0, bothWrong = 0;
        for (let i = 0; i < labels.length; i++) {
          const dr = d[i] === labels[i], cr = c[i] === labels[i];
          if (cr && !dr) cnnOnly++; else if (dr && !cr) denseOnly++; else if (dr) bothRight++; else bothWrong++;
        }
        return { cnnOnly, denseOnly, bothRight, bothWrong };
      })()`)) as { cnnOnly: number; denseOnly: number; bothRight: number; bothWrong: number };
      const groups = page.locator('.disagree-group');
      const count = async (key: string) =>
        num(
          await groups
            .and(page.locator(`[data-group="${key}"]`))
            .locator('.disagree-count')
            .textContent(),
        );
      expect(await count('challenger')).toBe(expected.cnnOnly);
      expect(await count('baseline')).toBe(expected.denseOnly);
      expect(expected.cnnOnly - expected.denseOnly).toBe(gap);
      const summary = await page.locator('.disagree-summary').textContent();
      expect(summary).toContain(
        `both are right on ${expected.bothRight.toLocaleString('en')} and both wrong on ${expected.bothWrong.toLocaleString('en')}`,
      );

      // Each tile names the true class and both predictions: right and wrong as its group says.
      const alts = async (key: string, title: string) =>
        groups
          .and(page.locator(`[data-group="${key}"]`))
          .getByRole('list', { name: title })
          .getByRole('img')
          .evaluateAll((imgs) => imgs.map((i) => i.getAttribute('aria-label') ?? ''));
      const tile = /^True (.+)\. TinyVGG: (.+) \(\d+%\)\. Dense baseline: (.+) \(\d+%\)\.$/;
      const cnnAlts = await alts('challenger', 'TinyVGG right, Dense baseline wrong');
      expect(cnnAlts).toHaveLength(Math.min(24, expected.cnnOnly));
      for (const alt of cnnAlts) {
        const m = tile.exec(alt);
        expect(m, alt).not.toBeNull();
        expect(m![2]).toBe(m![1]);
        expect(m![3]).not.toBe(m![1]);
      }
      for (const alt of await alts('baseline', 'Dense baseline right, TinyVGG wrong')) {
        const m = tile.exec(alt);
        expect(m, alt).not.toBeNull();
        expect(m![3]).toBe(m![1]);
        expect(m![2]).not.toBe(m![1]);
      }

      // The two models the run handed to the page, loaded in Node: they give the worker's own answers.
      const handed = (await page.evaluate('window.__models')) as { topology: object; specs: []; weights: number[] }[];
      expect(handed).toHaveLength(2);
      const models = await Promise.all(
        handed.map((h) =>
          loadCheckedModel({ modelTopology: h.topology, weightSpecs: h.specs, weightData: Uint8Array.from(h.weights).buffer }),
        ),
      );
      const testImages = Uint8Array.from(
        Object.values((await page.evaluate('window.__test.images.slice(0, 784 * 4)')) as Record<string, number>),
      );
      const probabilities = (model: tf.LayersModel, bytes: Uint8Array, n: number) =>
        tf.tidy(() =>
          Array.from(
            (
              model.predict(
                tf.tensor4d(
                  Float32Array.from(bytes, (v) => v / 255),
                  [n, 28, 28, 1],
                ),
              ) as tf.Tensor
            ).dataSync(),
          ),
        );
      const argmaxRows = (p: number[]) =>
        [0, 1].map((row) => {
          const r = p.slice(row * 10, row * 10 + 10);
          return r.indexOf(Math.max(...r));
        });
      expect(argmaxRows(probabilities(models[0], testImages.subarray(0, 1568), 2))).toEqual(evals.dense.predicted.slice(0, 2));
      expect(argmaxRows(probabilities(models[1], testImages.subarray(0, 1568), 2))).toEqual(evals.cnn.predicted.slice(0, 2));

      // Drawing and upload: the compared pair answers side by side, switched on by the comparison.
      const toggle = page.getByRole('checkbox', { name: /Two models side by side/ });
      expect(await toggle.isChecked()).toBe(true);
      expect(await page.locator('.side-by-side').textContent()).toContain('from your comparison');
      const png = Buffer.from(
        (await page.evaluate(`(() => {
          const c = document.createElement('canvas');
          c.width = c.height = 28;
          const ctx = c.getContext('2d');
          const img = ctx.createImageData(28, 28);
          for (let i = 0; i < 784; i++) {
            const v = 255 - window.__test.images[784 * 3 + i];
            img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
            img.data[4 * i + 3] = 255;
          }
          ctx.putImageData(img, 0, 0);
          return c.toDataURL('image/png').split(',')[1];
        })()`)) as string,
        'base64',
      );
      await page.getByLabel('Upload image').setInputFiles({ name: 'test-3.png', mimeType: 'image/png', buffer: png });
      const shownPair = async (member: string) => {
        // Titled as Compare titles its members.
        const region = page.getByRole('region', {
          name: member === 'dense' ? 'Dense baseline predictions' : 'TinyVGG predictions',
          exact: true,
        });
        await expect.poll(() => region.getAttribute('data-probabilities'), { timeout: 30_000 }).toBeTruthy();
        return JSON.parse((await region.getAttribute('data-probabilities'))!) as number[];
      };
      const pairShown = { dense: await shownPair('dense'), cnn: await shownPair('cnn') };
      // The same input through the handed-over models, in Node, gives the same answers.
      const input = Uint8Array.from(
        (await page.evaluate(`(() => {
          const d = document.querySelector('.input-preview canvas').getContext('2d').getImageData(0, 0, 28, 28).data;
          return Array.from({ length: 784 }, (_, i) => d[i * 4]);
        })()`)) as number[],
      );
      (['dense', 'cnn'] as const).forEach((member, i) => {
        const p = probabilities(models[i], input, 1);
        expect(p).toHaveLength(10);
        p.forEach((v, k) => expect(Math.abs(v - pairShown[member][k]), `${member} class ${k}`).toBeLessThan(1e-4));
      });
      models.forEach((m) => m.dispose());
      // Each member's sketches, measured in the classifier worker, by its bars.
      const readsSketches = expect.stringMatching(/^; reads \d{1,3}\.\d% of sketches in our benchmark of what people give the page$/);
      await expect
        .poll(() => page.locator('.side-by-side .member-scores').allTextContents(), { timeout: 60_000 })
        .toEqual([readsSketches, readsSketches]);

      const tasks = await longTasksSince(page, since);
      console.log(
        `[compare] dense ${shown.dense}% vs TinyVGG ${shown.cnn}% (${difference}); CNN alone right on ${expected.cnnOnly}, dense alone on ${expected.denseOnly}; ` +
          `long tasks after the first batch: ${tasks.length} > 50 ms, max ${tasks.length ? Math.max(...tasks).toFixed(0) : 0} ms`,
      );
      console.log(
        `[compare] times: ${(await tableRow(page, 'Training time')).join(' | ')}; images/s: ${(await tableRow(page, 'Images/s \\(training\\)')).join(' | ')}`,
      );
      expect(await page.getByRole('alert').count()).toBe(0);

      // The same page (a fresh one costs ~10 s of the suite): the equal-size dense network against
      // TinyVGG for 3 epochs, then Stop.
      await page.evaluate('window.__evals = {}');
      await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('3');
      await page.getByRole('spinbutton', { name: 'Training images', exact: true }).fill('2000');
      await page.getByRole('checkbox', { name: 'Equal-size dense network' }).check();
      expect(page.url()).toContain('equalSize=1');
      await page.getByText(/Wide dense network: Flatten → Dense 536 ReLU → Dense 10 softmax, 426,130 parameters/).waitFor();
      await compareButton(page).click();
      // Both models through epoch 1 (each tested once), then Stop during the wide network's epoch 2.
      await expect
        .poll(async () => Object.keys((await page.evaluate('window.__evals')) as object).length, { timeout: 120_000, interval: 250 })
        .toBe(2);
      await stopButton(page).click();
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Stopped after /);
      await expect.poll(() => compareButton(page).isEnabled()).toBe(true);
      expect(await stopButton(page).isDisabled()).toBe(true);
      const stopped = (await page.evaluate('window.__evals')) as Record<string, { epoch: number }>;
      // Stop came before the CNN finished a second epoch; the table shows what each reached.
      expect(stopped.cnn.epoch).toBe(1);
      expect(await tableRow(page, 'Parameters')).toEqual(['426,130', '7,740', '0.02×']);
      expect((await tableRow(page, 'Evaluated after epoch')).slice(0, 2)).toEqual([String(stopped.dense.epoch), '1']);
      await expectCurves(page, ['Wide dense network', 'TinyVGG']);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(b.errors).toEqual([]);
    });
  }, 360_000);
});
