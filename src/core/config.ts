/**
 * Hyperparameters of a training run: one typed, validated, serialisable object. The CLI, the page
 * (through the URL) and the tests all build runs from it, so a run can be shared and repeated.
 */
import { MODEL_NAMES, type ModelName } from './models/catalog.ts';

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** 'cosine' lowers the learning rate along half a cosine to 0 by the last step of the run. */
export const SCHEDULES = ['constant', 'cosine'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export interface TrainingConfig {
  /** Which network of the zoo to train. */
  model: ModelName;
  /** Full passes over the training subset. */
  epochs: number;
  /** Images per gradient step. */
  batchSize: number;
  /** The starting learning rate (the only one with the 'constant' schedule). */
  learningRate: number;
  schedule: ScheduleName;
  /**
   * Fraction of the run's steps over which the learning rate climbs linearly from near 0 to its
   * starting value before the schedule takes over (0 = none). Adam's first steps, with moment
   * estimates made from a handful of gradients, are the wildest; a short ramp keeps a high rate
   * from throwing the fresh weights about.
   */
  warmup: number;
  optimizer: OptimizerName;
  /**
   * Decoupled weight decay (AdamW, Loshchilov & Hutter): every step shrinks each kernel of the
   * convolutions and dense layers by learningRate × weightDecay of itself, apart from the
   * gradient step (biases and BatchNorm's γ and β are left alone). 0 = none.
   */
  weightDecay: number;
  /** Largest random shift in pixels applied to training images (0 = no shifting). */
  shift: number;
  /** Randomly mirror training images left-right (clothes are roughly symmetric). */
  flip: boolean;
  /**
   * Random erasing: the probability that a training image gets a square of 4 to 12 pixels a side,
   * at a random place, blanked to background (0), after shifting and mirroring. 0 = never.
   */
  erasing: number;
  /**
   * Outline augmentation: the probability that a training image is replaced by its outline (the
   * silhouette's edge and the strong inner edges, one or two pixels wide, the inside empty or
   * faintly filled), after shifting and mirroring and before erasing, so the model also learns to
   * read drawings. 0 = never.
   */
  outline: number;
  /**
   * Elastic distortion: the probability that a training image is bent by a smooth random field
   * (up to 2 pixels, after shifting and mirroring, before the outline), as a hand bends the shapes
   * it draws. 0 = never.
   */
  elastic: number;
  /**
   * Stroke width: the probability that a training image's strokes are thickened or thinned by one
   * pixel (after the outline), as brushes of other sizes draw them. 0 = never.
   */
  stroke: number;
  /**
   * Label smoothing ε: the loss aims at (1 − ε) for the true class and ε / 10 for every class,
   * rather than a hard 1 and 0s, so the network stops pushing its logits apart once it is sure.
   * The accuracy is still counted against the true class.
   */
  labelSmoothing: number;
  /**
   * Train with the model's dropout layers active (false: their rate is 0). Dropout fights
   * overfitting over many epochs but slows the first one, which is all the Quick preset has.
   */
  dropout: boolean;
  /**
   * Test-time flip averaging: evaluation (validation and test) averages the probabilities of each
   * image and of its left-right mirror. Twice the inference work, for a steadier prediction.
   */
  flipTest: boolean;
  /** How many of the 60,000 training images to use (validation images are taken from these). */
  trainSize: number;
  /** Fraction of the training subset held out to measure validation loss and accuracy. */
  validationSplit: number;
  /** Seeds the subset, the shuffling, the split, the augmentation and the initial weights. */
  seed: number;
}

type FieldSpec =
  | { kind: 'int'; min: number; max: number }
  | { kind: 'float'; min: number; max: number; exclusiveMin?: boolean }
  | { kind: 'bool' }
  | { kind: 'enum'; options: readonly string[] };

/** How each field is checked and how it reads from a string (a URL or a CLI flag). */
export const CONFIG_FIELDS: { readonly [K in keyof TrainingConfig]: FieldSpec } = {
  model: { kind: 'enum', options: MODEL_NAMES },
  epochs: { kind: 'int', min: 1, max: 500 },
  batchSize: { kind: 'int', min: 1, max: 4096 },
  learningRate: { kind: 'float', min: 0, max: 10, exclusiveMin: true },
  schedule: { kind: 'enum', options: SCHEDULES },
  warmup: { kind: 'float', min: 0, max: 0.5 },
  optimizer: { kind: 'enum', options: OPTIMIZERS },
  weightDecay: { kind: 'float', min: 0, max: 0.01 },
  shift: { kind: 'int', min: 0, max: 6 },
  flip: { kind: 'bool' },
  erasing: { kind: 'float', min: 0, max: 1 },
  outline: { kind: 'float', min: 0, max: 1 },
  elastic: { kind: 'float', min: 0, max: 1 },
  stroke: { kind: 'float', min: 0, max: 1 },
  labelSmoothing: { kind: 'float', min: 0, max: 0.3 },
  dropout: { kind: 'bool' },
  flipTest: { kind: 'bool' },
  trainSize: { kind: 'int', min: 10, max: 60_000 },
  validationSplit: { kind: 'float', min: 0, max: 0.5 },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1 },
};

