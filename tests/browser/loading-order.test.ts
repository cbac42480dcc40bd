/**
 * What the page asks the server for, and in which order, on a first visit to the real page: the
 * training shards before the test shards, and the ready-trained model (over a megabyte) only after
 * the dataset is in, so it never competes with what Train waits for.
 */
import { describe, expect, it } from 'vitest';
import { useAppUnderTest } from './app-under-test.ts';
import { haveChromium } from './chromium.ts';

describe.skipIf(!haveChromium)("the order of the page's downloads", () => {
  const app = useAppUnderTest('loading-order');

  it('fetches the training shards, then the test shards, then the ready-trained model', async () => {
    const events: string[] = [];
    await app.withPage('loading-order', 'model=tinyvgg', async (page, b) => {
      const path = (url: string) => new URL(url).pathname;
      // The context sees the training worker's requests as well as the page's.
      b.context.on('request', (r) => events.push(`ask ${path(r.url())}`));
      b.context.on('requestfinished', (r) => events.push(`got ${path(r.url())}`));
      await page.reload();
      await page.getByText(/^All in: /).waitFor({ timeout: 120_000 });
      await expect
        .poll(() => page.locator('.answering-model p.answering').textContent(), { timeout: 60_000 })
        .toMatch(/^Answering: ready-trained Playground CNN/);
      const first = (what: RegExp) => events.findIndex((e) => what.test(e));
      const last = (what: RegExp) => events.reduce((at, e, i) => (what.test(e) ? i : at), -1);
      console.log(`[loading-order] ${events.filter((e) => /\/(data|models)\//.test(e)).join(', ')}`);
      expect(first(/^ask \/data\/train-\d+\.png$/)).toBeGreaterThanOrEqual(0);
      expect(first(/^ask \/data\/test-\d+\.png$/)).toBeGreaterThanOrEqual(0);
      // Every training shard is asked for before the first test shard.
      expect(last(/^ask \/data\/train-\d+\.png$/)).toBeLessThan(first(/^ask \/data\/test-\d+\.png$/));
      // The model comes after the last shard of either split has arrived.
      expect(first(/^ask \/models\/default\/model\.json$/)).toBeGreaterThan(last(/^got \/data\/(train|test)-\d+\.png$/));
      expect(first(/^ask \/models\/default\/weights\.bin$/)).toBeGreaterThan(last(/^got \/data\/(train|test)-\d+\.png$/));
      expect(b.errors).toEqual([]);
    });
  }, 240_000);
});
