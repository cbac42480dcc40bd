/**
 * Where one training step's time goes: tf.profile around one optimizer.minimize of a zoo model on
 * a backend (default wasm, 1 thread), after warm-up steps, kernels summed by name (and by name and
 * input shapes with --shapes), averaged over --runs profiled steps. The step is the one
 * src/core/training/train.ts takes.
 *
 *   npx tsx scripts/profile-step.ts [--models tinyvgg,default] [--backend wasm] [--threads 1]
 *                                   [--batch 64] [--steps 3] [--runs 5] [--top 12] [--shapes]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { isModelName, type ModelName } from '../src/core/models/catalog.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { crossEntropy } from '../src/core/training/loss.ts';
import { createOptimizer } from '../src/core/training/optimizer.ts';
import { validateConfig } from '../src/core/config.ts';
import { Rng } from '../src/core/rng.ts';
import { setupBackend } from './lib/backend.ts';

interface KernelRow {
  name: string;
  ms: number;
  calls: number;
}

function parse() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'tinyvgg,default' },
      backend: { type: 'string', default: 'wasm' },
      threads: { type: 'string', default: '1' },
      batch: { type: 'string', default: '64' },
      steps: { type: 'string', default: '3' },
      runs: { type: 'string', default: '5' },
      top: { type: 'string', default: '12' },
      shapes: { type: 'boolean', default: false },
    },
  });
  const models = values.models.split(',');
  for (const m of models) if (!isModelName(m)) throw new Error(`--models: unknown model "${m}"`);
  if (values.backend !== 'wasm' && values.backend !== 'cpu') throw new Error('--backend: wasm or cpu');
  return { ...values, models: models as ModelName[], backend: values.backend as 'wasm' | 'cpu' };
}

/** A batch of random images and one-hot labels (speed does not depend on the pixels). */
function randomBatch(n: number, seed: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const rng = new Rng(seed);
  const xs = tf.tensor4d(
    Float32Array.from({ length: n * 784 }, () => rng.next()),
    [n, 28, 28, 1],
  );
  const ys = tf.tidy(
    () =>
      tf
        .oneHot(
          tf.tensor1d(
            Int32Array.from({ length: n }, () => rng.int(10)),
            'int32',
          ),
          10,
        )
        .toFloat() as tf.Tensor2D,
  );
  return { xs, ys };
}

async function profileModel(name: ModelName, batch: number, steps: number, runs: number, byShape: boolean) {
  const model = createModel(name, 1);
  const config = validateConfig({ model: name });
  const optimizer = createOptimizer(config.optimizer, config.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { xs, ys } = randomBatch(batch, 7);
  const step = () => {
    const cost = optimizer.minimize(() => crossEntropy(model.apply(xs, { training: true }) as tf.Tensor, ys), true, variables);
    cost?.dispose();
  };
  for (let i = 0; i < steps; i++) step(); // warm-up: XNNPACK operators, optimizer slots
  const rows = new Map<string, KernelRow>();
  let total = 0;
  let wall = 0;
  let kernels = 0;
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const info = await tf.profile(step);
    wall += performance.now() - t0;
    kernels = info.kernels.length;
    for (const k of info.kernels) {
      // 'xxx__op' entries wrap a custom-gradient op whose kernels are listed too: not counted twice.
      if (k.name.endsWith('__op')) continue;
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const key = byShape ? `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}` : k.name;
      const row = rows.get(key) ?? { name: key, ms: 0, calls: 0 };
      row.ms += ms / runs;
      row.calls += 1 / runs;
      rows.set(key, row);
      total += ms / runs;
    }
  }
  tf.dispose([xs, ys]);
  optimizer.dispose();
  model.dispose();
  return { total, wall: wall / runs, kernels, rows: [...rows.values()].sort((a, b) => b.ms - a.ms) };
}

async function main() {
  const args = parse();
  const backend = await setupBackend(args.backend, { threads: Number(args.threads) });
  console.log(`backend ${backend.backend}, ${backend.threads} thread(s), SIMD ${backend.simd}`);
  for (const name of args.models) {
    const p = await profileModel(name, Number(args.batch), Number(args.steps), Number(args.runs), args.shapes);
    console.log(
      `\n${name}, batch ${args.batch}, mean of ${args.runs} steps: ${p.kernels} kernels, ${p.total.toFixed(1)} ms in kernels (${p.wall.toFixed(1)} ms with profiling)`,
    );
    console.log('| kernel | ms | calls | share |\n|---|---:|---:|---:|');
    for (const r of p.rows.slice(0, Number(args.top))) {
      console.log(`| ${r.name} | ${r.ms.toFixed(1)} | ${Math.round(r.calls)} | ${((100 * r.ms) / p.total).toFixed(0)}% |`);
    }
  }
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
