/**
 * Runs the browser benchmark: builds and serves the page, starts Chromium (SwiftShader, or the GPU
 * with --gpu), measures each row in the page's worker, runs the PyTorch peer at the same batch
 * sizes, and writes browser.json and browser.md.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { BenchJob, BenchPageApi, BenchRow } from '../../bench-browser/protocol.ts';
import { BASE_FLAGS, GPU_GL_FLAGS, SOFTWARE_GL_FLAGS, vulkanEnv } from '../chromium-flags.ts';
import { runPeer } from '../pytorch-peer.ts';
import type { BrowserBenchOptions } from './options.ts';
import { buildAndServePage } from './page-build.ts';
import { browserBenchMarkdown, type BrowserBenchResult } from './report.ts';

export interface BrowserBenchOutput {
  result: BrowserBenchResult;
  markdown: string;
  jsonPath: string;
  markdownPath: string;
}

/** Every row, in table order: backend configuration, then model, then batch. */
export function benchJobs(options: BrowserBenchOptions): BenchJob[] {
  const configurations = options.backends.flatMap((backend): Pick<BenchJob, 'backend' | 'threads'>[] =>
    backend === 'wasm' ? options.threads.map((threads) => ({ backend, threads })) : [{ backend, threads: 0 }],
  );
  return configurations.flatMap(({ backend, threads }) =>
    options.models.flatMap((model) =>
      options.batches.map((batch) => ({ backend, threads, model, batch, steps: options.steps, reps: options.reps })),
    ),
  );
}

export async function runBrowserBench(
  options: BrowserBenchOptions,
  log: (line: string) => void = console.error,
): Promise<BrowserBenchOutput> {
  if (!existsSync(options.chromium)) {
    throw new Error(`no Chromium at ${options.chromium}: install it (apt-get install -y chromium) or pass --chromium PATH`);
  }
  const jobs = benchJobs(options);
  log(`building the benchmark page…`);
  const served = await buildAndServePage();
  const browser = await chromium
    .launch({
      executablePath: options.chromium,
      headless: true,
      args: [...BASE_FLAGS, ...(options.gpu ? GPU_GL_FLAGS : SOFTWARE_GL_FLAGS)],
      ...(options.gpu ? { env: vulkanEnv() } : {}),
    })
    .catch(async (error: Error) => {
      await served.close();
      throw error;
    });
  const rows: BenchRow[] = [];
  let result: BrowserBenchResult;
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.text().startsWith('[bench] ')) log(message.text().slice(8));
      else if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready="true"]');
    const info = await page.evaluate(() => (globalThis as unknown as BenchPageApi).benchInfo());
    if (!info.crossOriginIsolated && jobs.some((job) => job.backend === 'wasm' && job.threads > 1)) {
      throw new Error('the benchmark page is not cross-origin isolated: no WASM threads');
    }
    log(`${browser.version()}: ${jobs.length} rows`);
    for (const [i, job] of jobs.entries()) {
      log(
        `[${i + 1}/${jobs.length}] ${job.backend}${job.backend === 'wasm' ? ` × ${job.threads} threads` : ''}, ${job.model}, batch ${job.batch}`,
      );
      rows.push(await runJob(page, job, errors));
    }
    result = {
      date: new Date().toISOString(),
      chromium: `Chromium ${browser.version()}`,
      page: info,
      cpus: cpus().length,
      gpu: options.gpu,
      steps: options.steps,
      reps: options.reps,
      rows,
      peer: [],
    };
  } finally {
    await browser.close();
    await served.close();
  }
  if (options.gpu && rows.some((row) => row.software)) {
    log(`warning: --gpu asked for the GPU, but WebGL ran on a software renderer (${rows.find((row) => row.software)?.renderer})`);
  }
  if (options.peer) {
    try {
      // Every batch size on each of our WASM thread counts (1 where only WebGL ran): thread for thread.
      const threadCounts = [...new Set(rows.map((row) => row.threads ?? 1))];
      for (const threads of threadCounts) {
        for (const batch of options.batches) {
          // At least 2,560 images a rep: PyTorch's steps are short, and fewer would time mostly noise.
          result.peer.push(
            ...runPeer(options.models, { reps: options.reps, images: Math.max(options.steps * batch, 2560), batch, threads }),
          );
        }
      }
    } catch (error) {
      // The browser's figures took long to get: keep them, without the peer's.
      log(`PyTorch peer failed, its figures are left out: ${(error as Error).message.split('\n')[0]}`);
      result.peer = [];
    }
  }
  const markdown = browserBenchMarkdown(result);
  mkdirSync(options.out, { recursive: true });
  const jsonPath = join(options.out, 'browser.json');
  const markdownPath = join(options.out, 'browser.md');
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(markdownPath, markdown);
  return { result, markdown, jsonPath, markdownPath };
}

async function runJob(page: Page, job: BenchJob, errors: string[]): Promise<BenchRow> {
  try {
    return await page.evaluate((j) => (globalThis as unknown as BenchPageApi).benchRun(j), job);
  } catch (error) {
    const seen = errors.length ? ` (page errors: ${errors.join('; ')})` : '';
    throw new Error(`${(error as Error).message.split('\n')[0]}${seen}`, { cause: error });
  }
}
