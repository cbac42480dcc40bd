/**
 * Command-line options of `npm run bench:browser`, validated into one object. Kept apart from the
 * run so that the test can build the same options the CLI would.
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MODEL_NAMES, isModelName, type ModelName } from '../../../src/core/models/catalog.ts';
import type { BenchBackend } from '../../bench-browser/protocol.ts';
import { COMPARED_MODELS } from '../bench-defaults.ts';
import { chromiumPath } from '../chromium-flags.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** 1 and 2 WASM threads everywhere; 4 and 8 where the machine has that many cores. */
const defaultThreads = (): number[] => [1, 2, 4, 8].filter((t) => t <= Math.max(2, cpus().length));

/** Batch 64 is the page's default and 128 its presets' other; 256 is for --all. */
const DEFAULT_BATCHES = '64,128';
const ALL_BATCHES = '64,128,256';

export const USAGE = `Usage: npm run bench:browser -- [options]

Trains the zoo's models in headless Chromium, in a Web Worker, through the page's training code,
on random images; writes bench-results/browser.json and browser.md. The defaults take about five
minutes on a quiet 2-core machine: WASM only, since WebGL without --gpu runs on SwiftShader, a
software renderer that takes minutes a row and says nothing about a real GPU.

  --models a,b          ${MODEL_NAMES.join(' | ')} (default: ${COMPARED_MODELS.join(',')})
  --backends a,b        webgl | wasm (default: wasm; webgl,wasm with --gpu)
  --threads a,b         WASM thread counts (default here: ${defaultThreads().join(',')})
  --batches a,b         batch sizes (default: ${DEFAULT_BATCHES})
  --all                 WebGL even on SwiftShader, and batch 256 too (about 11 minutes on 2 cores)
  --steps N             gradient steps per timed rep (default: 5)
  --reps N              timed reps; the median counts (default: 3)
  --no-peer             skip the PyTorch peer
  --gpu                 WebGL on the GPU (ANGLE on Vulkan) instead of SwiftShader
  --chromium PATH       the browser (default: $CHROMIUM_PATH or /usr/bin/chromium)
  --out DIR             where to write the results (default: bench-results)
  --click N             instead: N times, the page's production build with its default preset,
                        Train clicked as soon as it can be; time from the click to the test
                        accuracy, split by phase (click.json, click.md)
  -h, --help            this text`;

export class UsageError extends Error {}

export interface BrowserBenchOptions {
  models: ModelName[];
  backends: BenchBackend[];
  threads: number[];
  batches: number[];
  steps: number;
  reps: number;
  peer: boolean;
  gpu: boolean;
  chromium: string;
  out: string;
  /** Runs of the click-to-accuracy measurement (0: the training-speed benchmark instead). */
  click: number;
  help: boolean;
}

function wholeNumbers(flag: string, text: string, min: number, max: number): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  for (const [i, value] of values.entries()) {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(`--${flag}: "${text.split(',')[i]}" is not a whole number from ${min} to ${max}`);
    }
  }
  return [...new Set(values)];
}

export function parseBrowserBenchArgs(argv: string[]): BrowserBenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        models: { type: 'string', default: COMPARED_MODELS.join(',') },
        backends: { type: 'string' },
        threads: { type: 'string', default: defaultThreads().join(',') },
        batches: { type: 'string' },
        all: { type: 'boolean', default: false },
        steps: { type: 'string', default: '5' },
        reps: { type: 'string', default: '3' },
        'no-peer': { type: 'boolean', default: false },
        gpu: { type: 'boolean', default: false },
        chromium: { type: 'string', default: chromiumPath() },
        out: { type: 'string', default: resolve(ROOT, 'bench-results') },
        click: { type: 'string', default: '0' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const models = values.models.split(',').map((m) => m.trim());
  for (const m of models) if (!isModelName(m)) throw new UsageError(`--models: unknown model "${m}" (known: ${MODEL_NAMES.join(', ')})`);
  const backends = (values.backends ?? (values.all || values.gpu ? 'webgl,wasm' : 'wasm')).split(',').map((b) => b.trim());
  for (const b of backends)
    if (b !== 'webgl' && b !== 'wasm') throw new UsageError(`--backends: unknown backend "${b}" (known: webgl, wasm)`);
  const batches = wholeNumbers('batches', values.batches ?? (values.all ? ALL_BATCHES : DEFAULT_BATCHES), 1, 4096);
  const [steps] = wholeNumbers('steps', values.steps, 1, 1000);
  // trainModel takes at most 60,000 training images in a run.
  for (const batch of batches) {
    if (Math.max(steps, 2) * batch > 60_000) throw new UsageError(`--steps × --batches: ${steps} × ${batch} images exceed 60,000`);
  }
  return {
    models: [...new Set(models)] as ModelName[],
    backends: [...new Set(backends)] as BenchBackend[],
    threads: wholeNumbers('threads', values.threads, 1, 64),
    batches,
    steps,
    reps: wholeNumbers('reps', values.reps, 1, 100)[0],
    peer: !values['no-peer'],
    gpu: values.gpu,
    chromium: values.chromium,
    out: resolve(values.out),
    click: wholeNumbers('click', values.click, 0, 100)[0],
    help: values.help,
  };
}
