/**
 * `npm run bench`: training and inference speed of every model of the zoo on each Node backend
 * (cpu; wasm with 1 and 2 threads), median of 3 runs, against PyTorch on the same CPU when
 * python3-torch is installed. Writes bench-results/bench.json and bench-results/bench.md.
 *
 *   npm run bench -- [--models a,b] [--backends wasm,cpu] [--threads 1,2] [--reps 3] [--images 2560]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MODEL_NAMES, isModelName, type ModelName } from '../src/core/models/catalog.ts';
import { benchConfiguration, type BenchRow } from './lib/bench-run.ts';
import { matchingPeer, runPeer, type PeerRow } from './lib/pytorch-peer.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parse() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: MODEL_NAMES.join(',') },
      backends: { type: 'string', default: 'wasm,cpu' },
      threads: { type: 'string', default: '1,2' },
      reps: { type: 'string', default: '3' },
      images: { type: 'string', default: '2560' },
      'cpu-images': { type: 'string', default: '64' },
      one: { type: 'string' },
      'no-peer': { type: 'boolean', default: false },
    },
  });
  const models = values.models.split(',');
  for (const m of models) if (!isModelName(m)) throw new Error(`--models: unknown model "${m}"`);
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps: must be a whole number >= 1');
  return { ...values, models: models as ModelName[], reps };
}

function markdown(rows: BenchRow[], peer: PeerRow[]): string {
  const lines = [
    '| model | params | backend | threads | train img/s | infer img/s | latency ms | vs PyTorch (train) |',
    '|---|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const p = matchingPeer(peer, r);
    const ratio = p ? `${(r.trainImagesPerSecond / p.train_images_per_s).toFixed(2)}×` : '-';
    lines.push(`| ${r.model} | ${r.parameters.toLocaleString('en')} | ${r.backend} | ${r.threads} | ${r.trainImagesPerSecond} | ${r.inferImagesPerSecond} | ${r.latencyMs} | ${ratio} |`);
  }
  for (const p of peer) {
    lines.push(`| ${p.model} | | PyTorch ${p.torch} CPU | ${p.threads} | ${Math.round(p.train_images_per_s)} | ${Math.round(p.infer_images_per_s)} | ${p.latency_ms} | 1.00× |`);
  }
  return lines.join('\n');
}

async function main() {
  const args = parse();
  const images = Number(args.images);
  if (args.one) {
    // Child mode: one backend × threads configuration, rows as JSON on stdout.
    const [backend, threads] = args.one.split(':');
    const cpu = backend === 'cpu';
    const rows = await benchConfiguration(backend as 'wasm' | 'cpu', Number(threads), args.models, {
      images: cpu ? Number(args['cpu-images']) : images,
      reps: args.reps,
      batch: 64,
    });
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  const configurations: string[] = [];
  for (const backend of args.backends.split(',')) {
    if (backend === 'wasm') for (const t of args.threads.split(',')) configurations.push(`wasm:${t}`);
    else if (backend === 'cpu') configurations.push('cpu:1');
    else throw new Error(`--backends: unknown backend "${backend}"`);
  }
  const rows: BenchRow[] = [];
  for (const configuration of configurations) {
    console.error(`${configuration}…`);
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--one', configuration, '--models', args.models.join(','), '--reps', String(args.reps), '--images', args.images, '--cpu-images', args['cpu-images']],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (child.status !== 0) throw new Error(`${configuration} failed (exit ${child.status})`);
    rows.push(...(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as BenchRow[]));
  }
  // The peer on each thread count of ours, so every row of ours has its match, thread for thread.
  const threadCounts = [...new Set(rows.map((r) => r.threads))];
  const peer = args['no-peer'] ? [] : threadCounts.flatMap((threads) => runPeer(args.models, { reps: args.reps, images: 5000, batch: 64, threads }));
  const table = markdown(rows, peer);
  const outDir = join(ROOT, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const meta = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length };
  writeFileSync(join(outDir, 'bench.json'), `${JSON.stringify({ ...meta, rows, peer }, null, 2)}\n`);
  writeFileSync(join(outDir, 'bench.md'), `${table}\n`);
  console.log(table);
  console.log(`\nwritten: bench-results/bench.json, bench-results/bench.md`);
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
