/**
 * The playground's page as its browser tests drive and read it: small runs through the URL, the
 * worker's messages recorded, the training controls, the dataset's progress, and checks of the
 * evaluation, the charts, long tasks and console errors.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { CLASS_NAMES } from '../../src/core/classes.ts';
import { longTasksSince, type Browser } from './chromium.ts';
import { seriesPoints } from './curves.ts';

/** Small, fast runs: tinyvgg (7,740 parameters) on a subset of the training images. */
export const SMALL = 'model=tinyvgg&epochs=1&trainSize=600&validationSplit=0.1';
/**
 * Enough batches for a line: the training loop reports every 10th batch and the last of an epoch,
 * so 1,080 images in batches of 32 (34 batches) give four points per epoch.
 */
export const LINE = 'model=tinyvgg&epochs=1&trainSize=1200&batchSize=32&validationSplit=0.1';

/**
 * Records the type and runId of every message between the page and the training worker, so a test
 * can count runs: window.__sent (page → worker) and window.__received (worker → page).
 */
export const RECORD_WORKER_MESSAGES = `
  window.__sent = [];
  window.__received = [];
  const Original = window.Worker;
  const post = Original.prototype.postMessage;
  Original.prototype.postMessage = function (message, transfer) {
    window.__sent.push({ type: message && message.type, runId: message && message.runId });
    return post.call(this, message, transfer);
  };
  window.Worker = class extends Original {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (event) => {
        const m = event.data;
        if (m && m.type !== 'data-progress' && m.type !== 'run-batch') window.__received.push({ type: m.type, runId: m.runId, t: Math.round(performance.now()) });
      });
    }
  };`;

export type Message = { type: string; runId?: number; t?: number };

/** How many of a 28 × 28 image tile's pixels are dark (tiles are canvases with role "img"). */
export function darkPixels(tile: Locator): Promise<number> {
  type Canvas = { width: number; getContext(kind: '2d'): { getImageData(...box: number[]): { data: Uint8ClampedArray } } };
  return tile.evaluate((el) => {
    const canvas = el as unknown as Canvas;
    if (canvas.width !== 28) return -1;
    const { data } = canvas.getContext('2d').getImageData(0, 0, 28, 28);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
    return dark;
  });
}

export const trainButton = (page: Page) => page.getByRole('button', { name: 'Train', exact: true });
export const stopButton = (page: Page) => page.getByRole('button', { name: 'Stop', exact: true });
export const runStatus = (page: Page) => page.locator('.run-status');
/** The form's field (after a run, the epoch table is named "Epochs" too). */
export const epochsField = (page: Page) => page.getByRole('spinbutton', { name: 'Epochs', exact: true });

/** The "Dataset" progress bar's value and max, as the element holds them. */
export async function datasetProgress(page: Page): Promise<{ value: number; max: number }> {
  return page
    .getByRole('progressbar', { name: 'Dataset' })
    .evaluate((el) => ({ value: (el as unknown as { value: number }).value, max: (el as unknown as { max: number }).max }));
}

/** Waits for the whole dataset: progress at its max, the summary line, Train enabled. */
export async function waitForDataset(page: Page, timeout = 90_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const { value, max } = await datasetProgress(page);
        return max > 1 && value === max;
      },
      { timeout, interval: 250 },
    )
    .toBe(true);
  await page.getByText('All in: 60,000 training and 10,000 test images.').waitFor({ timeout });
  await expect.poll(() => trainButton(page).isEnabled(), { timeout: 10_000 }).toBe(true);
}

/** Picks a backend with the page's own switch and waits until the worker reports it. */
export async function chooseBackend(page: Page, backend: 'WASM' | 'WebGL'): Promise<void> {
  const radio = page.getByRole('radio', { name: backend, exact: true });
  await expect.poll(() => radio.isEnabled(), { timeout: 60_000 }).toBe(true);
  await radio.check();
  const shown = backend === 'WASM' ? 'WebAssembly (CPU)' : 'WebGL (GPU)';
  const backendPanel = page.locator('section[aria-labelledby="backend-heading"]');
  await expect.poll(() => backendPanel.locator('strong').first().textContent(), { timeout: 60_000 }).toBe(shown);
  await expect.poll(() => backendPanel.getByText(/Switching to/).count(), { timeout: 60_000 }).toBe(0);
}

export const alerts = (page: Page) => page.getByRole('alert');

