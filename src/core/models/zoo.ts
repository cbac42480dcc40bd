/**
 * The model zoo: every network the playground trains, built from one definition each.
 * All take [batch, 28, 28, 1] images scaled to [0, 1] and output [batch, 10] class probabilities
 * (softmax), so a saved model is self-contained and plain `tf.loadLayersModel` can use it.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from '../classes.ts';
import { Rng } from '../rng.ts';
import { batchNormalization } from './batch-norm.ts';
import { conv2d } from './conv2d.ts';
import { seededDropout } from './dropout.ts';
import type { ModelName } from './catalog.ts';

const INPUT_SHAPE = [IMAGE_SIZE, IMAGE_SIZE, 1];

/**
 * How a model's kernels start. 'glorot' is Keras's default (the tutorial CNNs, the dense baselines);
 * 'fan-in' is PyTorch's, uniform in ±1/sqrt(fan-in): smaller steps for the head's large matrices,
 * which let `default` learn faster early (with PyTorch's BatchNorm epsilon too, 0.7 points more
 * after one epoch of the same recipe: docs/models.md, "Quick", has the runs).
 */
type InitScheme = 'glorot' | 'fan-in';

/**
 * What a builder starts its layers from: seeded initialisers (one seed gives the same starting
 * weights in Node and browser) and the dropout switch of the run's configuration.
 */
class Init {
  private readonly rng: Rng;
  /** Seeds the dropout layers apart from the kernels, so adding dropout moves no starting weight. */
  private readonly dropoutRng: Rng;
  constructor(
    seed: number,
    private readonly scheme: InitScheme,
    /** False sets every dropout layer's rate to 0 (the layers stay, so saved models keep one shape). */
    private readonly dropoutOn: boolean,
  ) {
    this.rng = new Rng(seed);
    this.dropoutRng = new Rng(seed ^ 0xd20f);
  }
  kernel() {
    const seed = this.rng.seed();
    if (this.scheme === 'glorot') return tf.initializers.glorotUniform({ seed });
    return tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed });
  }
  /** Dropout whose masks follow from the run's seed: new at every step, the same in every run. */
  dropout(rate: number): tf.layers.Layer {
    return seededDropout({ rate: this.dropoutOn ? rate : 0 }, this.dropoutRng.seed());
  }
}

type LayerList = tf.layers.Layer[];

/** Conv 3×3, padding 'same', ReLU: the building block of every tutorial CNN of the zoo. */
function conv(init: Init, filters: number, inputShape?: number[]): tf.layers.Layer {
  return conv2d({
    filters,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    kernelInitializer: init.kernel(),
    ...(inputShape ? { inputShape } : {}),
  });
}

/** Conv 3×3 without bias (BatchNorm's offset replaces it) → BatchNorm → ReLU. */
function convBnRelu(init: Init, filters: number, inputShape?: number[]): LayerList {
  return [
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: init.kernel(),
      ...(inputShape ? { inputShape } : {}),
    }),
    batchNormalization({ momentum: 0.9, epsilon: 1e-5 }),
    tf.layers.activation({ activation: 'relu' }),
  ];
}

const pool = () => tf.layers.maxPooling2d({ poolSize: 2, strides: 2 });
const dense = (init: Init, units: number, activation: 'relu' | 'softmax') =>
  tf.layers.dense({ units, activation, kernelInitializer: init.kernel() });
const classifier = (init: Init) => dense(init, NUM_CLASSES, 'softmax');

