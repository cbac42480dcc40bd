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
import { giveFilesScript } from './classify-page.ts';

/** The page's width beyond the window's: 0 when nothing sticks out sideways. */
const overflow = (page: Page) => page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as Promise<number>;

describe.skipIf(!haveChromium)('careless and hostile input (?fake=1)', () => {
  const app = useAppUnderTest('careless-input');

  it("a link with a 6,000-character value and a file with a 400-character name: the alerts quote the value's start and wrap, the page keeps its width", async () => {
    await app.withPage('careless-long-value', `fake=1&model=${'A'.repeat(6000)}`, async (page, b) => {
      const alert = page.getByRole('alert').filter({ hasText: 'model: must be one of' });
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
      await expect.poll(() => answering.textContent(), { timeout: 30_000 }).toMatch(/^Answering: ready-trained Playground CNN/);
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.getByLabel('Answering model').selectOption('dense');
      await expect.poll(() => answering.textContent(), { timeout: 30_000 }).toMatch(/^Answering: ready-trained Dense baseline/);
      const alert = page.getByRole('alert').filter({ hasText: 'does not let the page remember your choice of model' });
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.textContent()).toContain('The ready-trained Dense baseline answers for this visit');
      await page.locator('#classify').screenshot({ path: join(SHOTS, 'careless-no-storage-panel.png') });
      expect(b.errors).toEqual([]);
    });
  }, 120_000);

  it('several pictures dropped or pasted at once: the first is answered, and the page says so', async () => {
    await app.withPage('careless-several-files', 'fake=1', async (page, b) => {
      await expect
        .poll(() => page.locator('.answering').textContent(), { timeout: 30_000 })
        .toMatch(/^Answering: ready-trained Playground CNN/);
      // Dark shapes on white, made in the page: a tall one (first) and a wide one.
      const give = (how: 'drop' | 'paste', names: string[]) =>
        page.evaluate(`(async () => {
          const dt = new DataTransfer();
          for (const [i, name] of ${JSON.stringify(names)}.entries()) {
            const c = document.createElement('canvas');
            c.width = c.height = 200;
            const ctx = c.getContext('2d');
            ctx.fillStyle = '#fff';
            ctx.fillRect(0, 0, 200, 200);
            ctx.fillStyle = '#222';
            if (i === 0) ctx.fillRect(80, 10, 40, 180); else ctx.fillRect(10, 80, 180, 40);
            const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
            dt.items.add(new File([blob], name, { type: 'image/png' }));
          }
          ${giveFilesScript(how)}
        })()`);
      const note = page.getByRole('status').filter({ hasText: 'one picture is answered at a time' });
      const caption = page.locator('.input-preview figcaption');
      const bars = page.getByRole('region', { name: 'Predictions', exact: true });

      await give('drop', ['tall.png', 'wide.png']);
      await expect.poll(() => caption.textContent(), { timeout: 30_000 }).toContain('tall.png');
      await expect.poll(async () => (await bars.textContent()) ?? '', { timeout: 30_000 }).toMatch(/^\S.* \d{1,3}\.\d%/);
      expect(await note.textContent()).toBe(
        'You gave 2 files at once; one picture is answered at a time, so this is the answer for the first, tall.png. Give the others one by one.',
      );
      await page.locator('.classify-grid').screenshot({ path: join(SHOTS, 'careless-several-files-panel.png') });

      await give('paste', ['wide.png', 'tall.png', 'third.png']);
      await expect.poll(() => caption.textContent(), { timeout: 30_000 }).toContain('wide.png');
      expect(await note.textContent()).toContain('You gave 3 files at once');
      // One file again: nothing to say.
      await give('drop', ['tall.png']);
      await expect.poll(() => caption.textContent(), { timeout: 30_000 }).toContain('tall.png');
      expect(await note.count()).toBe(0);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(b.errors).toEqual([]);
    });
  }, 120_000);

  it('a link whose every setting is bad opens on the Quick preset, like a bare link, and says so', async () => {
    await app.withPage('careless-all-bad-link', 'fake=1&epochs=abc', async (page, b) => {
      const alert = page.getByRole('alert').filter({ hasText: 'epochs: must be a finite number' });
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toMatch(
        /^None of the link's settings could be used, so the page opens on the Quick preset, as a link without settings does: epochs: must be a finite number \(got NaN\)\./,
      );
      const quick = page.getByRole('button', { name: /^Quick/ });
      await expect.poll(() => quick.getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByLabel('Epochs', { exact: true }).inputValue()).toBe('1');
      await page.screenshot({ path: join(SHOTS, 'careless-all-bad-link-top.png'), clip: { x: 0, y: 0, width: 1280, height: 640 } });
      // One good setting among bad ones: that link's intent holds, over the defaults.
      await page.goto(`${app.server.url}?fake=1&epochs=abc&model=tinyvgg`);
      const partly = page
        .getByRole('alert')
        .filter({ hasText: 'The link had settings that could not be used, so their defaults apply instead: epochs' });
      await partly.waitFor({ timeout: 30_000 });
      expect(await quick.getAttribute('aria-pressed')).toBe('false');
      expect(await page.getByLabel('Epochs', { exact: true }).inputValue()).toBe('5');
      expect(b.errors).toEqual([]);
    });
  }, 120_000);
});