/** Messages of the run so far, as recorded by RECORD_WORKER_MESSAGES. */
export const sent = (page: Page) => page.evaluate('window.__sent') as Promise<Message[]>;
export const received = (page: Page) => page.evaluate('window.__received') as Promise<Message[]>;

/** Everything the evaluation panel shows, checked against itself; returns the shown accuracy. */
export async function checkEvaluation(page: Page): Promise<{ accuracy: string; wrong: number }> {
  const evaluation = page.locator('section[aria-labelledby="evaluation-heading"]');
  const headline = await evaluation.locator('.accuracy').textContent();
  const accuracy = /^Test accuracy: (\d{1,3}\.\d)%$/.exec(headline ?? '')?.[1];
  expect(accuracy, `headline "${headline}"`).toBeDefined();

  // The confusion matrix: 100 cells whose labels sum to the 10,000 test images.
  await page.getByRole('heading', { name: 'Confusion matrix' }).waitFor();
  const labels = await evaluation
    .locator('.confusion-table button.cell')
    .evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label') ?? ''));
  expect(labels).toHaveLength(100);
  const cells = labels.map((label) => {
    const m = /^True (.+), predicted (.+): ([\d,]+) images?$/.exec(label);
    expect(m, label).not.toBeNull();
    return { t: m![1], p: m![2], count: Number(m![3].replace(/,/g, '')) };
  });
  expect(new Set(cells.map((c) => c.t))).toEqual(new Set(CLASS_NAMES));
  expect(new Set(cells.map((c) => c.p))).toEqual(new Set(CLASS_NAMES));
  const total = cells.reduce((s, c) => s + c.count, 0);
  const diagonal = cells.filter((c) => c.t === c.p).reduce((s, c) => s + c.count, 0);
  expect(total).toBe(10_000);
  expect(((diagonal / 10_000) * 100).toFixed(1)).toBe(accuracy);
  // Every class has its 1,000 test images in its row.
  for (const name of CLASS_NAMES) expect(cells.filter((c) => c.t === name).reduce((s, c) => s + c.count, 0)).toBe(1000);
  // One matrix (the table, shaded: no second, tfjs-vis heatmap), and the legend's scales.
  expect(await evaluation.locator('.confusion-table').count()).toBe(1);
  expect(await evaluation.locator('.confusion-table').locator('xpath=ancestor::section[1]').locator('canvas, svg').count()).toBe(0);
  const biggestMistake = Math.max(...cells.filter((c) => c.t !== c.p).map((c) => c.count));
  expect(await evaluation.getByRole('list', { name: 'Colour scale' }).textContent()).toContain(
    `Mistaken1${biggestMistake.toLocaleString('en')} images`,
  );
  // Accuracy per class (the SVG bar chart's data): each row's diagonal over its 1,000 images.
  const perClass = JSON.parse((await evaluation.locator('.class-accuracy').getAttribute('data-accuracy')) ?? '[]') as {
    index: string;
    value: number;
  }[];
  expect(perClass.map((b) => b.index)).toEqual([...CLASS_NAMES]);
  for (const [t, name] of CLASS_NAMES.entries())
    expect(perClass[t].value).toBeCloseTo(cells.find((c) => c.t === name && c.p === name)!.count / 10, 1);

  // The classification report: its accuracy row and supports agree with the matrix.
  const report = evaluation.locator('table.report');
  const accuracyRow = await report.locator('tbody.report-summary tr').first().locator('td').allTextContents();
  expect(accuracyRow[2]).toBe((diagonal / 10_000).toFixed(3));
  expect(accuracyRow[3]).toBe('10,000');
  const supports = await report.locator('tbody:not(.report-summary) tr td:last-child').allTextContents();
  expect(supports).toHaveLength(10);
  expect(supports.reduce((s, x) => s + Number(x.replace(/,/g, '')), 0)).toBe(10_000);

  // The misclassified grid: 10,000 − diagonal mistakes, 48 tiles at first.
  const wrong = 10_000 - diagonal;
  const mistakes = page.locator('section[aria-labelledby="misclassified-heading"]');
  await expect
    .poll(() => mistakes.locator('p.muted').first().textContent())
    .toBe(wrong === 0 ? 'No mistakes on the test set.' : `${wrong.toLocaleString('en')} test images, the most confident mistakes first.`);
  const tiles = mistakes.getByRole('list', { name: 'Misclassified test images' }).getByRole('img');
  expect(await tiles.count()).toBe(Math.min(48, wrong));
  if (wrong > 48) expect(await mistakes.locator('.show-more').textContent()).toContain(`48 of ${wrong} shown`);
  // The tiles' pictures are painted: 28 × 28 with dark pixels of clothing on white.
  expect(await darkPixels(tiles.first())).toBeGreaterThan(20);

  // Clicking the largest off-diagonal cell lists exactly its images.
  const cell = cells.filter((c) => c.t !== c.p).sort((a, b) => b.count - a.count)[0];
  const name = `True ${cell.t}, predicted ${cell.p}: ${cell.count.toLocaleString('en')} image${cell.count === 1 ? '' : 's'}`;
  await evaluation.getByRole('button', { name, exact: true }).click();
  const picked = evaluation.locator('.cell-images');
  await expect.poll(() => picked.locator('h4').textContent()).toContain(name);
  const pickedTiles = picked.getByRole('list', { name: `Test images of true ${cell.t}, predicted ${cell.p}` }).getByRole('img');
  expect(await pickedTiles.count()).toBe(Math.min(48, cell.count));
  const alts = await pickedTiles.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('aria-label') ?? ''));
  for (const alt of alts) expect(alt.startsWith(`True ${cell.t}, predicted ${cell.p} (`)).toBe(true);
  return { accuracy: accuracy!, wrong };
}

