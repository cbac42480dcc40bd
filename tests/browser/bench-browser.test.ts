/**
 * `npm run bench:browser` on a tiny setting (batch 16, 2 steps, 1 rep, no PyTorch): the page's
 * worker trains dense, TinyVGG and the default CNN on WebGL (SwiftShader here) and on WASM with
 * one thread, and the JSON holds a complete, sane row for each. Figures are checked for being
 * measured, never for speed: this machine is shared and a duration says nothing here.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchRow } from '../../scripts/bench-browser/protocol.ts';
import { parseBrowserBenchArgs } from '../../scripts/lib/browser-bench/options.ts';
import { clickMarkdown, clickToAccuracy } from '../../scripts/lib/browser-bench/click-to-accuracy.ts';
import { chromiumPath } from '../../scripts/lib/chromium-flags.ts';
import type { BrowserBenchResult } from '../../scripts/lib/browser-bench/report.ts';
import { runBrowserBench } from '../../scripts/lib/browser-bench/run.ts';
import { haveChromium } from './chromium.ts';

const MODELS = ['dense', 'tinyvgg', 'default'] as const;
const DATA = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

describe.skipIf(!haveChromium)('npm run bench:browser', () => {
  const out = mkdtempSync(join(tmpdir(), 'fmnist-bench-browser-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('measures every model on WebGL (labelled software on SwiftShader) and on WASM', async () => {
    const options = parseBrowserBenchArgs([
      '--models',
      MODELS.join(','),
      '--backends',
      'webgl,wasm',
      '--threads',
      '1',
      '--batches',
      '16',
      '--steps',
      '2',
      '--reps',
      '1',
      '--no-peer',
      '--out',
      out,
    ]);
    const output = await runBrowserBench(options, (line) => console.log(`[bench:browser] ${line}`));
    const result = JSON.parse(readFileSync(join(out, 'browser.json'), 'utf8')) as BrowserBenchResult;
    const markdown = readFileSync(join(out, 'browser.md'), 'utf8');
    expect(markdown).toBe(output.markdown);
    expect(result.rows).toHaveLength(6);
    expect(result.peer).toEqual([]);

    const row = (backend: string, model: string): BenchRow => {
      const found = result.rows.find((r) => r.backend === backend && r.model === model);
      if (!found) throw new Error(`no ${backend} row for ${model}`);
      return found;
    };
    const positive = (x: number) => expect(Number.isFinite(x) && x > 0, String(x)).toBe(true);
    for (const model of MODELS) {
      const webgl = row('webgl', model);
      const wasm = row('wasm', model);
      for (const r of [webgl, wasm]) {
        expect(r.batch).toBe(16);
        positive(r.imagesPerSecond);
        positive(r.msPerStep);
        positive(r.kernelsPerStep);
        expect(r.warmupMs).toBeGreaterThanOrEqual(0);
        // Every tensor a row made was disposed with its model.
        expect(r.tensorsLeft).toBe(0);
      }
      // The same training code runs the same kernels whichever backend computes them.
      expect(webgl.kernelsPerStep).toBe(wasm.kernelsPerStep);
      expect(webgl.renderer).toMatch(/swiftshader/i);
      expect(webgl.software).toBe(true);
      positive(webgl.shaderProgramsWarmup!);
      positive(webgl.uploadsPerStep!);
      positive(webgl.downloadsPerStep!);
      expect(wasm.threads).toBe(1);
      expect(wasm.wasmBuild).toBe('simd');
      expect(wasm.software).toBeNull();
    }
    // Convolutions and BatchNorm take more kernels than two Dense layers.
    expect(row('wasm', 'default').kernelsPerStep).toBeGreaterThan(row('wasm', 'dense').kernelsPerStep);
    expect(markdown).toMatch(/\| WebGL \(software\) \| – \| default \| 16 \|/);
    expect(markdown).toMatch(/\| WASM \| 1 \| tinyvgg \| 16 \|/);
  }, 600_000);
});

describe.skipIf(!haveChromium || !existsSync(DATA))('npm run bench:browser -- --click N', () => {
  it('times a click on Train to the test accuracy on the production page, phase by phase', async () => {
    // A small run through the link (the benchmark itself opens the page on its default preset).
    const runs = await clickToAccuracy(
      1,
      chromiumPath(),
      (line) => console.log(`[bench:browser --click] ${line}`),
      'model=tinyvgg&epochs=1&trainSize=600&validationSplit=0.1',
    );
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run.backend).toBe('wasm');
    // Phases in the order a run goes through them, all after the click.
    expect(run.untilClickable).toBeGreaterThan(0);
    expect(run.dataAfterClick).toBeGreaterThanOrEqual(0);
    expect(run.runStart).toBeGreaterThanOrEqual(0);
    expect(run.trainEnd).toBeGreaterThan(run.runStart);
    expect(run.epochEnd).toBeGreaterThanOrEqual(run.trainEnd);
    expect(run.evaluated).toBeGreaterThan(run.epochEnd);
    expect(run.accuracy).toBeGreaterThan(0.1);
    expect(run.accuracy).toBeLessThanOrEqual(1);
    expect(clickMarkdown(runs)).toMatch(/^\| 1 \(wasm × \d+, convolutions on \d+\) \|/m);
  }, 600_000);
});