const BUILDERS: Record<ModelName, (init: Init) => LayerList> = {
  // The dense-only baseline of a tutorial that sets it against a CNN.
  dense: (init) => [tf.layers.flatten({ inputShape: INPUT_SHAPE }), dense(init, 128, 'relu'), classifier(init)],

  // TinyVGG, from CNN Explainer: two blocks of two 10-filter convolutions, each block pooled.
  tinyvgg: (init) => [
    conv(init, 10, INPUT_SHAPE),
    conv(init, 10),
    pool(),
    conv(init, 10),
    conv(init, 10),
    pool(),
    tf.layers.flatten(),
    classifier(init),
  ],

  // The CNN of a Keras tutorial, layer for layer as the tutorial lists them.
  'keras-cnn': (init) => [
    conv(init, 64, INPUT_SHAPE),
    pool(),
    init.dropout(0.3),
    conv(init, 32),
    pool(),
    init.dropout(0.3),
    tf.layers.flatten(),
    dense(init, 256, 'relu'),
    init.dropout(0.5),
    classifier(init),
  ],

  // A compact CNN written for low-end CPUs: conv + pooling pairs, then a small dense layer with dropout, under 35k parameters.
  compact: (init) => [
    conv(init, 16, INPUT_SHAPE),
    pool(),
    conv(init, 32),
    pool(),
    tf.layers.flatten(),
    dense(init, 16, 'relu'),
    init.dropout(0.3),
    classifier(init),
  ],

  // Ours. BatchNorm after every convolution lets Adam take large steps from the first batch, and
  // the cosine schedule (config.ts) then settles it. Channels double as the image halves (16 at
  // 28×28, 32 at 14×14, 64 at 7×7), so every stage costs about the same; the last stage is not
  // pooled because the 7×7 layout still tells a sleeve from a strap, and the dense layer reads it.
  // Dropout before both dense layers keeps the 400k weights of the head from memorising.
  default: (init) => [
    ...convBnRelu(init, 16, INPUT_SHAPE),
    pool(),
    ...convBnRelu(init, 32),
    pool(),
    ...convBnRelu(init, 64),
    tf.layers.flatten(),
    init.dropout(0.4),
    dense(init, 128, 'relu'),
    init.dropout(0.4),
    classifier(init),
  ],

  // The dense baseline widened until it holds as many weights as `default` (795·536 + 10 = 426,130
  // against 426,458, within 0.1%): Compare's "equal size" control, so that the CNN's win cannot be
  // put down to size. The same width is within 1% of keras-cnn's 423,338 too. One wide layer rather
  // than two narrower ones keeps it the baseline's own architecture, only bigger.
  'dense-wide': (init) => [tf.layers.flatten({ inputShape: INPUT_SHAPE }), dense(init, 536, 'relu'), classifier(init)],

  // Ours, VGG-style (PyTorch trained it to 94.5% with the Best preset's recipe): pairs of 3×3
  // convolutions with BatchNorm at 32, 64 and 128 channels, each pair pooled (28 → 14 → 7 → 3),
  // then straight to the classifier from the 3×3×128 map. No dense hidden layer and no dropout: the regularisation is in the recipe (augmentation,
  // label smoothing, weight decay: the Best preset), and 96% of its weights are in the
  // convolutions, which share them across every position of the image.
  wide: (init) => [
    ...convBnRelu(init, 32, INPUT_SHAPE),
    ...convBnRelu(init, 32),
    pool(),
    ...convBnRelu(init, 64),
    ...convBnRelu(init, 64),
    pool(),
    ...convBnRelu(init, 128),
    ...convBnRelu(init, 128),
    pool(),
    tf.layers.flatten(),
    classifier(init),
  ],
};

/** Our BatchNorm CNNs start as PyTorch would start them; the tutorial networks as their tutorials did. */
const INIT_SCHEME: Partial<Record<ModelName, InitScheme>> = { default: 'fan-in', wide: 'fan-in' };

export interface ModelOptions {
  /** Train with the model's dropout layers (default) or with their rate at 0. */
  dropout?: boolean;
}

/** Builds a fresh, untrained model of the zoo; the same seed gives the same initial weights. */
export function createModel(name: ModelName, seed = 1, options: ModelOptions = {}): tf.Sequential {
  const build = BUILDERS[name];
  if (!build) throw new Error(`model: unknown model "${String(name)}"`);
  const init = new Init(seed, INIT_SCHEME[name] ?? 'glorot', options.dropout ?? true);
  return tf.sequential({ name: name.replace(/-/g, '_'), layers: build(init) });
}
