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
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}
