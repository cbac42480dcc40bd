/**
 * Training throughput of TinyVGG at batch 64 on wasm vs cpu (synthetic data), median of 3 timed
 * runs after a warm-up. Each configuration runs in its own process (a tfjs backend's thread count
 * is fixed at initialisation).
 *
 *   npx tsx scripts/bench-wasm-kernels.ts                 # wasm threads 1 and 2, cpu
 *   npx tsx scripts/bench-wasm-kernels.ts --one wasm 1    # a single configuration
 *   npx tsx scripts/bench-wasm-kernels.ts --profile wasm 1  # per-kernel times of one step
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from './lib/backend.ts';

const BATCH = 64;

function tinyVgg(): tf.Sequential {
  const conv = (first: boolean) =>
    tf.layers.conv2d({
      ...(first ? { inputShape: [28, 28, 1] } : {}),
      filters: 10,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    });
  const model = tf.sequential({
    layers: [
      conv(true),
      conv(false),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      conv(false),
      conv(false),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

async function benchOne(backend: 'wasm' | 'cpu', threads: number, profile: boolean): Promise<void> {
  const info = await setupBackend(backend, { threads });
  const model = tinyVgg();
  const x = tf.randomUniform([BATCH, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32') as tf.Tensor1D, 10);
  const step = async () => {
    await model.trainOnBatch(x, y); // returns the loss value: forces the step to finish
  };
  const steps = backend === 'cpu' ? 2 : 30;
  for (let i = 0; i < (backend === 'cpu' ? 1 : 5); i++) await step();
  if (profile) {
    const p = await tf.profile(step);
    const byKernel = new Map<string, { ms: number; n: number }>();
    for (const k of p.kernels) {
      const e = byKernel.get(k.name) ?? { ms: 0, n: 0 };
      e.ms += k.kernelTimeMs as number;
      e.n++;
      byKernel.set(k.name, e);
    }
    const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
    const total = rows.reduce((s, r) => s + r[1].ms, 0);
    for (const [name, e] of rows) console.log(`${name.padEnd(24)} ${e.ms.toFixed(2).padStart(8)} ms  x${e.n}`);
    console.log(`total kernel time ${total.toFixed(1)} ms`);
  }
  const rates: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    rates.push((steps * BATCH) / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  console.log(
    JSON.stringify({ ...info, requestedThreads: threads, imagesPerSec: Math.round(rates[1]), runs: rates.map(Math.round) }),
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const mode = argv[0];
  if (mode === '--one' || mode === '--profile') {
    await benchOne(argv[1] as 'wasm' | 'cpu', Number(argv[2] ?? 1), mode === '--profile');
    return;
  }
  const self = fileURLToPath(import.meta.url);
  for (const [backend, threads] of [
    ['wasm', '1'],
    ['wasm', '2'],
    ['cpu', '1'],
  ]) {
    const out = execFileSync(process.execPath, [...process.execArgv, self, '--one', backend, threads], {
      encoding: 'utf8',
    });
    console.log(out.trim().split('\n').filter((l) => l.startsWith('{')).join('\n'));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
