/**
 * `npm run bench`: training and inference speed of the zoo's models on Node backends, median of 3
 * runs, against PyTorch on the same CPU when python3-torch is installed. By default the compared
 * models on WASM with 1 and 2 threads; --all adds every model and the pure-JavaScript cpu backend.
 * Writes bench-results/bench.json and bench-results/bench.md.
 *
 * With --rounds N the whole sequence (ours, then the peer) runs N times and the table gives each
 * round's ratio and their median: on a shared machine whose speed drifts by a third within
 * minutes, a ratio of figures taken seconds apart is the one to trust.
 *
 * With --busy N every round runs twice, quiet and then with N other processes each keeping a core
 * busy with a plain loop (scripts/lib/busy-cores.ts) while ours and the peer run alike; the table
 * gives both ratios and how much of the quiet ratio holds under load.
 *
 * A --threads entry N runs tfjs's pool and our kernels' on N threads each; 1+N runs tfjs on one
 * thread and our kernels (with our forward convolutions, which tfjs's single thread leaves to us)
 * on N: one pool, as the page has on 2 cores.
 *
 * Options: scripts/lib/bench-options.ts, or `npm run bench -- --help`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchConfiguration, type BenchRow } from './lib/bench-run.ts';
import { BENCH_USAGE, parseBenchArgs } from './lib/bench-options.ts';
import { startBusyCores } from './lib/busy-cores.ts';
import { matchingPeer, runPeer, type PeerRow } from './lib/pytorch-peer.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function markdown(rows: BenchRow[], peer: PeerRow[]): string {
  const lines = [
    '| model | params | backend | threads (pools) | train img/s | infer img/s | latency ms | vs PyTorch (train) |',
    '|---|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const p = matchingPeer(peer, r);
    const ratio = p ? `${(r.trainImagesPerSecond / p.train_images_per_s).toFixed(2)}×` : '-';
    lines.push(
      `| ${r.model} | ${r.parameters.toLocaleString('en')} | ${r.backend} | ${r.threads} (${r.pools}) | ${r.trainImagesPerSecond} | ${r.inferImagesPerSecond} | ${r.latencyMs} | ${ratio} |`,
    );
  }
  for (const p of peer) {
    lines.push(
      `| ${p.model} | | PyTorch ${p.torch} CPU | ${p.threads} | ${Math.round(p.train_images_per_s)} | ${Math.round(p.infer_images_per_s)} | ${p.latency_ms} | 1.00× |`,
    );
  }
  return lines.join('\n');
}

interface Round {
  rows: BenchRow[];
  peer: PeerRow[];
}

const medianOf = (xs: number[]): number | null => {
  const sorted = [...xs].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

/** Each round's ratio of ours to the peer's training images/s, for the row matching `first`. */
function roundRatios(rounds: Round[], first: BenchRow): Array<{ ours: number; theirs: number | undefined }> {
  return rounds.map(({ rows, peer }) => {
    const r = rows.find((x) => x.model === first.model && x.backend === first.backend && x.pools === first.pools)!;
    return { ours: r.trainImagesPerSecond, theirs: matchingPeer(peer, r)?.train_images_per_s };
  });
}

