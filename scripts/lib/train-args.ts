/**
 * Command-line arguments of `npm run train`, turned into a validated TrainingConfig. Kept apart
 * from the CLI's side effects so a test can check every bad argument's message.
 */
import { parseArgs } from 'node:util';
import {
  ConfigError,
  DEFAULT_CONFIG,
  parseField,
  PRESET_NAMES,
  PRESETS,
  recommendedConfig,
  type PresetName,
  type TrainingConfig,
} from '../../src/core/config.ts';
import { MODEL_NAMES, isModelName } from '../../src/core/models/catalog.ts';

export const USAGE = `Usage: npm run train -- [options]

  --model NAME          ${MODEL_NAMES.join(' | ')} (default: default)
  --preset NAME         ${PRESET_NAMES.join(' | ')}: the page's one-click settings (quick: the default
                        CNN for 1 epoch; best: the wide CNN's 20-epoch augmented recipe);
                        other options still override them
  --epochs N            passes over the training subset (default: the model's recommended)
  --train-size N        training images to use, 10..60000 (default: 60000)
  --batch N             images per step (default: ${DEFAULT_CONFIG.batchSize})
  --lr X                learning rate (default: ${DEFAULT_CONFIG.learningRate})
  --warmup X            fraction of the steps with a linear learning-rate warm-up, 0..0.5 (default: 0)
  --optimizer NAME      adam | sgd | rmsprop (default: adam)
  --weight-decay X      decoupled weight decay of the kernels (AdamW with adam), 0..0.01 (default: 0)
  --schedule NAME       constant | cosine learning rate (default: the model's recommended)
  --shift N             random shift augmentation in pixels, 0..6
  --flip / --no-flip    random left-right mirroring
  --erasing X           probability of blanking a random 4..12 px square of a training image, 0..1 (default: 0)
  --outline X           probability of replacing a training image by its outline, as people draw, 0..1 (default: 0)
  --elastic X           probability of bending a training image by a smooth random field, 0..1 (default: 0)
  --stroke X            probability of thickening or thinning a training image's strokes by a pixel, 0..1 (default: 0)
  --label-smoothing X   loss targets (1 - X) for the true class + X/10 for each class, 0..0.3 (default: 0)
  --dropout, --no-dropout  the model's dropout layers on (default) or off
  --flip-test, --no-flip-test  evaluate on the mean of each image's and its mirror's probabilities
  --validation-split X  fraction of the subset held out for validation (default: ${DEFAULT_CONFIG.validationSplit})
  --seed N              seeds the subset, order, split, augmentation and initial weights (default: 1)
  --test-each-epoch     also evaluate on the test set after every epoch (as the page's
                        "Evaluate after each epoch"), into metrics.json's history
  --backend NAME        wasm | cpu (default: wasm, the fastest here)
  --threads N           wasm threads (default: 1)
  --out DIR             where to save model.json, weights.bin, metrics.json (default: runs/MODEL)
  -h, --help            this text`;

export class UsageError extends Error {}

export interface TrainArgs {
  config: TrainingConfig;
  backend: 'wasm' | 'cpu';
  threads: number;
  out: string;
  help: boolean;
  /** False when --train-size was left out: the CLI then uses every training image it finds. */
  trainSizeGiven: boolean;
  /** Evaluate on the test set after every epoch, not only at the end. */
  testEachEpoch: boolean;
}

/** CLI flag → config field, for the fields that take a value. */
const FLAG_FIELDS = {
  epochs: 'epochs',
  'train-size': 'trainSize',
  batch: 'batchSize',
  lr: 'learningRate',
  optimizer: 'optimizer',
  schedule: 'schedule',
  warmup: 'warmup',
  'weight-decay': 'weightDecay',
  shift: 'shift',
  erasing: 'erasing',
  outline: 'outline',
  elastic: 'elastic',
  stroke: 'stroke',
  'label-smoothing': 'labelSmoothing',
  'validation-split': 'validationSplit',
  seed: 'seed',
} as const satisfies Record<string, keyof TrainingConfig>;

export function parseTrainArgs(argv: string[]): TrainArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        model: { type: 'string' },
        preset: { type: 'string' },
        ...Object.fromEntries(Object.keys(FLAG_FIELDS).map((flag) => [flag, { type: 'string' as const }])),
        flip: { type: 'boolean' },
        dropout: { type: 'boolean' },
        'flip-test': { type: 'boolean' },
        'test-each-epoch': { type: 'boolean' },
        backend: { type: 'string' },
        threads: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const model = (v.model as string | undefined) ?? 'default';
  if (!isModelName(model)) throw new UsageError(`--model: unknown model "${model}" (known: ${MODEL_NAMES.join(', ')})`);
  const preset = v.preset as string | undefined;
  if (preset !== undefined && !(PRESET_NAMES as readonly string[]).includes(preset)) {
    throw new UsageError(`--preset: unknown preset "${preset}" (known: ${PRESET_NAMES.join(', ')})`);
  }
  if (preset !== undefined && v.model !== undefined) {
    throw new UsageError('--preset and --model: pick one (each preset names its model: quick the default CNN, best the wide CNN)');
  }
  const config: Record<string, unknown> = { ...(preset ? PRESETS[preset as PresetName].config : recommendedConfig(model)) };
  for (const [flag, field] of Object.entries(FLAG_FIELDS)) {
    const text = v[flag];
    if (typeof text !== 'string') continue;
    try {
      config[field] = parseField(field, text);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(`--${flag}: ${e.message.replace(/^\w+: /, '')}`);
      throw e;
    }
  }
  if (typeof v.flip === 'boolean') config.flip = v.flip;
  if (typeof v.dropout === 'boolean') config.dropout = v.dropout;
  if (typeof v['flip-test'] === 'boolean') config.flipTest = v['flip-test'];
  const backend = (v.backend as string | undefined) ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend: must be wasm or cpu (got "${backend}")`);
  const threadsText = (v.threads as string | undefined) ?? '1';
  const threads = Number(threadsText);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new UsageError(`--threads: must be a whole number from 1 to 64 (got "${threadsText}")`);
  return {
    config: config as unknown as TrainingConfig,
    backend,
    threads,
    out: (v.out as string | undefined) ?? `runs/${config.model as string}`,
    help: v.help === true,
    trainSizeGiven: typeof v['train-size'] === 'string',
    testEachEpoch: v['test-each-epoch'] === true,
  };
}
