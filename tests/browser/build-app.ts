/**
 * The production build the browser tests run against: the dataset in public/data (built from the
 * real IDX files when missing or stale) and `vite build` into a temporary folder, once per run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { buildDataset } from '../../scripts/data.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export async function buildApp(): Promise<string> {
  await buildDataset({ outDir: join(ROOT, 'public/data'), log: () => {} });
  const outDir = mkdtempSync(join(tmpdir(), 'fmnist-dist-'));
  // Vitest sets NODE_ENV=test, and Vite would then bundle React's development build (StrictMode's
  // double effects, slower renders): the tests must see what `npm run build` ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}
