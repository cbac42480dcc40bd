/**
 * Our training pieces on WebGL, in Debian's Chromium on SwiftShader (tests/browser/fixtures/training-webgl.ts):
 * - the Adam kernel (src/core/kernels/adam-kernels.ts): the weights after 20 steps (with a
 *   learning-rate change) match tf.train.adam's, one kernel runs per weight instead of tfjs's 14,
 *   and no tensor is left behind; with weight decay, the weights match a plain-JS AdamW;
 * - our BatchNormalization layer (src/core/models/batch-norm.ts): a training step gives the stock
 *   layer's loss, gradients and moving statistics, in fewer kernels;
 * - our Conv2D layer (src/core/models/conv2d.ts, bias and ReLU fused): the stock layer's loss and gradients.
 * The fixture is bundled by Vite as a library and served with a one-line page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDecayedWeight } from '../../src/core/training/adam.ts';
import { ADAMW_DECAY, ADAMW_RATES, referenceAdamW } from '../helpers/adamw.ts';
import { haveChromium, launchChromium, openBrowser, type Browser, type Chromium } from './chromium.ts';
import { serveStatic, type StaticServer } from './static-server.ts';

interface RunResult {
  start: number[][];
  weights: number[][];
  kernels: string[];
  tensorsBefore: number;
  tensorsAfter: number;
}
interface BatchNormResult {
  results: number[][];
  kernels: number;
}
interface Result {
  error?: string;
  backend: string;
  registered: boolean;
  ours: RunResult;
  theirs: RunResult;
  adamW: { names: string[]; start: number[][]; targets: number[][]; weights: number[][]; epsilon: number };
  batchNorm: { ours: BatchNormResult; stock: BatchNormResult };
  conv: { ours: number[][]; stock: number[][] };
}

/** |a - b| <= tol · max(1, |b|) everywhere. */
function expectClose(a: number[], b: number[], tol: number, label: string): void {
  expect(a.length, label).toBe(b.length);
  for (let j = 0; j < a.length; j++) {
    expect(Math.abs(a[j] - b[j]), `${label}[${j}]: ${a[j]} vs ${b[j]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[j])));
  }
}

describe.skipIf(!haveChromium)('training kernels on WebGL', () => {
  let dist = '';
  let server: StaticServer;
  let chromium: Chromium;
  let browser: Browser;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'fmnist-training-webgl-'));
    await build({
      configFile: false,
      logLevel: 'warn',
      mode: 'production',
      build: {
        outDir: dist,
        emptyOutDir: true,
        lib: { entry: resolve(import.meta.dirname, 'fixtures/training-webgl.ts'), formats: ['es'], fileName: 'fixture' },
      },
    });
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./fixture.js"></script>\n',
    );
    server = await serveStatic(dist);
    chromium = await launchChromium();
    browser = await openBrowser(chromium);
  }, 300_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  let result: Result;
  const load = async () => {
    if (result) return result;
    await browser.page.goto(server.url);
    await browser.page.waitForFunction('globalThis.__training !== undefined', undefined, { timeout: 120_000 });
    result = (await browser.page.evaluate('globalThis.__training')) as Result;
    expect(result.error).toBeUndefined();
    return result;
  };

  it('Adam: matches tf.train.adam with one kernel per weight and no leaks', async () => {
    const result = await load();
    expect(result.backend).toBe('webgl');
    expect(result.registered).toBe(true);

    const count = (kernels: string[], name: string) => kernels.filter((k) => k === name).length;
    const weightCount = result.ours.weights.length;
    expect(count(result.ours.kernels, 'PlaygroundAdam')).toBe(weightCount);
    expect(count(result.theirs.kernels, 'PlaygroundAdam')).toBe(0);
    console.log(`[training-webgl] Adam step kernels: ours ${result.ours.kernels.length}, tf.train.adam ${result.theirs.kernels.length}`);
    expect(result.ours.kernels.length).toBeLessThan(result.theirs.kernels.length);

    for (let i = 0; i < weightCount; i++) expectClose(result.ours.weights[i], result.theirs.weights[i], 1e-4, `weight ${i}`);
    // Not vacuous: 20 steps at 0.05 then 0.02 move every weight a long way from its start.
    const start = result.ours.start.flat();
    const moved = Math.max(...result.ours.weights.flat().map((x, k) => Math.abs(x - start[k])));
    expect(moved).toBeGreaterThan(0.1);
    expect(result.ours.tensorsAfter).toBe(result.ours.tensorsBefore);
    expect(browser.errors).toEqual([]);
  });

  it('Adam with weight decay: a plain-JS AdamW’s weights, kernels decayed, bias and gamma not', async () => {
    const { names, start, targets, weights, epsilon } = (await load()).adamW;
    const decayed = names.map(isDecayedWeight);
    expect(decayed).toEqual([true, false, true, false]);
    const reference = referenceAdamW(start, targets, decayed, ADAMW_RATES, ADAMW_DECAY, epsilon);
    reference.forEach((w, i) => expectClose(weights[i], w, 1e-4, `AdamW weight ${i}`));
    // Not vacuous: without the decay the kernels would end far from where they did.
    const plain = referenceAdamW(start, targets, decayed, ADAMW_RATES, 0, epsilon);
    expect(Math.max(...plain[0].map((x, j) => Math.abs(x - weights[0][j])))).toBeGreaterThan(1e-2);
  });

  it('BatchNormalization: a training step as the stock layer, in fewer kernels', async () => {
    const { ours, stock } = (await load()).batchNorm;
    const names = ['loss', 'dx', 'dγ', 'dβ', 'moving mean', 'moving variance'];
    expect(ours.results.length).toBe(names.length);
    names.forEach((name, i) => expectClose(ours.results[i], stock.results[i], 1e-3, name));
    expect(Math.max(...ours.results[1].map(Math.abs))).toBeGreaterThan(0.1);
    console.log(`[training-webgl] batch-norm step kernels: ours ${ours.kernels}, stock ${stock.kernels}`);
    expect(ours.kernels).toBeLessThan(stock.kernels * 0.6);
  });

  it('Conv2D with bias and ReLU fused: the stock layer’s loss and gradients', async () => {
    const { ours, stock } = (await load()).conv;
    const names = ['loss', 'dx', 'dkernel', 'dbias'];
    expect(ours.length).toBe(names.length);
    names.forEach((name, i) => expectClose(ours[i], stock[i], 1e-3, name));
    expect(Math.max(...ours[1].map(Math.abs))).toBeGreaterThan(0.1);
  });
});
