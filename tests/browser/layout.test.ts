/**
 * What people expect of the page, on the `?fake=1` page (the replaying engine: no
 * training, no dataset needed): on a phone Train and its progress come before the settings and the
 * prediction bars sit just under the drawing pad; from the keyboard Train is among the first Tab
 * stops; the Train tab shows one confusion matrix, a heatmap whose every number reads on its cell;
 * the per-class accuracy bars follow its class order; only once asked, the page lists the selected model's layers.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../src/core/classes.ts';
import { MODEL_CATALOG } from '../../src/core/models/catalog.ts';
import { SHOTS, useAppUnderTest } from './app-under-test.ts';
import { haveChromium } from './chromium.ts';
import { drawOnPad } from './pad.ts';

const PHONE = { width: 390, height: 844 };
const RUN = 'fake=1&model=tinyvgg&epochs=2&trainSize=2000&validationSplit=0.1';

const trainButton = (page: Page) => page.getByRole('button', { name: 'Train', exact: true });
const status = (page: Page) => page.locator('.run-status p[aria-live="polite"] strong');

async function ready(page: Page): Promise<void> {
  await page.getByText(/^All in: /).waitFor({ timeout: 30_000 });
  await expect.poll(() => trainButton(page).isEnabled(), { timeout: 10_000 }).toBe(true);
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  expect(b, 'laid out').not.toBeNull();
  return b!;
}

/** A cell's text and background colours as the page computes them, and their WCAG contrast ratio. */
type CellColour = { label: string; diagonal: boolean; count: number; color: number[]; background: number[]; ratio: number };

function cellColours(cells: Locator): Promise<CellColour[]> {
  return cells.evaluateAll((buttons) => {
    const parse = (css: string) => {
      const [r, g, b, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
      // Translucent colours are seen over the white panel.
      return [r, g, b].map((v) => v * a + 255 * (1 - a));
    };
    const luminance = (c: number[]) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return buttons.map((el) => {
      const style = getComputedStyle(el);
      const color = parse(style.color);
      const background = parse(style.backgroundColor);
      const [l1, l2] = [luminance(color), luminance(background)];
      const label = el.getAttribute('aria-label') ?? '';
      const m = /^True (.+), predicted (.+): ([\d,]+) images?$/.exec(label);
      return {
        label,
        diagonal: m !== null && m[1] === m[2],
        count: m ? Number(m[3].replace(/,/g, '')) : -1,
        color,
        background,
        ratio: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05),
      };
    });
  });
}

