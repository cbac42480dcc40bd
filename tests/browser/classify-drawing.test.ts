/**
 * Drawing on the Classify panel's pad in Debian's Chromium against the production build: the
 * shipped model answers a drawing before any training, showing the 28×28 input; the pad works by
 * mouse and by keys, Undo and Clear; answering a stroke never holds up the page.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../src/core/classes.ts';
import { DEBIAN_DIR } from '../../scripts/lib/locate-data.ts';
import { SHOTS, useAppUnderTest } from './app-under-test.ts';
import { haveChromium, longTasksSince, pageNow } from './chromium.ts';
import { answering, caption, predictions, settledAnswer, shippedAnswering, shownProbabilities } from './classify-page.ts';
import { previewBytes } from './pad.ts';

describe.skipIf(!haveChromium || !existsSync(join(DEBIAN_DIR, 't10k-images-idx3-ubyte.gz')))(
  'drawing on the Classify pad in Chromium',
  () => {
    const app = useAppUnderTest('classify-drawing');

    it('answers a drawing with the shipped model before any training, showing the 28×28 input', async () => {
      await app.withPage('classify-draw', '', async (page, b) => {
        await expect.poll(() => answering(page).textContent(), { timeout: 120_000 }).toMatch(shippedAnswering); // it comes once the dataset is in
        // The page above grows while the dataset streams in: draw once it is all in and the pad stays put.
        await page.getByText(/^All in: /).waitFor({ timeout: 90_000 });
        const pad = page.getByRole('application', { name: 'Drawing pad' });
        await pad.scrollIntoViewIfNeeded();
        await page.getByLabel('Brush size').fill('28');
        let box = (await pad.boundingBox())!;
        const at = (x: number, y: number) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
        const stroke = async (points: [number, number][]) => {
          box = (await pad.boundingBox())!;
          await page.mouse.move(...at(...points[0]));
          await page.mouse.down();
          for (const p of points.slice(1)) await page.mouse.move(...at(...p), { steps: 8 });
          await page.mouse.up();
        };
        const since = await pageNow(page);
        // A pair of trousers: a waistband, two long legs apart, filled at the hips.
        await stroke([
          [95, 30],
          [185, 30],
        ]);
        await stroke([
          [100, 35],
          [92, 150],
          [88, 255],
        ]);
        await stroke([
          [180, 35],
          [188, 150],
          [192, 255],
        ]);
        await stroke([
          [110, 45],
          [170, 45],
          [165, 80],
          [115, 80],
        ]);
        const text = await settledAnswer(page);
        const top = CLASS_NAMES.find((n) => text.startsWith(`${n} `));
        console.log(`[classify] drawing of trousers: ${text.slice(0, 60)}…`);
        await page.locator('#classify').screenshot({ path: join(SHOTS, 'classify-drawing.png') });
        expect(top).toBe('Trouser');
        // Ten bars, sorted.
        const probs = await shownProbabilities(page);
        expect(probs).toHaveLength(10);
        expect(probs.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
        const values = await predictions(page).locator('.bar-value').allTextContents();
        expect(values).toHaveLength(10);
        const numbers = values.map((v) => Number(v.replace('%', '')));
        expect([...numbers].sort((x, y) => y - x)).toEqual(numbers);
        // The preview shows the model's input: bright strokes on black, centred.
        const input = await previewBytes(page);
        expect(input.filter((v) => v > 128).length).toBeGreaterThan(60);
        expect(input[0]).toBe(0);
        expect(await caption(page).textContent()).toContain('From your drawing');
        const ms = Number(await page.locator('.answered-by').getAttribute('data-ms'));
        const tasks = await longTasksSince(page, since);
        console.log(
          `[classify] inference in the classifier worker: ${ms.toFixed(1)} ms (last drawing); long tasks while drawing: ${tasks.length}, max ${Math.round(Math.max(0, ...tasks))} ms`,
        );

        // Undo removes the last stroke and the answer follows; Clear empties everything.
        await page.getByRole('button', { name: 'Undo' }).click();
        await expect
          .poll(async () => (await previewBytes(page)).filter((v) => v > 128).length)
          .not.toBe(input.filter((v) => v > 128).length);
        await page.getByRole('button', { name: 'Clear' }).click();
        await expect.poll(() => predictions(page).textContent()).toContain('Draw something');
        expect((await previewBytes(page)).every((v) => v === 0)).toBe(true);

        // The same trousers with the keyboard alone: arrows move the pen 10 px from the centre,
        // Space puts it down and lifts it, Ctrl+Z undoes.
        await pad.focus();
        const scrolled = await page.evaluate('window.scrollY');
        let pen: [number, number] = [140, 140];
        const penTo = async (x: number, y: number) => {
          for (; pen[0] !== x; pen = [pen[0] + Math.sign(x - pen[0]) * 10, pen[1]])
            await page.keyboard.press(x > pen[0] ? 'ArrowRight' : 'ArrowLeft');
          for (; pen[1] !== y; pen = [pen[0], pen[1] + Math.sign(y - pen[1]) * 10])
            await page.keyboard.press(y > pen[1] ? 'ArrowDown' : 'ArrowUp');
        };
        const keyStroke = async (points: [number, number][]) => {
          await penTo(...points[0]);
          await page.keyboard.press('Space');
          for (const p of points.slice(1)) await penTo(...p);
          await page.keyboard.press('Space');
        };
        // The pen moves along one axis at a time, so the legs go straight down: slanted legs would be
        // staircases, which read as a pullover's sleeves.
        await keyStroke([
          [100, 30],
          [180, 30],
        ]);
        await keyStroke([
          [100, 40],
          [100, 250],
        ]);
        await keyStroke([
          [180, 40],
          [180, 250],
        ]);
        await keyStroke([
          [110, 50],
          [170, 50],
        ]);
        const keyed = await settledAnswer(page);
        console.log(`[classify] trousers drawn with the keyboard: ${keyed.slice(0, 60)}…`);
        await page.locator('#classify').screenshot({ path: join(SHOTS, 'classify-keyboard.png') });
        expect(keyed).toMatch(/^Trouser \d/);
        const keyedInput = await previewBytes(page);
        await page.keyboard.press('Control+z');
        await expect
          .poll(async () => (await previewBytes(page)).filter((v) => v > 128).length)
          .toBeLessThan(keyedInput.filter((v) => v > 128).length);
        // The pad kept the keys to itself: still focused, and the page did not scroll under them.
        expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('Drawing pad');
        expect(await page.evaluate('window.scrollY')).toBe(scrolled);
        await page.getByRole('button', { name: 'Clear' }).click();
        expect(await page.getByRole('alert').count()).toBe(0);
        expect(b.errors).toEqual([]);
      });
    }, 120_000);

    // One page (a fresh browser costs ~10 s of the suite): good uploads, bad ones, then the network
    // taken away from a shipped model.
  },
);
