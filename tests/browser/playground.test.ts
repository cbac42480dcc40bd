/**
 * The playground end to end, in Debian's Chromium against the production build and the real
 * Fashion-MNIST data: the dataset streams in, training runs to the end on WebAssembly and on WebGL
 * (SwiftShader here), Stop stops, and a corrupt or missing data file is named and can be retried.
 *
 * Runs are kept small through the URL (the page keeps its whole configuration there). Nothing here
 * asserts on wall-clock speed: the machine is shared and WebGL is a software renderer. The long
 * tasks of the main thread during training are printed for the record.
 */
import { existsSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../src/core/classes.ts';
import { PRESETS } from '../../src/core/config.ts';
import { useAppUnderTest } from './app-under-test.ts';
import { haveChromium, longTasksSince, pageNow, type Browser } from './chromium.ts';

const DATA = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

/** Small, fast runs: tinyvgg (7,740 parameters) on a subset of the training images. */
const SMALL = 'model=tinyvgg&epochs=1&trainSize=600&validationSplit=0.1';
/**
 * Enough batches for a line: the training loop reports every 10th batch and the last of an epoch,
 * so 1,080 images in batches of 32 (34 batches) give four points per epoch.
 */
const LINE = 'model=tinyvgg&epochs=1&trainSize=1200&batchSize=32&validationSplit=0.1';

/**
 * Records the type and runId of every message between the page and the training worker, so a test
 * can count runs: window.__sent (page → worker) and window.__received (worker → page).
 */
const RECORD_WORKER_MESSAGES = `
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

type Message = { type: string; runId?: number; t?: number };

/** How many of a 28 × 28 image tile's pixels are dark (tiles are canvases with role "img"). */
function darkPixels(tile: Locator): Promise<number> {
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

describe.skipIf(!haveChromium || !existsSync(DATA))('the playground in Chromium', () => {
  const app = useAppUnderTest('browser', RECORD_WORKER_MESSAGES);

  const trainButton = (page: Page) => page.getByRole('button', { name: 'Train', exact: true });
  const stopButton = (page: Page) => page.getByRole('button', { name: 'Stop', exact: true });
  const runStatus = (page: Page) => page.locator('.run-status');
  /** The form's field (after a run, the epoch table is named "Epochs" too). */
  const epochsField = (page: Page) => page.getByRole('spinbutton', { name: 'Epochs', exact: true });

  /** The "Dataset" progress bar's value and max, as the element holds them. */
  async function datasetProgress(page: Page): Promise<{ value: number; max: number }> {
    return page
      .getByRole('progressbar', { name: 'Dataset' })
      .evaluate((el) => ({ value: (el as unknown as { value: number }).value, max: (el as unknown as { max: number }).max }));
  }

  /** Waits for the whole dataset: progress at its max, the summary line, Train enabled. */
  async function waitForDataset(page: Page, timeout = 90_000): Promise<void> {
    await expect
      .poll(async () => {
        const { value, max } = await datasetProgress(page);
        return max > 1 && value === max;
      }, { timeout, interval: 250 })
      .toBe(true);
    await page.getByText('All in: 60,000 training and 10,000 test images.').waitFor({ timeout });
    await expect.poll(() => trainButton(page).isEnabled(), { timeout: 10_000 }).toBe(true);
  }

  /** Picks a backend with the page's own switch and waits until the worker reports it. */
  async function chooseBackend(page: Page, backend: 'WASM' | 'WebGL'): Promise<void> {
    const radio = page.getByRole('radio', { name: backend, exact: true });
    await expect.poll(() => radio.isEnabled(), { timeout: 60_000 }).toBe(true);
    await radio.check();
    const shown = backend === 'WASM' ? 'WebAssembly (CPU)' : 'WebGL (GPU)';
    const backendPanel = page.locator('section[aria-labelledby="backend-heading"]');
    await expect.poll(() => backendPanel.locator('strong').first().textContent(), { timeout: 60_000 }).toBe(shown);
    await expect.poll(() => backendPanel.getByText(/Switching to/).count(), { timeout: 60_000 }).toBe(0);
  }

  const alerts = (page: Page) => page.getByRole('alert');

  /** Messages of the run so far, as recorded by RECORD_WORKER_MESSAGES. */
  const sent = (page: Page) => page.evaluate('window.__sent') as Promise<Message[]>;
  const received = (page: Page) => page.evaluate('window.__received') as Promise<Message[]>;

  /** Everything the evaluation panel shows, checked against itself; returns the shown accuracy. */
  async function checkEvaluation(page: Page): Promise<{ accuracy: string; wrong: number }> {
    const evaluation = page.locator('section[aria-labelledby="evaluation-heading"]');
    const headline = await evaluation.locator('.accuracy').textContent();
    const accuracy = /^Test accuracy: (\d{1,3}\.\d)%$/.exec(headline ?? '')?.[1];
    expect(accuracy, `headline "${headline}"`).toBeDefined();

    // The confusion matrix: 100 cells whose labels sum to the 10,000 test images.
    await page.getByRole('heading', { name: 'Confusion matrix' }).waitFor();
    const labels = await evaluation.locator('.confusion-table button.cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label') ?? ''));
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
    expect(await evaluation.getByRole('list', { name: 'Colour scale' }).textContent()).toContain(`Mistaken1${biggestMistake.toLocaleString('en')} images`);
    // Accuracy per class (the SVG bar chart's data): each row's diagonal over its 1,000 images.
    const perClass = JSON.parse((await evaluation.locator('.class-accuracy').getAttribute('data-accuracy')) ?? '[]') as { index: string; value: number }[];
    expect(perClass.map((b) => b.index)).toEqual([...CLASS_NAMES]);
    for (const [t, name] of CLASS_NAMES.entries()) expect(perClass[t].value).toBeCloseTo(cells.find((c) => c.t === name && c.p === name)!.count / 10, 1);

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
    await expect.poll(() => mistakes.locator('p.muted').first().textContent()).toBe(
      wrong === 0 ? 'No mistakes on the test set.' : `${wrong.toLocaleString('en')} test images, the most confident mistakes first.`,
    );
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
  async function checkCharts(page: Page, model: string): Promise<void> {
    for (const title of ['Loss', 'Accuracy']) {
      const group = page.locator('.chart-group', { has: page.getByRole('heading', { name: title, exact: true }) });
      const charts = group.locator('.overlay-chart svg');
      await expect.poll(() => charts.count(), { timeout: 15_000, message: `${title} charts` }).toBe(2);
      for (let c = 0; c < 2; c++) {
        const series = charts.nth(c).locator(`g.series[data-series="${model}"]`);
        await expect.poll(async () => ((await series.locator('path').getAttribute('d').catch(() => null)) ?? '').split('L').length, { timeout: 15_000, message: `${title} chart ${c}` }).toBeGreaterThanOrEqual(3);
        await expect.poll(() => series.locator('circle').count(), { timeout: 15_000, message: `${title} chart ${c}: the test result after the epoch` }).toBe(1);
      }
      // By epoch: whole epochs only on the x axis.
      const ticks = await charts.first().locator('.axis text[text-anchor="middle"]').allTextContents();
      expect(ticks.filter((t) => /^\d+$/.test(t)).length).toBeGreaterThanOrEqual(2);
      expect(ticks.filter((t) => /\./.test(t))).toEqual([]);
    }
  }

  /** Long tasks of the main thread from `since` on: prints and returns their max and count > 200 ms. */
  async function reportLongTasks(page: Page, label: string, since: number): Promise<void> {
    const tasks = await longTasksSince(page, since);
    const max = tasks.length ? Math.max(...tasks) : 0;
    const over200 = tasks.filter((d) => d > 200).length;
    // When the long ones started, relative to the evaluation's arrival (its rendering is the suspect).
    const evaluated = (await received(page)).find((m) => m.type === 'run-evaluation')?.t;
    const starts = (await page.evaluate(`window.__longTasks.filter(([s, d]) => s >= ${since} && d > 200).map(([s]) => s)`)) as number[];
    const when = evaluated === undefined ? '' : ` (starting ${starts.map((s) => `${Math.round(s - evaluated)} ms`).join(', ')} after the evaluation arrived)`;
    console.log(`[browser] long tasks on ${label} after the first batch: ${tasks.length} > 50 ms, max ${max.toFixed(0)} ms, ${over200} > 200 ms${over200 ? when : ''}`);
  }

  /** Console errors, none tolerated unless listed by the caller (each with its reason). */
  function expectNoConsoleErrors(b: Browser, tolerated: RegExp[] = []): void {
    expect(b.errors.filter((e) => !tolerated.some((t) => t.test(e)))).toEqual([]);
  }

  // One page (a fresh browser and dataset cost ~12 s): the data, a run, a stopped run, then the
  // presets, whose check reloads the page.
  it('loads the dataset (70,000 images, all ten classes), trains on WASM to the end: charts, test accuracy, confusion matrix, report and mistakes agree; one run for a double click, Stop ends it, the stopped model can be evaluated; presets set every field', async () => {
    await app.withPage('train-wasm', LINE, async (page, b) => {
      await expect.poll(() => trainButton(page).isDisabled()).toBe(true);
      await waitForDataset(page);
      const { value, max } = await datasetProgress(page);
      expect(value).toBe(max);
      await page.getByText(/70,000 of 70,000 images/).waitFor();

      const gallery = page.getByRole('list', { name: 'Examples of each class' });
      const names = await gallery.locator('.gallery-name').allTextContents();
      expect(names).toEqual([...CLASS_NAMES]);
      for (const name of CLASS_NAMES) {
        const images = gallery.getByRole('img', { name, exact: true });
        expect(await images.count(), name).toBeGreaterThan(0);
        // Drawn from the data: a decoded 28 × 28 picture, not a broken image.
        expect(await darkPixels(images.first())).toBeGreaterThan(20);
      }
      await chooseBackend(page, 'WASM');
      await trainButton(page).click();
      await runStatus(page).getByText(/batch [\d,]+ of [\d,]+/).waitFor({ timeout: 60_000 });
      const since = await pageNow(page);
      await page.locator('.accuracy').waitFor({ timeout: 120_000 });
      await expect.poll(() => runStatus(page).locator('strong').textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      await checkCharts(page, 'TinyVGG');
      const { accuracy, wrong } = await checkEvaluation(page);
      await reportLongTasks(page, 'WASM', since);
      console.log(`[browser] WASM: test accuracy ${accuracy}%, ${wrong} mistakes`);
      // Trained for real: far above the 10% of guessing, even on 540 images.
      expect(Number(accuracy)).toBeGreaterThan(30);
      expect((await received(page)).filter((m) => m.type === 'run-start')).toHaveLength(1);
      expect(await alerts(page).count()).toBe(0);

      // ---- Stop: five epochs of 3,000 images, stopped in the first ----
      await epochsField(page).fill('5');
      await page.getByLabel('Training images', { exact: true }).fill('3000');
      const before = { messages: (await received(page)).length, runs: (await sent(page)).filter((m) => m.type === 'run').length };
      // Two clicks in one task, before React re-renders the button as disabled.
      await trainButton(page).evaluate((button) => {
        const el = button as unknown as { click(): void };
        el.click();
        el.click();
      });
      await runStatus(page).getByText(/epoch 1 of 5, batch [\d,]+ of [\d,]+/).waitFor({ timeout: 60_000 });
      expect(await trainButton(page).isDisabled()).toBe(true);
      await stopButton(page).click();
      await expect.poll(() => runStatus(page).locator('strong').textContent(), { timeout: 60_000 }).toMatch(/^Stopped after /);
      await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
      expect(await stopButton(page).isDisabled()).toBe(true);
      // Stopped in the first epoch: no epoch finished, nothing evaluated.
      expect(await runStatus(page).textContent()).toContain('epoch 1 of 5');
      const messages = (await received(page)).slice(before.messages);
      expect(messages.filter((m) => m.type === 'run-start')).toHaveLength(1);
      const runId = messages.find((m) => m.type === 'run-start')!.runId;
      expect(messages.filter((m) => m.type === 'run-end').map((m) => m.runId)).toEqual([runId]);
      expect(messages.filter((m) => m.type === 'run-evaluation')).toHaveLength(0);
      // The second click sent nothing and changed nothing.
      expect(await alerts(page).count()).toBe(0);
      expect((await sent(page)).filter((m) => m.type === 'run')).toHaveLength(before.runs + 1);

      // The stopped model stays: the page's "Evaluate on the test set" evaluates it.
      const evaluations = (await sent(page)).filter((m) => m.type === 'evaluate').length;
      await page.getByRole('button', { name: 'Evaluate on the test set' }).click();
      // It trained part of epoch 1 only: the headline says so (not "after epoch 0").
      await expect.poll(() => page.locator('.headline').textContent(), { timeout: 60_000 }).toContain('stopped in epoch 1');
      const headline = (await page.locator('.headline').textContent()) ?? '';
      // The model the run handed to the page (it answers drawings) learns the same score.
      const score = /Test accuracy: ([\d.]+%)/.exec(headline)![1];
      await expect
        .poll(() => page.locator('.answering').textContent(), { timeout: 30_000 })
        .toMatch(new RegExp(`stopped in its first epoch .*\\(${score.replace('.', '\\.')} test accuracy\\)`));
      await checkEvaluation(page);
      expect((await sent(page)).filter((m) => m.type === 'evaluate')).toHaveLength(evaluations + 1);
      expect(await alerts(page).count()).toBe(0);

      // A preset sets every field and the address bar; editing a field leaves the preset.
      const quick = page.getByRole('button', { name: /^Quick/ });
      expect(await quick.getAttribute('aria-pressed')).toBe('false');
      await quick.click();
      expect(await quick.getAttribute('aria-pressed')).toBe('true');
      expect(await epochsField(page).inputValue()).toBe(String(PRESETS.quick.config.epochs));
      expect(await page.getByLabel('Batch size', { exact: true }).inputValue()).toBe(String(PRESETS.quick.config.batchSize));
      expect(new URL(page.url()).searchParams.get('epochs')).toBe(String(PRESETS.quick.config.epochs));
      await epochsField(page).fill('4');
      expect(await quick.getAttribute('aria-pressed')).toBe('false');
      // A link without settings opens on the Quick preset.
      await page.goto(app.server.url);
      expect(await page.getByRole('button', { name: /^Quick/ }).getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByRole('button', { name: /^Best/ }).getAttribute('aria-pressed')).toBe('false');

      expect(await alerts(page).count()).toBe(0);
      expectNoConsoleErrors(b);
    });
  }, 400_000);

  it('trains on WebGL (SwiftShader) to the end; then, at learning rate 10 (the allowed maximum), says the run diverged', async () => {
    // 1,080 images in batches of 32: 34 steps, enough for learning rate 10 to blow the loss up.
    await app.withPage('train-webgl', 'model=dense&epochs=1&trainSize=1200&batchSize=32&validationSplit=0.1', async (page, b) => {
      await chooseBackend(page, 'WebGL');
      await waitForDataset(page);
      // One evaluation, after the last (only) epoch.
      await page.getByRole('radio', { name: 'At the end' }).check();
      await trainButton(page).click();
      await runStatus(page).getByText(/batch [\d,]+ of [\d,]+/).waitFor({ timeout: 90_000 });
      const since = await pageNow(page);
      await page.locator('.accuracy').waitFor({ timeout: 150_000 });
      await expect.poll(() => runStatus(page).locator('strong').textContent(), { timeout: 30_000 }).toMatch(/^Done in /);
      await reportLongTasks(page, 'WebGL', since);
      console.log(`[browser] WebGL messages (ms since load): ${JSON.stringify(await received(page))}`);
      expect(await page.locator('section[aria-labelledby="backend-heading"] strong').first().textContent()).toBe('WebGL (GPU)');
      const headline = await page.locator('.accuracy').textContent();
      expect(headline).toMatch(/^Test accuracy: \d{1,3}\.\d%$/);
      console.log(`[browser] WebGL: ${headline}`);
      // The evaluation views agree with each other on WebGL too (the matrix, report and mistakes).
      await checkEvaluation(page);
      expect(await alerts(page).count()).toBe(0);
      expect(await page.locator('.diverged-result').count()).toBe(0);

      // The same page, the same network, a learning rate far too large: the run is named as gone wrong.
      await page.getByLabel('Learning rate', { exact: true }).fill('10');
      await trainButton(page).click();
      const warning = alerts(page).filter({ hasText: 'This run went wrong:' });
      await warning.waitFor({ timeout: 120_000 });
      expect(await warning.textContent()).toMatch(/the loss is (NaN|[\d.]+) after epoch 1|no better than guessing/);
      await expect.poll(async () => (await received(page)).filter((m) => m.type === 'run-end').length, { timeout: 120_000 }).toBe(2);
      await expect
        .poll(() => page.locator('.diverged-result').textContent({ timeout: 1000 }).catch(() => ''), { timeout: 60_000 })
        .toMatch(/^These results are of a run that went wrong: /);
      expectNoConsoleErrors(b);
    });
  }, 300_000);

  it('a lost WebGL context mid-run is named, the page moves to WASM, and Train works again', async () => {
    // The dense network: the context is lost whatever trains, and a CNN's shaders take SwiftShader
    // most of the test's time to compile. 7,200 images in batches of 32 (225 steps) leave the run
    // going when the context goes; one epoch, so the run on WASM afterwards evaluates once.
    await app.withPage('context-lost', 'model=dense&epochs=1&trainSize=8000&batchSize=32&validationSplit=0.1', async (page, b) => {
      await chooseBackend(page, 'WebGL');
      await waitForDataset(page);
      const worker = page.workers().find((w) => w.url().includes('engine-worker'));
      expect(worker, `workers: ${page.workers().map((w) => w.url())}`).toBeDefined();
      // Keep a handle on the engine's WebGL context (it lives in the worker, out of the page's reach).
      await worker!.evaluate(`(() => {
        const proto = WebGL2RenderingContext.prototype;
        const use = proto.useProgram;
        proto.useProgram = function (program) { self.__gl = this; return use.call(this, program); };
      })()`);
      await trainButton(page).click();
      await runStatus(page).getByText(/batch [\d,]+ of [\d,]+/).waitFor({ timeout: 120_000 });
      await worker!.evaluate(`self.__gl.getExtension('WEBGL_lose_context').loseContext()`);

      await alerts(page).filter({ hasText: 'The WebGL context was lost' }).waitFor({ timeout: 60_000 });
      const backendPanel = page.locator('section[aria-labelledby="backend-heading"]');
      await expect.poll(() => backendPanel.textContent(), { timeout: 60_000 }).toContain('WebAssembly (CPU)');
      await expect.poll(() => trainButton(page).isEnabled(), { timeout: 30_000 }).toBe(true);
      // The page keeps working: a fresh run trains to the end on WebAssembly.
      await trainButton(page).click();
      await expect.poll(() => runStatus(page).locator('strong').textContent(), { timeout: 120_000 }).toMatch(/^Done in /);
      await page.locator('.accuracy').waitFor({ timeout: 60_000 });
      const runs = (await received(page)).filter((m) => m.type === 'run-end');
      expect(runs).toHaveLength(2);
      // The only console noise allowed is the browser's own report of the lost context.
      expectNoConsoleErrors(b, [/CONTEXT_LOST_WEBGL|context.*lost/i]);
    });
  }, 240_000);

  it('names a corrupt or missing data file, and Retry loads the dataset', async () => {
    const manifest = JSON.parse(await (await fetch(`${app.server.url}data/manifest.json`)).text()) as {
      splits: { train: { shards: { file: string; bytes: number }[]; labels: { file: string } } };
    };
    const shard = manifest.splits.train.shards.find((s) => s.file === 'train-03.png');
    expect(shard).toBeDefined();
    // Garbage of the right length: only the checksum can tell.
    const garbage = new Uint8Array(shard!.bytes);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    app.server.override('/data/train-03.png', { body: garbage });
    try {
      await app.withPage('data-errors', SMALL, async (page, b) => {
        const alert = page.getByRole('alert').filter({ hasText: 'train-03.png' });
        await alert.waitFor({ timeout: 90_000 });
        expect(await alert.locator('code').first().textContent()).toBe('train-03.png');
        expect(await trainButton(page).isDisabled()).toBe(true);
        // The files still in flight when the load failed finish after the alert: it must stay.
        await page.waitForTimeout(2000);
        expect(await alert.count()).toBe(1);
        app.server.override('/data/train-03.png', null);
        await alert.getByRole('button', { name: 'Retry' }).click();
        await waitForDataset(page);
        expect(await alerts(page).count()).toBe(0);
        expectNoConsoleErrors(b);

        // A missing file, in a fresh page: the alert names it too.
        const missing = manifest.splits.train.labels.file;
        app.server.override(`/data/${missing}`, { status: 404 });
        await page.reload();
        const missingAlert = page.getByRole('alert').filter({ hasText: missing });
        await missingAlert.waitFor({ timeout: 90_000 });
        expect(await missingAlert.textContent()).toContain('HTTP 404');
        expect(await missingAlert.getByRole('button', { name: 'Retry' }).count()).toBe(1);
        expect(await trainButton(page).isDisabled()).toBe(true);
        // Tolerated: Chromium logs the failed request itself ("Failed to load resource ... 404").
        expectNoConsoleErrors(b, [/Failed to load resource: the server responded with a status of 404/]);
      });
    } finally {
      app.server.override('/data/train-03.png', null);
      app.server.override(`/data/${manifest.splits.train.labels.file}`, null);
    }
  }, 240_000);
});
