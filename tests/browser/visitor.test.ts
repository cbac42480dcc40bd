/**
 * The page as a first-time visitor meets it, on the `?fake=1` page (the replaying engine: no
 * training, no dataset needed): plain words (one name per model, no internal labels, the GPU's raw
 * renderer string kept in a Details box); a run's time from the click; the expected time before it, and a question before a long one; which input the answers are for; a warning before leaving mid-run; the replay labelled as one.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../src/core/models/catalog.ts';
import { SHOTS, useAppUnderTest } from './app-under-test.ts';
import { haveChromium } from './chromium.ts';
import { drawOnPad } from './pad.ts';

const RUN = 'fake=1&model=tinyvgg&epochs=2&trainSize=2000&validationSplit=0.1';

const trainButton = (page: Page) => page.getByRole('button', { name: 'Train', exact: true });
const status = (page: Page) => page.locator('.run-status p[aria-live="polite"] strong');
const answering = (page: Page) => page.locator('.answering-model p.answering');

async function ready(page: Page): Promise<void> {
  await page.getByText(/^All in: /).waitFor({ timeout: 30_000 });
  await expect.poll(() => trainButton(page).isEnabled(), { timeout: 10_000 }).toBe(true);
}

/** A product photo of sorts: dark trousers on a white background, 120 × 160. */
function trousersPng(): Buffer {
  const png = new PNG({ width: 120, height: 160 });
  for (let y = 0; y < 160; y++) {
    for (let x = 0; x < 120; x++) {
      const leg = y > 10 && y < 150 && ((x > 30 && x < 56) || (x > 64 && x < 90));
      const waist = y > 10 && y < 40 && x > 30 && x < 90;
      const v = leg || waist ? 40 : 255;
      png.data.set([v, v, v, 255], (y * 120 + x) * 4);
    }
  }
  return PNG.sync.write(png);
}

/** What a visitor can read: the rendered text (closed Details boxes and hidden elements left out). */
const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);

