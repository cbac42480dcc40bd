/**
 * `npm run bench:browser -- --click N`: what a visitor waits for. The production build of the
 * page itself, served cross-origin isolated; for each of N runs a fresh Chromium opens it with no
 * settings in the link (the Quick preset), clicks Train the moment it can be clicked, and waits
 * for the test accuracy. Everything from the click counts, waiting for data files that are still
 * arriving included. The worker's messages give the split: data still arriving after the click,
 * training (first to last step), validation, and the test-set evaluation.
 */
import { chromium } from 'playwright-core';
import { BASE_FLAGS, SOFTWARE_GL_FLAGS } from '../chromium-flags.ts';
import { buildApp } from '../../../tests/browser/build-app.ts';
import { serveStatic } from '../../../tests/browser/static-server.ts';

/** One click on Train, timed in milliseconds from the click. */
export interface ClickRun {
  /** From opening the page until Train could be clicked (not part of the wait). */
  untilClickable: number;
  /** After the click, until the last data file had arrived (0 if all had). */
  dataAfterClick: number;
  /** Click to the run's first message, to its last training step, to its epoch's end, to the test accuracy. */
  runStart: number;
  trainEnd: number;
  epochEnd: number;
  evaluated: number;
  accuracy: number;
  imagesPerSecond: number | null;
  backend: string;
  wasmThreads: number | null;
  kernelThreads: number | null;
}

/** Records, in the page, the worker's messages that mark phases (times from performance.now()). */
const RECORD_PHASES = `
  window.__phases = [];
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (event) => {
        const m = event.data || {};
        const t = performance.now();
        if (m.type === 'run-batch') {
          if (m.progress.batch === m.progress.batchesPerEpoch) window.__phases.push({ type: 'train-end', t, imagesPerSecond: m.progress.imagesPerSecond ?? null });
        } else if (m.type === 'data-ready') window.__phases.push({ type: m.type, t });
        else if (m.type === 'backend') window.__phases.push({ type: m.type, t, report: m.report });
        else if (m.type === 'run-evaluation') window.__phases.push({ type: m.type, t, accuracy: m.evaluation.accuracy });
        else if (m.type && m.type.startsWith('run-')) window.__phases.push({ type: m.type, t });
        else if (m.type === 'error') window.__phases.push({ type: m.type, t, message: m.message });
      });
    }
  };`;

interface Phase {
  type: string;
  t: number;
  accuracy?: number;
  imagesPerSecond?: number | null;
  report?: { backend: string; wasmThreads: number; kernelThreads: number };
  message?: string;
}

/**
 * @param query settings for the link (none: the page's default preset, what the benchmark times;
 *   a test passes a small run)
 */
export async function clickToAccuracy(runs: number, chromiumPath: string, log: (line: string) => void, query = ''): Promise<ClickRun[]> {
  log('building the page (production)…');
  const dist = await buildApp();
  const server = await serveStatic(dist);
  const results: ClickRun[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: [...BASE_FLAGS, ...SOFTWARE_GL_FLAGS] });
      try {
        const page = await (await browser.newContext()).newPage();
        await page.addInitScript({ content: RECORD_PHASES });
        await page.goto(query ? `${server.url}?${query}` : server.url);
        const train = page.getByRole('button', { name: 'Train', exact: true });
        await train.waitFor({ timeout: 120_000 });
        for (let waited = 0; !(await train.isEnabled()); waited += 50) {
          if (waited > 300_000) throw new Error('Train never became clickable');
          await page.waitForTimeout(50);
        }
        const clickedAt = (await page.evaluate('performance.now()')) as number;
        await train.click();
        const phases = async (): Promise<Phase[]> => (await page.evaluate('window.__phases')) as Phase[];
        let seen: Phase[] = [];
        for (const started = Date.now(); !(seen = await phases()).some((p) => p.type === 'run-evaluation' || p.type === 'run-end');) {
          if (Date.now() - started > 1_800_000) throw new Error('no test accuracy within 30 minutes');
          await page.waitForTimeout(100);
        }
        const error = seen.find((p) => p.type === 'error');
        if (error) throw new Error(`the page said: ${error.message}`);
        const at = (type: string): number => {
          const phase = [...seen].reverse().find((p) => p.type === type);
          if (!phase) throw new Error(`no "${type}" message from the worker`);
          return phase.t - clickedAt;
        };
        const backend = [...seen].reverse().find((p) => p.type === 'backend')?.report;
        const trainEnd = [...seen].reverse().find((p) => p.type === 'train-end');
        const result: ClickRun = {
          untilClickable: Math.round(clickedAt),
          dataAfterClick: Math.max(0, Math.round(at('data-ready'))),
          runStart: Math.round(at('run-start')),
          trainEnd: Math.round(at('train-end')),
          epochEnd: Math.round(at('run-epoch')),
          evaluated: Math.round(at('run-evaluation')),
          accuracy: seen.find((p) => p.type === 'run-evaluation')!.accuracy!,
          imagesPerSecond: trainEnd?.imagesPerSecond ?? null,
          backend: backend?.backend ?? 'unknown',
          wasmThreads: backend?.wasmThreads ?? null,
          kernelThreads: backend?.kernelThreads ?? null,
        };
        log(`run ${run}/${runs}: ${(100 * result.accuracy).toFixed(2)}% ${(result.evaluated / 1000).toFixed(1)} s after the click`);
        results.push(result);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  return results;
}

/** The runs as a table, with the median of each column. */
export function clickMarkdown(runs: ClickRun[]): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (
    label: string,
    r: Omit<ClickRun, 'backend' | 'wasmThreads' | 'kernelThreads' | 'imagesPerSecond'> & { imagesPerSecond: number | null },
  ) =>
    `| ${label} | ${s(r.untilClickable)} | ${s(r.dataAfterClick)} | ${s(r.runStart)} | ${s(r.trainEnd - r.runStart)} | ${s(r.epochEnd - r.trainEnd)} | ${s(r.evaluated - r.epochEnd)} | **${s(r.evaluated)}** | ${(100 * r.accuracy).toFixed(2)}% | ${r.imagesPerSecond == null ? '–' : Math.round(r.imagesPerSecond)} |`;
  const lines = [
    '| run | page open → Train clickable, s | data still arriving after the click, s | click → run starts, s | training, s | validation, s | test evaluation, s | click → test accuracy, s | test accuracy | training img/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map((r, i) =>
      row(`${i + 1} (${r.backend}${r.wasmThreads ? ` × ${r.wasmThreads}, convolutions on ${r.kernelThreads}` : ''})`, r),
    ),
  ];
  if (runs.length > 1) {
    const keys = ['untilClickable', 'dataAfterClick', 'runStart', 'trainEnd', 'epochEnd', 'evaluated', 'accuracy'] as const;
    const med = Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])) as Record<(typeof keys)[number], number>;
    const speeds = runs.map((r) => r.imagesPerSecond).filter((x): x is number => x != null);
    lines.push(row('median (each column)', { ...med, imagesPerSecond: speeds.length ? median(speeds) : null }));
  }
  return lines.join('\n');
}
