/**
 * One benchmark configuration (a backend with a thread count), in this process: for each model,
 * training images/s through the real training loop, inference images/s and single-image latency.
 * A tfjs backend's thread count is fixed when it starts, so scripts/bench.ts runs each
 * configuration in a process of its own.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../../src/core/classes.ts';
import { validateConfig } from '../../src/core/config.ts';
import { MODEL_CATALOG, type ModelName } from '../../src/core/models/catalog.ts';
import { createModel } from '../../src/core/models/zoo.ts';
import { predictImages, predictProbabilities } from '../../src/core/training/predict.ts';
import { trainModel } from '../../src/core/training/train.ts';
import { setupBackend } from './backend.ts';
import { randomSet } from './random-set.ts';

export interface BenchRow {
  model: ModelName;
  backend: string;
  /** Cores it trains on: the most threads of tfjs's pool and of our kernels' (compared with PyTorch's). */
  threads: number;
  /** The two pools: "tfjs 2 + ours 2" (each as many threads), or "tfjs 1 + ours 2" (one pool, ours). */
  pools: string;
  parameters: number;
  batch: number;
  trainImagesPerSecond: number;
  trainRuns: number[];
  inferImagesPerSecond: number;
  latencyMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Whole numbers, except below 10 where the cpu backend lives: 0.4 img/s must not print as 0. */
const rate = (x: number) => (x < 10 ? Number(x.toFixed(2)) : Math.round(x));

export async function benchConfiguration(
  backendName: 'wasm' | 'cpu',
  threads: number,
  models: ModelName[],
  options: { images: number; reps: number; batch: number; kernelThreads?: number },
): Promise<BenchRow[]> {
  const backend = await setupBackend(backendName, { threads, kernelThreads: options.kernelThreads });
  const set = randomSet(Math.max(options.images, 1000));
  const rows: BenchRow[] = [];
  for (const name of models) {
    const config = validateConfig({
      model: name,
      epochs: 1,
      batchSize: options.batch,
      trainSize: options.images,
      validationSplit: 0,
    });
    const model = createModel(name, 1);
    // Warm-up: kernels compile (V8 tiers WebAssembly up as it runs), XNNPACK builds its operators,
    // the optimizer makes its slots. Five steps, as the PyTorch peer warms up each of its runs.
    await trainModel(model, set, { ...config, trainSize: Math.min(options.images, 5 * options.batch) });
    const runs: number[] = [];
    for (let r = 0; r < options.reps; r++) {
      runs.push((await trainModel(model, set, config, { reportEvery: 1_000_000 })).imagesPerSecond);
    }
    const inferCount = backendName === 'cpu' ? 200 : 1000;
    const indices = Int32Array.from({ length: inferCount }, (_, i) => i);
    await predictProbabilities(model, set, indices.subarray(0, 10));
    const t0 = performance.now();
    await predictProbabilities(model, set, indices);
    const inferImagesPerSecond = inferCount / ((performance.now() - t0) / 1000);
    const latencies: number[] = [];
    for (let i = 0; i < 30; i++) {
      const image = set.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
      const t = performance.now();
      predictImages(model, [image]);
      latencies.push(performance.now() - t);
    }
    model.dispose();
    rows.push({
      model: name,
      backend: backend.backend,
      threads: Math.max(backend.threads, backend.kernelThreads),
      pools: backendName === 'cpu' ? '–' : `tfjs ${backend.threads} + ours ${backend.kernelThreads}`,
      parameters: MODEL_CATALOG[name].parameters,
      batch: options.batch,
      trainImagesPerSecond: rate(median(runs)),
      trainRuns: runs.map(rate),
      inferImagesPerSecond: rate(inferImagesPerSecond),
      latencyMs: Number(median(latencies).toFixed(2)),
    });
    console.error(
      `  ${name} on ${backend.backend} (tfjs ${backend.threads} + ours ${backend.kernelThreads}): ${rate(median(runs))} img/s training`,
    );
  }
  tf.disposeVariables();
  return rows;
}