/** Words only the people building the page use. */
const INTERNAL = [/\bseed 0\d\d\b/i, /\bissue \d+/i, /\bshipped\b/i, /\bdefault (CNN|model)\b/i, /ANGLE \(/];

describe.skipIf(!haveChromium)('the page as a visitor meets it (?fake=1)', () => {
  const app = useAppUnderTest('visitor');

  it('speaks plain words: one name per model, no internal labels, the renderer string in a Details box', async () => {
    await app.withPage('visitor-words', RUN, async (page, b) => {
      await ready(page);
      await expect
        .poll(() => answering(page).textContent(), { timeout: 30_000 })
        .toMatch(/^Answering: ready-trained Playground CNN \(\d+\.\d% test accuracy\)/);
      await trainButton(page).click();
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      const trainTab = await visibleText(page);
      await page.getByRole('tab', { name: 'Compare', exact: true }).click();
      await page
        .getByRole('heading', { name: /against/ })
        .first()
        .waitFor();
      const compareTab = await visibleText(page);
      for (const [tab, text] of [
        ['Train', trainTab],
        ['Compare', compareTab],
      ] as const) {
        for (const word of INTERNAL) expect(text, `${tab} tab: ${word}`).not.toMatch(word);
      }
      // The default CNN goes by one name: in the picker, the presets, the answers and the menu.
      const name = MODEL_CATALOG.default.title;
      expect(name).toBe('Playground CNN');
      expect(trainTab).toContain(`Quick\n${name}, 1 epoch`);
      expect(await page.getByLabel('Answering model').locator('option').allTextContents()).toEqual([
        `Ready-trained ${name}`,
        `Ready-trained ${MODEL_CATALOG.dense.title}`,
      ]);
      // Where each model comes from, in a visitor's words.
      for (const info of Object.values(MODEL_CATALOG)) expect(trainTab).toContain(info.origin);

      // The renderer string is there for whoever wants it, one click away.
      const details = page.locator('section[aria-labelledby="backend-heading"] details');
      expect(await details.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
      expect(await details.locator('code').textContent()).toMatch(/^ANGLE \(/);
      expect(trainTab).toContain('Graphics: a software renderer');
      await details.locator('summary').click();
      expect(await visibleText(page)).toMatch(/ANGLE \(/);
      expect(b.errors).toEqual([]);
    });
  }, 180_000);

  it("says what a run's time counts: from the click, and the training within it, as the progress line does", async () => {
    await app.withPage('visitor-times', RUN, async (page, b) => {
      await ready(page);
      const before = Date.now();
      await trainButton(page).click();
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      const waited = (Date.now() - before) / 1000;
      const text = (await status(page).textContent()) ?? '';
      const m = /^Done in (\d+) s from the click: (\d+) s training, (\d+) s building and testing$/.exec(text);
      expect(m, text).not.toBeNull();
      const [sinceClick, training, rest] = m!.slice(1).map(Number);
      expect(sinceClick).toBe(training + rest);
      // No more than the test itself waited from before the click to seeing it done.
      expect(sinceClick).toBeLessThanOrEqual(Math.ceil(waited));
      // The training part is what the progress line says.
      expect(await page.locator('.member-status .member-line').textContent()).toContain(` · trained ${training} s · `);
      expect(b.errors).toEqual([]);
    });
  }, 180_000);

  it('shows the expected time before Train, and asks before a run of more than 5 minutes', async () => {
    await app.withPage('visitor-expected', RUN, async (page, b) => {
      await ready(page);
      const expected = page.locator('.train-panel .expected-time');
      const dialogs: string[] = [];
      let answer = false;
      page.on('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void (answer ? dialog.accept() : dialog.dismiss());
      });
      // A small run: its time is shown, and it starts without a question.
      expect(await expected.textContent()).toBe('Expected time: under a minute (at the speed measured for WebAssembly on 2 CPU cores).');
      await trainButton(page).click();
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      expect(dialogs).toEqual([]);

      // The Best preset: about 1½ hours on 2 CPU cores, said before Train, and asked about on Train.
      await page.getByRole('button', { name: /^Best/ }).click();
      await expect
        .poll(() => expected.textContent())
        .toBe('Expected time: about 1 h 30 min (at the speed measured for WebAssembly on 2 CPU cores).');
      await trainButton(page).click();
      await expect.poll(() => dialogs.length, { timeout: 10_000 }).toBe(1);
      expect(dialogs[0]).toMatch(/^confirm: This run is expected to take a long time: about 1 h 30 min .* Start it\?$/);
      // Cancelled: nothing started, the last run's result stays.
      expect(await status(page).textContent()).toMatch(/^Done in /);
      expect(await trainButton(page).isEnabled()).toBe(true);
      // Confirmed: it starts.
      answer = true;
      await trainButton(page).click();
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^(Building the model|Training)$/);
      expect(dialogs).toHaveLength(2);
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toMatch(/^Stopped/);

      // Compare says its time too: both models'.
      await page.getByRole('tab', { name: 'Compare', exact: true }).click();
      expect(await expected.textContent()).toMatch(/^Expected time: about \d+ (h|min)/);
      expect(b.errors).toEqual([]);
    });
  }, 180_000);

  it('asks before the tab closes while a run is on, and only then', async () => {
    await app.withPage('visitor-leave', 'fake=1&model=tinyvgg&epochs=30&trainSize=2000&validationSplit=0.1', async (page) => {
      await ready(page);
      /** Whether the page would hold the tab open: it cancels a beforeunload event. */
      const holds = () =>
        page.evaluate(() => {
          const event = new Event('beforeunload', { cancelable: true });
          window.dispatchEvent(event);
          return event.defaultPrevented;
        });
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.type());
        void dialog.dismiss();
      });
      // A click first: browsers ask only on pages the person has used.
      await page.getByRole('tab', { name: 'Train one model' }).click();
      expect(await holds()).toBe(false);

      await trainButton(page).click();
      await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toBe('Training');
      expect(await holds()).toBe(true);
      // Closing the tab brings up the browser's "Leave site?"; staying keeps the run going.
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => dialogs, { timeout: 10_000 }).toEqual(['beforeunload']);
      expect(page.isClosed()).toBe(false);
      expect(await status(page).textContent()).toBe('Training');

      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toMatch(/^Stopped/);
      expect(await holds()).toBe(false);
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => page.isClosed(), { timeout: 10_000 }).toBe(true);
      expect(dialogs).toEqual(['beforeunload']);
    });
  }, 180_000);

  it('says which input the bars answer: after an upload the sketch is dimmed, and drawing again answers the drawing', async () => {
    await app.withPage('visitor-which-input', RUN, async (page, b) => {
      await ready(page);
      const pad = page.getByRole('application', { name: 'Drawing pad' });
      const surface = page.locator('.pad-surface');
      const answered = page.locator('.answered-input');
      const label = page.locator('.input-preview .input-label');
      const caption = page.locator('.input-preview figcaption');
      const firstBar = page.locator('.classify-result .prediction-bars li').first();
      await pad.scrollIntoViewIfNeeded();
      await drawOnPad(page, pad);
      await firstBar.waitFor({ timeout: 60_000 });
      await expect.poll(() => answered.textContent()).toBe('The bars answer your drawing.');
      expect(await label.textContent()).toBe('Answered: your drawing');
      expect(await surface.getAttribute('class')).toBe('pad-surface');

      // An upload: its 28×28 view is what the bars answer, and the sketch is dimmed under a note.
      await page.getByLabel('Upload image').setInputFiles({ name: 'trousers.png', mimeType: 'image/png', buffer: trousersPng() });
      await expect.poll(() => caption.textContent(), { timeout: 30_000 }).toMatch(/^From trousers\.png /);
      expect(await answered.textContent()).toBe('The bars answer your upload, trousers.png.');
      expect(await label.textContent()).toBe('Answered: your upload, trousers.png');
      expect(await surface.getAttribute('class')).toBe('pad-surface inactive');
      expect(await pad.evaluate((el) => Number(getComputedStyle(el).opacity))).toBeLessThan(0.5);
      expect(await surface.locator('.pad-inactive-note').textContent()).toBe(
        'Your upload is answered now. Draw here to answer your drawing again.',
      );
      await pad.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'visitor-upload-answered.png') });

      // Drawing again: the drawing is answered, the pad bright again.
      await drawOnPad(page, pad);
      await expect.poll(() => answered.textContent(), { timeout: 30_000 }).toBe('The bars answer your drawing.');
      expect(await caption.textContent()).toMatch(/^From your drawing/);
      expect(await surface.getAttribute('class')).toBe('pad-surface');
      expect(b.errors).toEqual([]);
    });
  }, 180_000);

  it('labels ?fake=1 as a replay on the first screen and on the run, and only there', async () => {
    await app.withPage('visitor-replay', RUN, async (page, b) => {
      await ready(page);
      const banner = page.getByRole('note', { name: 'Replay' });
      expect(await banner.textContent()).toMatch(/^Replay, not real training\./);
      const box = await banner.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
      expect(await banner.textContent()).toContain('To train for real, open the page without fake=1 in its address.');
      await trainButton(page).click();
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      expect(await page.locator('.run-status p[aria-live="polite"]').textContent()).toMatch(/^Replay\s*Done in /);
      expect(b.errors).toEqual([]);
    });
    // The real page says nothing of the kind.
    await app.withPage('visitor-no-replay', 'model=tinyvgg', async (page) => {
      await page.getByRole('heading', { name: 'Fashion-MNIST Playground' }).waitFor();
      await page.getByRole('tab', { name: 'Train one model' }).waitFor();
      expect(await page.getByRole('note', { name: 'Replay' }).count()).toBe(0);
      expect(await visibleText(page)).not.toMatch(/replay/i);
    });
  }, 180_000);
});