/**
 * The learning curves of the "Loss" and "Accuracy" groups have drawn the model's line (by epoch
 * and by time, the same charts Compare overlays), with integer epoch ticks and a test marker.
 */
export async function checkCharts(page: Page, model: string): Promise<void> {
  for (const title of ['Loss', 'Accuracy']) {
    const group = page.locator('.chart-group', { has: page.getByRole('heading', { name: title, exact: true }) });
    const charts = group.locator('.overlay-chart svg');
    await expect.poll(() => charts.count(), { timeout: 15_000, message: `${title} charts` }).toBe(2);
    for (let c = 0; c < 2; c++) {
      const series = charts.nth(c).locator(`g.series[data-series="${model}"]`);
      await expect.poll(() => seriesPoints(series), { timeout: 15_000, message: `${title} chart ${c}` }).toBeGreaterThanOrEqual(3);
      await expect
        .poll(() => series.locator('circle').count(), { timeout: 15_000, message: `${title} chart ${c}: the test result after the epoch` })
        .toBe(1);
    }
    // By epoch: whole epochs only on the x axis.
    const ticks = await charts.first().locator('.axis text[text-anchor="middle"]').allTextContents();
    expect(ticks.filter((t) => /^\d+$/.test(t)).length).toBeGreaterThanOrEqual(2);
    expect(ticks.filter((t) => /\./.test(t))).toEqual([]);
  }
}

/** Long tasks of the main thread from `since` on: prints and returns their max and count > 200 ms. */
export async function reportLongTasks(page: Page, label: string, since: number): Promise<void> {
  const tasks = await longTasksSince(page, since);
  const max = tasks.length ? Math.max(...tasks) : 0;
  const over200 = tasks.filter((d) => d > 200).length;
  // When the long ones started, relative to the evaluation's arrival (its rendering is the suspect).
  const evaluated = (await received(page)).find((m) => m.type === 'run-evaluation')?.t;
  const starts = (await page.evaluate(`window.__longTasks.filter(([s, d]) => s >= ${since} && d > 200).map(([s]) => s)`)) as number[];
  const when =
    evaluated === undefined
      ? ''
      : ` (starting ${starts.map((s) => `${Math.round(s - evaluated)} ms`).join(', ')} after the evaluation arrived)`;
  console.log(
    `[browser] long tasks on ${label} after the first batch: ${tasks.length} > 50 ms, max ${max.toFixed(0)} ms, ${over200} > 200 ms${over200 ? when : ''}`,
  );
}

/** Console errors, none tolerated unless listed by the caller (each with its reason). */
export function expectNoConsoleErrors(b: Browser, tolerated: RegExp[] = []): void {
  expect(b.errors.filter((e) => !tolerated.some((t) => t.test(e)))).toEqual([]);
}

// One page (a fresh browser and dataset cost ~12 s): the data, a run, a stopped run, then the
// presets, whose check reloads the page.