export const DEFAULT_CONFIG: TrainingConfig = {
  model: 'default',
  epochs: 5,
  batchSize: 64,
  learningRate: 0.001,
  schedule: 'constant',
  warmup: 0,
  optimizer: 'adam',
  weightDecay: 0,
  shift: 0,
  flip: false,
  erasing: 0,
  outline: 0,
  elastic: 0,
  stroke: 0,
  labelSmoothing: 0,
  dropout: true,
  flipTest: false,
  trainSize: 60_000,
  validationSplit: 0.1,
  seed: 1,
};

/**
 * Per-model starting points that differ from DEFAULT_CONFIG: the small tutorial networks converge in a
 * few epochs, our default CNN is worth more epochs and augmentation.
 */
const RECOMMENDED: Partial<Record<ModelName, Partial<TrainingConfig>>> = {
  dense: { epochs: 5 },
  'dense-wide': { epochs: 5 },
  tinyvgg: { epochs: 5 },
  'keras-cnn': { epochs: 10 },
  compact: { epochs: 10 },
  default: { epochs: 12, schedule: 'cosine' },
  // Its full recipe (augmentation, label smoothing, weight decay, 20 epochs) is the Best preset.
  wide: { epochs: 12, schedule: 'cosine' },
};

/** DEFAULT_CONFIG with `model` and that model's recommended epochs and augmentation. */
export function recommendedConfig(model: ModelName): TrainingConfig {
  return { ...DEFAULT_CONFIG, ...RECOMMENDED[model], model };
}

export const PRESET_NAMES = ['quick', 'best'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  title: string;
  /** What it trains and what it got in a measured run (docs/models.md, "Presets"); never an unmeasured figure. */
  summary: string;
  config: TrainingConfig;
}

/**
 * One-click starting points. 'quick' is what the page opens with: our default CNN for one epoch,
 * past 90% test accuracy. One pass over the data leaves no room for dropout (it slows the first
 * epoch, and there is no second to overfit in), wants many small steps (batch 64: 891 of them),
 * and a high rate that a short warm-up keeps from throwing the fresh weights about, then a cosine
 * down to 0 that settles them (docs/models.md, "Presets", has the runs behind each choice).
 *
 * 'best' is the recipe with which PyTorch trained the VGG-style `wide` network to 94.5%:
 * shifts of up to 2 px, mirroring, random erasing on half the images, label smoothing 0.1, AdamW
 * (weight decay 5e-4) at 3e-3 with a 5% warm-up and a cosine over 20 epochs at batch 128, and
 * flip-averaged evaluation. It holds out 5% (3,000 images) for validation: a 20-epoch run on the
 * page wants a curve on clean, unaugmented images to watch (training accuracy under erasing and
 * smoothing says little) and the divergence check judges by it, at the cost of 5% fewer training
 * images. Its summary quotes PyTorch's figure until a run of ours has measured the recipe.
 */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  quick: {
    title: 'Quick',
    summary:
      'Playground CNN, 1 epoch, no dropout, warm-up then cosine: 90.3% test accuracy about a minute after Train, on 2 CPU cores (WASM)',
    config: {
      ...recommendedConfig('default'),
      epochs: 1,
      batchSize: 64,
      learningRate: 0.005,
      schedule: 'cosine',
      warmup: 0.05,
      dropout: false,
      validationSplit: 0.05,
    },
  },
  best: {
    title: 'Best',
    summary:
      'Wide CNN (VGG-style) with augmentation, 20 epochs (PyTorch: 94.5%): about 1½ hours on 2 CPU cores (WASM, 270 images/s measured); not yet timed on a GPU',
    config: {
      ...recommendedConfig('wide'),
      epochs: 20,
      batchSize: 128,
      learningRate: 0.003,
      schedule: 'cosine',
      warmup: 0.05,
      optimizer: 'adam',
      weightDecay: 5e-4,
      shift: 2,
      flip: true,
      erasing: 0.5,
      labelSmoothing: 0.1,
      flipTest: true,
      validationSplit: 0.05,
    },
  },
};

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The longest stretch of a bad value a message quotes: a link may carry thousands of characters. */
export const QUOTE_MAX = 32;

