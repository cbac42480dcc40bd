/**
 * Measures one benchmark row in the worker, through the page's own training code (trainModel,
 * createModel): the first step of a fresh backend (warm-up), the kernels of one steady-state step,
 * then `reps` timed runs of `steps` steps on random images.
 */
import * as tf from '@tensorflow/tfjs';
import { validateConfig, type TrainingConfig } from '../../src/core/config.ts';
import { MODEL_CATALOG } from '../../src/core/models/catalog.ts';
import { createModel } from '../../src/core/models/zoo.ts';
import { trainModel } from '../../src/core/training/train.ts';
import { now } from '../../src/core/yield.ts';
import { randomSet } from '../lib/random-set.ts';
import { startBackend, type StartedBackend } from './backend.ts';
import type { BenchJob, BenchRow } from './protocol.ts';
import { watchWebgl, type WebglCounters } from './webgl-counters.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

type Measured = Omit<BenchRow, keyof StartedBackend | 'tensorsLeft'>;

export async function measureJob(job: BenchJob, log: (message: string) => void): Promise<BenchRow> {
  const started = await startBackend(job.backend, job.threads);
  const counters = job.backend === 'webgl' ? watchWebgl() : null;
  const tensorsBefore = tf.memory().numTensors;
  const model = createModel(job.model, 1);
  let measured: Measured;
  try {
    measured = await measureModel(model, job, counters, log);
  } finally {
    model.dispose();
  }
  return { ...started, ...measured, tensorsLeft: tf.memory().numTensors - tensorsBefore };
}

async function measureModel(
  model: tf.LayersModel,
  job: BenchJob,
  counters: WebglCounters | null,
  log: (message: string) => void,
): Promise<Measured> {
  // Two steps' worth at least: the kernel count needs a 2-step run.
  const set = randomSet(Math.max(job.steps, 2) * job.batch);
  const config = (steps: number): TrainingConfig =>
    validateConfig({ model: job.model, epochs: 1, batchSize: job.batch, trainSize: steps * job.batch, validationSplit: 0, seed: 1 });
  // One read-back per run (at its end): metrics stay on the device between steps.
  const train = (steps: number) => trainModel(model, set, config(steps), { reportEvery: steps });

  const t0 = now();
  await train(1);
  const warmupMs = now() - t0;
  const shaderProgramsWarmup = counters?.programs() ?? null;
  log(`warm-up ${Math.round(warmupMs)} ms`);

  // One run of 1 step and one of 2: the difference is one steady-state step, without what only
  // a run's first step does (the optimizer making its slots). Counted at once: tf.profile hands
  // back the same object every time and refills it.
  const one = countNames((await tf.profile(async () => void (await train(1)))).kernels);
  const two = countNames((await tf.profile(async () => void (await train(2)))).kernels);
  log(`${total(two) - total(one)} kernels a step (counted in ${Math.round(now() - t0 - warmupMs)} ms)`);

  counters?.reset();
  const runs: number[] = [];
  for (let rep = 0; rep < job.reps; rep++) {
    runs.push((await train(job.steps)).imagesPerSecond);
    log(`rep ${rep + 1}/${job.reps}: ${Math.round(runs[rep])} img/s`);
  }
  const transfers = counters?.transfers() ?? null;
  const perStep = (n: number) => round(n / (job.steps * job.reps), 2);
  const imagesPerSecond = median(runs);
  return {
    model: job.model,
    parameters: MODEL_CATALOG[job.model].parameters,
    batch: job.batch,
    steps: job.steps,
    reps: job.reps,
    imagesPerSecond: round(imagesPerSecond),
    imagesPerSecondRuns: runs.map((r) => round(r)),
    msPerStep: round((1000 * job.batch) / imagesPerSecond, 2),
    kernelsPerStep: total(two) - total(one),
    kernelNames: difference(two, one),
    warmupMs: Math.round(warmupMs),
    shaderProgramsWarmup,
    shaderProgramsTotal: counters?.programs() ?? null,
    uploadsPerStep: transfers ? perStep(transfers.uploads) : null,
    downloadsPerStep: transfers ? perStep(transfers.downloads) : null,
  };
}

function countNames(kernels: { name: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { name } of kernels) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

/** `a − b` by name, most frequent first, names that cancel out left out. */
function difference(a: Map<string, number>, b: Map<string, number>): Record<string, number> {
  const out = [...a].map(([name, n]) => [name, n - (b.get(name) ?? 0)] as const).filter(([, n]) => n !== 0);
  return Object.fromEntries(out.sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])));
}