/** Each round's training images/s, ours against the peer's, their ratios and the median ratio. */
function roundsMarkdown(rounds: Round[]): string {
  const lines = [
    '| model | backend | threads (pools) | ours, train img/s by round | PyTorch, by round | ratio by round | median ratio |',
    '|---|---|---:|---|---|---|---:|',
  ];
  const fmt = (x: number) => Math.round(x).toLocaleString('en');
  for (const first of rounds[0].rows) {
    const same = roundRatios(rounds, first);
    const ratios = same.filter((x) => x.theirs != null).map((x) => x.ours / x.theirs!);
    const median = medianOf(ratios);
    lines.push(
      `| ${first.model} | ${first.backend} | ${first.threads} (${first.pools}) | ${same.map((x) => fmt(x.ours)).join(' / ')} | ` +
        `${same.map((x) => (x.theirs == null ? '–' : fmt(x.theirs))).join(' / ')} | ${ratios.map((r) => `${r.toFixed(2)}×`).join(' / ') || '–'} | ` +
        `${median == null ? '–' : `${median.toFixed(2)}×`} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Quiet against busy, row by row: the median ratio to the peer in each (or, without the peer, the
 * median of our own images/s), and the busy figure as a fraction of the quiet one.
 */
function loadMarkdown(quiet: Round[], busy: Round[], cores: number): string {
  const lines = [
    `| model | backend | threads (pools) | quiet: ours img/s by round | quiet: ratio by round | busy ${cores}: ours img/s by round | busy ${cores}: ratio by round | quiet median | busy median | busy ÷ quiet |`,
    '|---|---|---:|---|---|---|---|---:|---:|---:|',
  ];
  const fmt = (x: number) => Math.round(x).toLocaleString('en');
  for (const first of quiet[0].rows) {
    const q = roundRatios(quiet, first);
    const b = roundRatios(busy, first);
    const ratios = (xs: typeof q) => xs.filter((x) => x.theirs != null).map((x) => x.ours / x.theirs!);
    const withPeer = ratios(q).length > 0;
    // Without the peer, our own speeds stand in for the ratios: busy ÷ quiet still says what holds.
    const qm = withPeer ? medianOf(ratios(q)) : medianOf(q.map((x) => x.ours));
    const bm = withPeer ? medianOf(ratios(b)) : medianOf(b.map((x) => x.ours));
    const shown = (m: number | null) => (m == null ? '–' : withPeer ? `${m.toFixed(2)}×` : `${fmt(m)} img/s`);
    const byRound = (xs: typeof q) =>
      ratios(xs)
        .map((r) => `${r.toFixed(2)}×`)
        .join(' / ') || '–';
    lines.push(
      `| ${first.model} | ${first.backend} | ${first.threads} (${first.pools}) | ${q.map((x) => fmt(x.ours)).join(' / ')} | ${byRound(q)} | ` +
        `${b.map((x) => fmt(x.ours)).join(' / ')} | ${byRound(b)} | ${shown(qm)} | ${shown(bm)} | ` +
        `${qm != null && bm != null ? (bm / qm).toFixed(2) : '–'} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    console.log(BENCH_USAGE);
    return;
  }
  if (args.one) {
    // Child mode: one backend × threads configuration, rows as JSON on stdout.
    const [backend, threads] = args.one.split(':');
    const cpu = backend === 'cpu';
    const [tfjsThreads, kernelThreads] = threads.includes('+') ? threads.split('+').map(Number) : [Number(threads), Number(threads)];
    const rows = await benchConfiguration(backend as 'wasm' | 'cpu', tfjsThreads, args.models, {
      images: cpu ? args.cpuImages : args.images,
      reps: args.reps,
      batch: 64,
      kernelThreads,
    });
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  /** One pass: every configuration of ours, then the peer on each of their thread counts. */
  const measure = (label: string): Round => {
    const rows: BenchRow[] = [];
    for (const configuration of args.configurations) {
      console.error(`${label}${configuration}…`);
      const child = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          '--one',
          configuration,
          '--models',
          args.models.join(','),
          '--reps',
          String(args.reps),
          '--images',
          String(args.images),
          '--cpu-images',
          String(args.cpuImages),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (child.status !== 0) throw new Error(`${configuration} failed (exit ${child.status})`);
      rows.push(...(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as BenchRow[]));
    }
    // The peer on each thread count of ours, so every row of ours has its match, thread for thread.
    const threadCounts = [...new Set(rows.map((r) => r.threads))];
    const peer = !args.peer
      ? []
      : threadCounts.flatMap((threads) => runPeer(args.models, { reps: args.reps, images: 5000, batch: 64, threads }));
    return { rows, peer };
  };
  const rounds: Round[] = [];
  const busyRounds: Round[] = [];
  for (let round = 1; round <= args.rounds; round++) {
    const label = args.rounds > 1 ? `round ${round}/${args.rounds}: ` : '';
    rounds.push(measure(`${label}${args.busy > 0 ? 'quiet, ' : ''}`));
    if (args.busy === 0) continue;
    const load = startBusyCores(args.busy);
    try {
      busyRounds.push(measure(`${label}${args.busy} core${args.busy > 1 ? 's' : ''} busy, `));
    } finally {
      await load.stop();
    }
  }
  const { rows, peer } = rounds[0];
  const table =
    args.busy > 0 ? loadMarkdown(rounds, busyRounds, args.busy) : args.rounds > 1 ? roundsMarkdown(rounds) : markdown(rows, peer);
  const outDir = join(ROOT, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const os = await import('node:os');
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    loadAverage: os.loadavg(),
    busyCores: args.busy,
  };
  const record = args.busy > 0 ? { ...meta, rounds, busyRounds } : args.rounds > 1 ? { ...meta, rounds } : { ...meta, rows, peer };
  writeFileSync(join(outDir, 'bench.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(outDir, 'bench.md'), `${table}\n`);
  console.log(table);
  console.log(`\nload average at the end (1, 5, 15 min): ${meta.loadAverage.map((x) => x.toFixed(2)).join(', ')}`);
  console.log(`\nwritten: bench-results/bench.json, bench-results/bench.md`);
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
