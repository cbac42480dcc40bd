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
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../src/core/classes.ts';
import { PRESETS } from '../../src/core/config.ts';
import { useAppUnderTest } from './app-under-test.ts';
import { haveChromium, pageNow } from './chromium.ts';
import {
  SMALL,
  LINE,
  RECORD_WORKER_MESSAGES,
  darkPixels,
  trainButton,
  stopButton,
  runStatus,
  epochsField,
  datasetProgress,
  waitForDataset,
  chooseBackend,
  alerts,
  sent,
  received,
  checkEvaluation,
  checkCharts,
  reportLongTasks,
  expectNoConsoleErrors,
} from './playground-page.ts';

const DATA = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

describe.skipIf(!haveChromium || !existsSync(DATA))('the playground in Chromium', () => {
  const app = useAppUnderTest('browser', RECORD_WORKER_MESSAGES);

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
      await runStatus(page)
        .getByText(/batch [\d,]+ of [\d,]+/)
        .waitFor({ timeout: 60_000 });
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

      // ---- Stop: five epochs of 20,000 images, stopped in the first (an epoch long enough that the Stop cannot land after its last batch) ----
      await epochsField(page).fill('5');
      await page.getByLabel('Training images', { exact: true }).fill('20000');
      const before = { messages: (await received(page)).length, runs: (await sent(page)).filter((m) => m.type === 'run').length };
      // Two clicks in one task, before React re-renders the button as disabled.
      await trainButton(page).evaluate((button) => {
        const el = button as unknown as { click(): void };
        el.click();
        el.click();
      });
      await runStatus(page)
        .getByText(/epoch 1 of 5, batch [\d,]+ of [\d,]+/)
        .waitFor({ timeout: 60_000 });
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
      await runStatus(page)
        .getByText(/batch [\d,]+ of [\d,]+/)
        .waitFor({ timeout: 90_000 });
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
        .poll(
          () =>
            page
              .locator('.diverged-result')
              .textContent({ timeout: 1000 })
              .catch(() => ''),
          { timeout: 60_000 },
        )
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
      await runStatus(page)
        .getByText(/batch [\d,]+ of [\d,]+/)
        .waitFor({ timeout: 120_000 });
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
