// Drives engine-check.html in headless Debian Chromium and prints its log and result.
// Usage: node src/ui/dev/run-engine-check.mjs URL   (e.g. http://127.0.0.1:5199/src/ui/dev/engine-check.html?backends=wasm,webgl)
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.argv[2];
const timeout = Number(process.argv[3] ?? 600) * 1000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-check-'));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', ...(process.env.EXTRA_ARGS ? process.env.EXTRA_ARGS.split(' ') : [])],
});
try {
  const page = await context.newPage();
  page.on('console', (m) => console.log(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
  // Which wasm binary loads, and what fails to load (workers' requests included).
  context.on('requestfinished', async (r) => {
    if (r.url().includes('.wasm')) console.log(`[request] ${r.url()}`);
  });
  context.on('response', (r) => {
    if (r.status() >= 400) console.log(`[http ${r.status()}] ${r.url()}`);
  });
  await page.goto(url);
  if (process.env.RETRY_CMD) {
    // Repair the data while the page shows its error, then press "Retry".
    await page.waitForFunction(() => window.__result?.dataError, null, { timeout, polling: 500 });
    execSync(process.env.RETRY_CMD);
    await page.evaluate(() => window.__retry());
  }
  await page.waitForFunction(() => window.__result?.done || window.__result?.failed, null, { timeout, polling: 1000 });
  console.log(JSON.stringify(await page.evaluate(() => window.__result), null, 1));
} finally {
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
