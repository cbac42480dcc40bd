/**
 * What a careless visitor (or one trying to break the page) gives it, on the `?fake=1` page (the
 * replaying engine: no dataset needed): a link with a value thousands of characters long, a link
 * whose settings are all bad, a browser without localStorage, several files dropped at once. Each
 * gets a message that says what happens, and the page keeps its width and its work.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS, useAppUnderTest } from './app-under-test.ts';
import { haveChromium } from './chromium.ts';

/** The page's width beyond the window's: 0 when nothing sticks out sideways. */
const overflow = (page: Page) => page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as Promise<number>;

describe.skipIf(!haveChromium)('careless and hostile input (?fake=1)', () => {
  const app = useAppUnderTest('careless-input');

  it('a link with a 6,000-character value and a file with a 400-character name: the alerts quote the value\'s start and wrap, the page keeps its width', async () => {
    await app.withPage('careless-long-value', `fake=1&model=${'A'.repeat(6000)}`, async (page, b) => {
      const alert = page.getByRole('alert').filter({ hasText: 'The link had settings that could not be used' });
      await alert.waitFor({ timeout: 30_000 });
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain(`(got "${'A'.repeat(32)}…" (6,000 characters))`);
      expect(text.length).toBeLessThan(400);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      const box = (await alert.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(1280);
      await alert.screenshot({ path: join(SHOTS, 'careless-long-value-alert.png') });
      // A file name is quoted whole (it is the visitor's own), and wraps anywhere instead.
      const name = `${'B'.repeat(400)}.txt`;
      await page.getByLabel('Upload image').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from('not a picture\n') });
      const refused = page.getByRole('alert').filter({ hasText: 'is not an image this page can read' });
      await refused.waitFor({ timeout: 30_000 });
      expect(await refused.textContent()).toContain(name);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await refused.screenshot({ path: join(SHOTS, 'careless-long-name-alert.png') });
      expect(b.errors).toEqual([]);
    });
  }, 120_000);

  it('a browser that keeps no local storage: choosing a model works for the visit, and the page says it cannot remember it', async () => {
    await app.withPage('careless-no-storage', 'fake=1', async (page, b) => {
      // As where the visitor blocks site data: reading window.localStorage throws.
      await b.context.addInitScript({
        content: `Object.defineProperty(window, 'localStorage', {
          configurable: true,
          get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); },
        });`,
      });
      await page.reload();
      const answering = page.locator('.answering');
      await expect.poll(() => answering.textContent(), { timeout: 30_000 }).toMatch(/^Answering: shipped default CNN/);
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.getByLabel('Answering model').selectOption('dense');
      await expect.poll(() => answering.textContent(), { timeout: 30_000 }).toMatch(/^Answering: shipped dense baseline/);
      const alert = page.getByRole('alert').filter({ hasText: 'does not let the page remember your choice of model' });
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.textContent()).toContain('The shipped dense baseline answers for this visit');
      await page.locator('#classify').screenshot({ path: join(SHOTS, 'careless-no-storage-panel.png') });
      expect(b.errors).toEqual([]);
    });
  }, 120_000);
});
