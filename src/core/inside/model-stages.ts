/**
 * Reads a classifier's layers as the stages a person can look at: each convolution (shown after
 * the normalisation and activation layers that follow it, which is what the next layer sees),
 * each pooling layer, each dense layer, and where the class scores before softmax (the logits)
 * come from. Models whose layers do not follow one another in a single chain (branches, skips)
 * are refused with a message, since every view here runs the layers in order.
 */
import type * as tf from '@tensorflow/tfjs';

export type StageKind = 'conv' | 'pool' | 'dense';

export interface Stage {
  kind: StageKind;
  /** The model's own name of the layer ("conv2d_Conv2D2"). */
  name: string;
  /** Its name in plain words, numbered per kind: "convolution 1", "pooling 2", "dense 1". */
  label: string;
  /** Index in model.layers of the layer whose output the stage shows. */
  outputIndex: number;
  /** Output shape without the batch: [height, width, channels] or [units]. */
  shape: number[];
}

export interface ModelStages {
  stages: Stage[];
  /** Index of the last Dense layer: its linear part (input · kernel + bias) gives the logits. */
  logitIndex: number;
  /** True when that layer itself ends in softmax (the probabilities are its output). */
  logitLayerHasSoftmax: boolean;
}

export class InsideError extends Error {}

/** Layers that only rescale or switch each value: they belong to the stage of the layer before. */
const FOLLOWERS = new Set(['BatchNormalization', 'Activation', 'ReLU', 'LeakyReLU', 'ELU']);
const CONV = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);
const POOL = new Set(['MaxPooling2D', 'AveragePooling2D']);
const KIND_WORDS: Record<StageKind, string> = { conv: 'convolution', pool: 'pooling', dense: 'dense' };

const activationOf = (layer: tf.layers.Layer): string | null => {
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof activation === 'string' ? activation : null;
};

/** Whether each layer takes exactly the previous layer's output (a plain chain from the model's input). */
function isChain(model: tf.LayersModel): boolean {
  const layers = model.layers;
  if (model.inputs.length !== 1 || layers.length === 0 || layers[0].input !== model.inputs[0]) return false;
  for (let i = 1; i < layers.length; i++) if (layers[i].input !== layers[i - 1].output) return false;
  return layers[layers.length - 1].output === model.outputs[0];
}

/** The stages of `model` in order, and where its logits are. @throws InsideError when the model cannot be looked into */
export function modelStages(model: tf.LayersModel): ModelStages {
  if (!isChain(model)) throw new InsideError('this view needs a model whose layers follow one another in a single chain');
  const layers = model.layers;
  let logitIndex = -1;
  for (let i = layers.length - 1; i >= 0; i--) {
    if (layers[i].getClassName() === 'Dense') {
      logitIndex = i;
      break;
    }
  }
  if (logitIndex < 0) throw new InsideError('this view needs a model with a dense layer that gives the class scores');
  const after = layers.slice(logitIndex + 1).map((l) => l.getClassName());
  const logitActivation = activationOf(layers[logitIndex]);
  const logitLayerHasSoftmax = logitActivation === 'softmax';
  if (!logitLayerHasSoftmax && logitActivation !== 'linear') {
    throw new InsideError(
      `this view needs the last dense layer to give plain class scores, this one applies ${logitActivation ?? 'an unknown activation'}`,
    );
  }
  // Only a softmax may come after the logits: anything else would change what they mean.
  const softmaxAfter = after.every(
    (name, k) => name === 'Softmax' || (name === 'Activation' && activationOf(layers[logitIndex + 1 + k]) === 'softmax'),
  );
  if (!softmaxAfter || (!logitLayerHasSoftmax && after.length === 0)) {
    throw new InsideError('this view needs a model whose last dense layer is followed only by its softmax');
  }
  const stages: Stage[] = [];
  const counts: Record<StageKind, number> = { conv: 0, pool: 0, dense: 0 };
  for (let i = 0; i <= logitIndex; i++) {
    const name = layers[i].getClassName();
    const kind: StageKind | null = CONV.has(name) ? 'conv' : POOL.has(name) ? 'pool' : name === 'Dense' ? 'dense' : null;
    if (!kind) continue;
    let outputIndex = i;
    // The last dense layer shows its logits, so it does not take in the softmax after it.
    if (i !== logitIndex) while (outputIndex + 1 < logitIndex && FOLLOWERS.has(layers[outputIndex + 1].getClassName())) outputIndex++;
    counts[kind]++;
    const shape = (layers[outputIndex].outputShape as (number | null)[]).slice(1).map((d) => d ?? 0);
    stages.push({ kind, name: layers[i].name, label: `${KIND_WORDS[kind]} ${counts[kind]}`, outputIndex, shape });
  }
  return { stages, logitIndex, logitLayerHasSoftmax };
}

/** The convolutions Grad-CAM can explain at: those whose maps are at least 2×2. */
export const camStages = (stages: readonly Stage[]): Stage[] =>
  stages.filter((s) => s.kind === 'conv' && s.shape[0] >= 2 && s.shape[1] >= 2);

/**
 * The default layer for Grad-CAM: the last convolution whose map is at least 7×7 (the last one's
 * is 3×3 to 7×7 on 28×28 inputs, too coarse to point at a part of the picture), else the last one.
 */
export function defaultCamStage(stages: readonly Stage[]): Stage | null {
  const convs = camStages(stages);
  const fine = convs.filter((s) => s.shape[0] >= 7 && s.shape[1] >= 7);
  return fine[fine.length - 1] ?? convs[convs.length - 1] ?? null;
}