describe.skipIf(!haveChromium)('the page on a phone, from the keyboard, and its test-set charts (?fake=1)', () => {
  const app = useAppUnderTest('layout');

  it('on a 390 × 844 phone: Train and its progress above the settings, the bars just under the pad', async () => {
    await app.withPage('layout-phone', RUN, async (page, b) => {
      await page.setViewportSize(PHONE);
      await page.reload();
      await ready(page);
      expect(await page.evaluate(() => scrollY)).toBe(0);
      const train = await box(trainButton(page));
      const settings = await box(page.locator('#setup-heading'));
      const form = await box(page.getByLabel('Epochs', { exact: true }));
      console.log(
        `[layout] phone: Train at y = ${Math.round(train.y)} px, the settings at ${Math.round(settings.y)}, the form at ${Math.round(form.y)}`,
      );
      // On the first screen, without scrolling, and before the settings and the hyperparameter form.
      expect(train.y + train.height).toBeLessThanOrEqual(PHONE.height);
      expect(train.y).toBeLessThan(settings.y);
      expect(train.y).toBeLessThan(form.y);
      // Nothing wider than the phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

      // Its progress is there too, under Train, while it runs and when it is done.
      await trainButton(page).click();
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      const progress = await box(page.locator('.run-status'));
      expect(progress.y).toBeGreaterThan(train.y);
      expect(progress.y + progress.height).toBeLessThanOrEqual(PHONE.height);
      expect(progress.y).toBeLessThan((await box(page.locator('#setup-heading'))).y);
      // A link under it leads past the settings to the charts and the test results.
      await page.getByRole('link', { name: 'Learning curves and test results ↓' }).click();
      await expect.poll(async () => Math.round((await box(page.locator('#run-results'))).y), { timeout: 10_000 }).toBeLessThanOrEqual(1);
      expect((await box(page.locator('#run-results'))).y).toBeGreaterThanOrEqual(-1);
      // The results (matrix and all) still fit the phone's width: wide tables scroll in their box.
      await page.locator('.confusion-table').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

      // The drawing pad at the top of the screen: the answer's bars are on the same screen, under it.
      const pad = page.getByRole('application', { name: 'Drawing pad' });
      await pad.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await drawOnPad(page, pad);
      const bars = page.getByRole('region', { name: 'Predictions' }).first();
      await bars.locator('.prediction-bars li').first().waitFor({ timeout: 60_000 });
      await pad.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      const padBox = await box(pad);
      const barsBox = await box(bars);
      await page.screenshot({ path: join(SHOTS, 'layout-phone-pad.png') });
      console.log(
        `[layout] phone: pad ${Math.round(padBox.y)}–${Math.round(padBox.y + padBox.height)} px, bars ${Math.round(barsBox.y)}–${Math.round(barsBox.y + barsBox.height)} px`,
      );
      expect(padBox.y).toBeGreaterThanOrEqual(-1); // at the top, to the subpixel
      expect(barsBox.y).toBeGreaterThan(padBox.y);
      expect(barsBox.y + barsBox.height).toBeLessThanOrEqual(PHONE.height);
      expect(await bars.locator('.prediction-bars li').count()).toBe(10);
      expect(b.errors).toEqual([]);
    });
  }, 180_000);

  // One page for three checks (a fresh Chromium costs seconds): Train from the keyboard, then the
  // finished run's confusion matrix and per-class bars, then the layers panel.
  it('from the keyboard, Train within three Tab presses; one readable confusion matrix, per-class bars in its order; "Layers of <model>" when asked', async () => {
    await app.withPage('layout-keyboard', RUN, async (page, b) => {
      await ready(page);
      const stops: string[] = [];
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press('Tab');
        stops.push(
          await page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent?.trim().slice(0, 40)}`),
        );
        if (await trainButton(page).evaluate((el) => el === document.activeElement)) break;
      }
      console.log(`[layout] Tab stops: ${stops.join(' | ')}`);
      expect(await trainButton(page).evaluate((el) => el === document.activeElement)).toBe(true);
      expect(stops.length).toBeLessThanOrEqual(3);
      await page.keyboard.press('Enter');
      await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^Done in /);
      // The phone's link down to the results is not shown (nor a Tab stop) on a wide screen.
      expect(await page.locator('.results-link').count()).toBe(1);
      expect(await page.locator('.results-link').isVisible()).toBe(false);

      // ---- one confusion matrix, shaded with readable numbers and a legend; per-class accuracy bars in its order ----
      const evaluation = page.locator('section[aria-labelledby="evaluation-heading"]');
      await evaluation.locator('.confusion-table').waitFor();

      // Once: the table, and no heatmap drawn beside it.
      expect(await page.locator('.confusion-table').count()).toBe(1);
      expect(await page.getByRole('heading', { name: /^Confusion matrix/ }).count()).toBe(1);
      const matrix = evaluation.locator('section.subpanel', { has: page.getByRole('heading', { name: 'Confusion matrix', exact: true }) });
      expect(await matrix.locator('canvas, svg, .vega-embed, .confusion-chart').count()).toBe(0);
      await page.locator('.confusion-table').scrollIntoViewIfNeeded();
      await page.locator('.confusion-table').screenshot({ path: join(SHOTS, 'layout-matrix-table.png') });

      // Every number reads on its cell (WCAG AA, 4.5:1); right answers blue, mistakes orange, empty white.
      const cells = await cellColours(matrix.locator('.confusion-table button.cell'));
      expect(cells).toHaveLength(100);
      const worst = cells.reduce((w, c) => (c.ratio < w.ratio ? c : w));
      console.log(`[layout] lowest text contrast in the matrix: ${worst.ratio.toFixed(2)}:1 (${worst.label})`);
      for (const c of cells) expect(c.ratio, c.label).toBeGreaterThanOrEqual(4.5);
      for (const c of cells.filter((c) => c.count > 0)) {
        const [r, , bl] = c.background;
        if (c.diagonal) expect(bl, c.label).toBeGreaterThan(r);
        else expect(r, c.label).toBeGreaterThan(bl);
      }
      for (const c of cells.filter((c) => c.count === 0)) expect(c.background, c.label).toEqual([255, 255, 255]);
      // Darker is more: the largest mistake is darker than the smallest non-zero one.
      const mistakes = cells.filter((c) => !c.diagonal && c.count > 0).sort((x, y) => x.count - y.count);
      const sum = (c: CellColour) => c.background.reduce((s, x) => s + x, 0);
      expect(sum(mistakes.at(-1)!)).toBeLessThan(sum(mistakes[0]));

      // The legend names both scales and their tops: the largest class and the largest mistake.
      const legend = matrix.getByRole('list', { name: 'Colour scale' });
      const legendText = (await legend.textContent()) ?? '';
      const rows = CLASS_NAMES.map((name) => cells.filter((c) => c.label.startsWith(`True ${name},`)).reduce((s, c) => s + c.count, 0));
      expect(legendText).toContain(`Right (diagonal)1${Math.max(...rows).toLocaleString('en')} images`);
      expect(legendText).toContain(`Mistaken1${mistakes.at(-1)!.count.toLocaleString('en')} images`);
      expect(await matrix.getByText('Predicted class →').count()).toBe(1);
      expect(await matrix.getByText('True class ↓').count()).toBe(1);

      // Accuracy per class: the matrix's diagonal over its rows, drawn as SVG by the page.
      const bars = evaluation.locator('.class-accuracy');
      const data = JSON.parse((await bars.getAttribute('data-accuracy')) ?? '[]') as { index: string; value: number }[];
      expect(data.map((d) => d.index)).toEqual([...CLASS_NAMES]);
      CLASS_NAMES.forEach((name, t) => {
        const right = cells.find((c) => c.label.startsWith(`True ${name}, predicted ${name}:`))!.count;
        expect(data[t].value, name).toBeCloseTo((right / rows[t]) * 100, 1);
      });
      const drawn = bars.locator('svg.class-accuracy-chart');
      await expect.poll(() => drawn.count(), { timeout: 20_000 }).toBe(1);
      expect((await box(drawn)).width).toBeGreaterThan(200);
      // One order everywhere: the bars list the classes as the matrix's rows do (the dataset's order,
      // T-shirt/top … Ankle boot), each bar as long as its share.
      const matrixRows = [...new Set(cells.map((c) => /^True (.+), predicted /.exec(c.label)![1]))];
      expect(matrixRows).toEqual([...CLASS_NAMES]);
      expect(await drawn.locator('.class-bar .class-name').allTextContents()).toEqual(matrixRows);
      const widths = await drawn.locator('.class-bar rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
      const full = Math.max(...widths) / (Math.max(...data.map((d) => d.value)) / 100);
      data.forEach((d, t) => expect(widths[t] / full, d.index).toBeCloseTo(d.value / 100, 2));
      expect(await evaluation.getByRole('alert').count()).toBe(0);
      await bars.scrollIntoViewIfNeeded();
      await bars.screenshot({ path: join(SHOTS, 'layout-class-accuracy.png') });

      // ---- "Layers of <model>": built only when opened, tabulated, redrawn for another model ----
      const loaded = () =>
        page.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/model-layers-[^/]*\.js$/.test(e.name)));
      const details = page.locator('details.model-layers');
      const table = details.locator('.model-summary table');
      expect(await details.locator('summary').textContent()).toBe(`Layers of ${MODEL_CATALOG.tinyvgg.title}`);
      // Closed: nothing built, its code not even loaded.
      expect(await details.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
      expect(await details.locator('.model-summary').evaluate((el) => el.childElementCount)).toBe(0);
      expect(await loaded()).toBe(false);

      /** The table's rows and their parameter counts, once it shows `model`. */
      const layerRows = async (model: keyof typeof MODEL_CATALOG) => {
        await expect.poll(() => details.locator('.model-summary').getAttribute('data-model'), { timeout: 30_000 }).toBe(model);
        return table
          .locator('tbody tr')
          .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      };
      await details.locator('summary').click();
      const tiny = await layerRows('tinyvgg');
      expect(await loaded()).toBe(true);
      expect(await table.locator('thead th').allTextContents()).toEqual(['Layer', 'Output shape', 'Parameters']);
      // The table fits the set-up column.
      expect(await details.locator('.model-summary').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      expect(tiny.map((r) => r[1])).toEqual([
        '[batch,28,28,10]',
        '[batch,28,28,10]',
        '[batch,14,14,10]',
        '[batch,14,14,10]',
        '[batch,14,14,10]',
        '[batch,7,7,10]',
        '[batch,490]',
        '[batch,10]',
      ]);
      expect(tiny.reduce((s, r) => s + Number(r[2].replace(/,/g, '')), 0)).toBe(MODEL_CATALOG.tinyvgg.parameters);
      expect(await details.getByText(`8 layers, ${MODEL_CATALOG.tinyvgg.parameters.toLocaleString('en')} parameters`).count()).toBe(1);
      await details.screenshot({ path: join(SHOTS, 'layout-layers-table.png') });

      // Another model while open: the table follows.
      await page.getByRole('radio', { name: /^Dense baseline/ }).check();
      expect(await details.locator('summary').textContent()).toBe(`Layers of ${MODEL_CATALOG.dense.title}`);
      const dense = await layerRows('dense');
      expect(dense.map((r) => r[1])).toEqual(['[batch,784]', '[batch,128]', '[batch,10]']);
      expect(dense.reduce((s, r) => s + Number(r[2].replace(/,/g, '')), 0)).toBe(MODEL_CATALOG.dense.parameters);
      expect(await details.getByRole('alert').count()).toBe(0);

      // ---- Compare: both confusion matrices on one colour scale ----
      await page.getByRole('tab', { name: 'Compare', exact: true }).click();
      // The Dense baseline picked above brings its 5 epochs on all 60,000 images: over 5 minutes
      // expected, so the page asks first (a replay, so yes).
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      // The overlaid curves are in the results column (after the settings on a phone), the run panel
      // above; they come with the comparison (the single run's "Done in" is still on the page).
      await expect.poll(() => page.locator('#run-results .overlay-chart svg').count(), { timeout: 90_000 }).toBe(4);
      await expect.poll(() => status(page).textContent(), { timeout: 90_000 }).toMatch(/^Done in /);
      expect(await page.locator('.run-area .overlay-chart').count()).toBe(0);
      const legends = page.getByRole('list', { name: 'Colour scale, the same in both matrices' });
      await expect.poll(() => legends.count(), { timeout: 10_000 }).toBe(2);
      const [first, second] = await legends.allTextContents();
      expect(first).toBe(second);
      // The scale's tops are the largest class and the largest mistake of either model.
      const all = await cellColours(page.locator('.compare-matrices .confusion-table button.cell'));
      expect(all).toHaveLength(200);
      const mistake = Math.max(...all.filter((c) => !c.diagonal).map((c) => c.count));
      expect(first).toContain(`Mistaken1${mistake.toLocaleString('en')} images`);
      // One count, one shade: equal counts of the same kind look the same in both matrices.
      const shade = new Map<string, string>();
      for (const c of all) {
        const key = `${c.diagonal} ${c.count}`;
        const colour = c.background.map(Math.round).join(',');
        expect(shade.get(key) ?? colour, c.label).toBe(colour);
        shade.set(key, colour);
      }
      for (const c of all) expect(c.ratio, c.label).toBeGreaterThanOrEqual(4.5);
      expect(b.errors).toEqual([]);
    });
  }, 360_000);
});