/** `"maybe"`, or for a long value its start and its length: `"AAAA…AAA…" (6,000 characters)`. */
export function quoted(text: string, max = QUOTE_MAX): string {
  const chars = Array.from(text);
  if (chars.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(`${chars.slice(0, max).join('')}…`)} (${chars.length.toLocaleString('en')} characters)`;
}

function checkField(name: keyof TrainingConfig, value: unknown): unknown {
  const spec = CONFIG_FIELDS[name];
  const fail = (why: string): never => {
    // JSON.stringify shows strings quoted but turns NaN and Infinity into "null": format numbers as they are.
    const shown =
      typeof value === 'number' ? String(value) : typeof value === 'string' ? quoted(value) : (JSON.stringify(value) ?? String(value));
    throw new ConfigError(name, `${name}: ${why} (got ${shown})`);
  };
  switch (spec.kind) {
    case 'int':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a finite number');
      if (spec.kind === 'int' && !Number.isInteger(value)) return fail('must be a whole number');
      const tooSmall = spec.kind === 'float' && spec.exclusiveMin ? value <= spec.min : value < spec.min;
      if (tooSmall || value > spec.max) {
        const low = spec.kind === 'float' && spec.exclusiveMin ? `> ${spec.min}` : `>= ${spec.min}`;
        return fail(`must be ${low} and <= ${spec.max}`);
      }
      return value;
    }
    case 'bool':
      if (typeof value !== 'boolean') return fail('must be true or false');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !spec.options.includes(value)) {
        return fail(`must be one of ${spec.options.join(', ')}`);
      }
      return value;
  }
}

/**
 * Checks a whole configuration; fields left out take their defaults. Throws a ConfigError naming
 * the first bad field. Unknown fields are errors too: a typo must not silently train defaults.
 */
export function validateConfig(input: unknown, defaults: TrainingConfig = DEFAULT_CONFIG): TrainingConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError('config', 'config: must be an object of hyperparameters');
  }
  const known = Object.keys(CONFIG_FIELDS) as (keyof TrainingConfig)[];
  for (const key of Object.keys(input)) {
    if (!known.includes(key as keyof TrainingConfig)) {
      throw new ConfigError(key, `${key}: unknown hyperparameter (known: ${known.join(', ')})`);
    }
  }
  const record = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of known) {
    out[key] = key in record && record[key] !== undefined ? checkField(key, record[key]) : defaults[key];
  }
  return out as unknown as TrainingConfig;
}

/** Reads one field from text (a URL parameter or a CLI flag) and validates it. */
export function parseField<K extends keyof TrainingConfig>(name: K, text: string): TrainingConfig[K] {
  const spec = CONFIG_FIELDS[name];
  let value: unknown = text;
  if (spec.kind === 'int' || spec.kind === 'float') value = text.trim() === '' ? NaN : Number(text);
  if (spec.kind === 'bool') value = text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : text;
  return checkField(name, value) as TrainingConfig[K];
}

/** The configuration as URL query parameters: only the fields that differ from the defaults. */
export function configToParams(config: TrainingConfig): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key of Object.keys(CONFIG_FIELDS) as (keyof TrainingConfig)[]) {
    if (config[key] !== DEFAULT_CONFIG[key]) params[key] = String(config[key]);
  }
  return params;
}

/**
 * A configuration from URL query parameters (`get` is URLSearchParams.get, or a CLI lookup).
 * Returns the valid fields and one message per bad field, so a mistyped link still opens the
 * page with defaults and says what it ignored.
 */
export function configFromParams(get: (key: string) => string | null): { config: TrainingConfig; errors: string[] } {
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  const errors: string[] = [];
  for (const key of Object.keys(CONFIG_FIELDS) as (keyof TrainingConfig)[]) {
    const text = get(key);
    if (text === null) continue;
    try {
      config[key] = parseField(key, text);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return { config: config as unknown as TrainingConfig, errors };
}

/** How a link's settings were read: what applies, and one message per setting that could not be used. */
export interface LinkConfig {
  config: TrainingConfig;
  errors: string[];
  /**
   * 'link': its good settings over the defaults (a link the page wrote holds only what differs
   * from them); 'quick': the Quick preset, as for a link without settings, because it had none,
   * or none that could be used.
   */
  applies: 'link' | 'quick';
}

/**
 * The configuration a link opens with (`get` is URLSearchParams.get). A link without settings
 * opens on the Quick preset, a first run in minutes; so does a link whose every setting is bad
 * (`?epochs=abc`): the sharer's intent is lost, and the defaults would be a run five times longer.
 */
export function configFromLink(get: (key: string) => string | null): LinkConfig {
  const given = (Object.keys(CONFIG_FIELDS) as (keyof TrainingConfig)[]).filter((key) => get(key) !== null);
  const read = configFromParams(get);
  if (read.errors.length === given.length) return { config: PRESETS.quick.config, errors: read.errors, applies: 'quick' };
  return { ...read, applies: 'link' };
}
