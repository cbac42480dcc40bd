/**
 * Command-line options of `npm run bench`, validated into one object, apart from the run so that a
 * test can check what a bare `npm run bench` measures.
 */
import { parseArgs } from 'node:util';
import { MODEL_NAMES, isModelName, type ModelName } from '../../src/core/models/catalog.ts';
import { COMPARED_MODELS } from './bench-defaults.ts';

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Trains the zoo's models in Node through the real training loop on random images, times inference
and single-image latency, and runs the PyTorch peer on as many threads when python3-torch is
installed; writes bench-results/bench.json and bench.md. The defaults take about five minutes on
a quiet 2-core machine.

  --models a,b      ${MODEL_NAMES.join(' | ')} (default: ${COMPARED_MODELS.join(',')})
  --backends a,b    wasm | cpu (default: wasm; cpu, pure JavaScript, takes over 20 minutes)
  --threads a,b     WASM thread counts (default: 1,2); 1+N: tfjs on one thread, our kernels on N
  --all             every model, on wasm and cpu (over 20 minutes); --models etc. still narrow it
  --reps N          timed runs per row; the median counts (default: 3)
  --images N        training images per run (default: 2560; 64 on cpu: --cpu-images)
  --rounds N        the whole sequence N times, each round's ratio to PyTorch and their median (default: 1)
  --busy N          every round again with N cores kept busy, quiet against busy (default: 0)
  --no-peer         skip the PyTorch peer
  -h, --help        this text`;

export interface BenchOptions {
  models: ModelName[];
  /** One child process each: 'wasm:1', 'wasm:2', 'wasm:1+2', 'cpu:1'. */
  configurations: string[];
  reps: number;
  images: number;
  cpuImages: number;
  rounds: number;
  busy: number;
  peer: boolean;
  /** Child mode: the one configuration this process measures, rows as JSON on stdout. */
  one: string | undefined;
  help: boolean;
}

function wholeNumber(flag: string, text: string, min: number, max: number, what = 'a whole number'): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${flag}: must be ${what} from ${min} to ${max}`);
  return value;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      models: { type: 'string' },
      backends: { type: 'string' },
      threads: { type: 'string', default: '1,2' },
      all: { type: 'boolean', default: false },
      reps: { type: 'string', default: '3' },
      images: { type: 'string', default: '2560' },
      'cpu-images': { type: 'string', default: '64' },
      one: { type: 'string' },
      rounds: { type: 'string', default: '1' },
      busy: { type: 'string', default: '0' },
      'no-peer': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const models = (values.models ?? (values.all ? MODEL_NAMES : COMPARED_MODELS).join(',')).split(',');
  for (const m of models) if (!isModelName(m)) throw new Error(`--models: unknown model "${m}"`);
  const configurations: string[] = [];
  for (const backend of (values.backends ?? (values.all ? 'wasm,cpu' : 'wasm')).split(',')) {
    if (backend === 'wasm') {
      for (const t of values.threads.split(',')) {
        if (!/^([1-9]\d?|1\+[1-9]\d?)$/.test(t))
          throw new Error(`--threads: "${t}" is neither a thread count (2) nor one tfjs thread + ours (1+2)`);
        configurations.push(`wasm:${t}`);
      }
    } else if (backend === 'cpu') configurations.push('cpu:1');
    else throw new Error(`--backends: unknown backend "${backend}"`);
  }
  return {
    models: models as ModelName[],
    configurations,
    reps: wholeNumber('reps', values.reps, 1, 1000),
    images: wholeNumber('images', values.images, 1, 60_000),
    cpuImages: wholeNumber('cpu-images', values['cpu-images'], 1, 60_000),
    rounds: wholeNumber('rounds', values.rounds, 1, 1000),
    busy: wholeNumber('busy', values.busy, 0, 64, 'a whole number of cores'),
    peer: !values['no-peer'],
    one: values.one,
    help: values.help,
  };
}
