/**
 * What the page and the CLI need to know about each network of the zoo, without building it:
 * names, origins and exact parameter counts. The layer definitions live in zoo.ts; a test checks
 * that the counts here match the built models.
 */
export const MODEL_NAMES = ['dense', 'tinyvgg', 'keras-cnn', 'compact', 'default', 'dense-wide', 'wide'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface ModelInfo {
  name: ModelName;
  title: string;
  /** Where the architecture comes from, in a visitor's words (a tutorial it is taken from, or ours). */
  origin: string;
  /** One line on what the layers are. */
  summary: string;
  /** Trainable plus non-trainable weights, as Keras's model.summary() counts them. */
  parameters: number;
  /** True for the CNNs; false for the dense-only networks that Compare sets against them. */
  convolutional: boolean;
}

export const MODEL_CATALOG: Readonly<Record<ModelName, ModelInfo>> = {
  dense: {
    name: 'dense',
    title: 'Dense baseline',
    origin: 'The dense-only baseline of a tutorial that sets it against a CNN (80% there)',
    summary: 'Flatten → Dense 128 ReLU → Dense 10 softmax',
    parameters: 101_770,
    convolutional: false,
  },
  tinyvgg: {
    name: 'tinyvgg',
    title: 'TinyVGG',
    origin: 'TinyVGG, the network the interactive CNN Explainer visualises (90.4% there)',
    summary: '2 × [Conv 3×3 10 → Conv 3×3 10 → MaxPool 2] → Dense 10 softmax',
    parameters: 7_740,
    convolutional: true,
  },
  'keras-cnn': {
    name: 'keras-cnn',
    title: 'Keras CNN',
    origin: 'The CNN of a Keras tutorial (about 91% after 10 epochs there)',
    summary: 'Conv 3×3 64 → MaxPool → Dropout 0.3 → Conv 3×3 32 → MaxPool → Dropout 0.3 → Dense 256 → Dropout 0.5 → Dense 10',
    parameters: 423_338,
    convolutional: true,
  },
  compact: {
    name: 'compact',
    title: 'Compact CNN',
    origin: 'A CNN of under 35,000 parameters, written to train on low-end CPUs (88% there)',
    summary: 'Conv 3×3 16 → MaxPool → Conv 3×3 32 → MaxPool → Dense 16 → Dropout 0.3 → Dense 10',
    parameters: 30_074,
    convolutional: true,
  },
  default: {
    name: 'default',
    title: 'Playground CNN',
    origin: 'Ours: designed to beat the tutorial networks above at a cost a laptop can train',
    summary:
      'Conv 3×3 16 → BatchNorm → MaxPool → Conv 3×3 32 → BatchNorm → MaxPool → Conv 3×3 64 → BatchNorm → Dropout 0.4 → Dense 128 → Dropout 0.4 → Dense 10',
    parameters: 426_458,
    convolutional: true,
  },
  'dense-wide': {
    name: 'dense-wide',
    title: 'Wide dense network',
    origin: 'Ours: the dense baseline widened to as many parameters as our CNN (426,130 against 426,458), for Compare',
    summary: 'Flatten → Dense 536 ReLU → Dense 10 softmax',
    parameters: 426_130,
    convolutional: false,
  },
  wide: {
    name: 'wide',
    title: 'Wide CNN',
    origin: 'Ours, VGG-style: the network of the Best preset (94.5% when PyTorch trained it with that recipe)',
    summary: '[Conv 3×3 → BatchNorm → ReLU] × 2 at 32, 64 and 128 channels, MaxPool after each pair → Dense 10 softmax',
    parameters: 299_306,
    convolutional: true,
  },
};

/** The CNNs of the zoo, in catalogue order: what Compare sets against a dense network. */
export const CNN_NAMES: readonly ModelName[] = MODEL_NAMES.filter((name) => MODEL_CATALOG[name].convolutional);

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}
