/**
 * What a model has learnt, read from its weights alone (no picture needed): the first
 * convolution's kernels, which look straight at pixels and so can be drawn as small images, and
 * for every later layer with weights a histogram of them (deeper kernels mix many channels and
 * read as nothing when drawn; a histogram still shows whether a layer has learnt something
 * spread out or is still near its start).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelStages, Stage } from './model-stages.ts';

export interface Filters {
  stage: Stage;
  /** Kernel height and width. */
  height: number;
  width: number;
  count: number;
  /** Filter after filter, each row-major (averaged over input channels): values[(f · height + y) · width + x]. */
  values: Float32Array;
  /** The largest absolute weight: drawings centre 0 and scale by it. */
  range: number;
}

export interface WeightHistogram {
  stage: Stage;
  /** How many weights fall in each of HISTOGRAM_BINS equal bins from -range to +range. */
  counts: number[];
  range: number;
  /** Number of weights (kernel only, not biases). */
  total: number;
  /** Mean absolute weight. */
  meanAbs: number;
}

export interface WeightViews {
  filters: Filters | null;
  histograms: WeightHistogram[];
}

export const HISTOGRAM_BINS = 24;

const largestAbs = (values: Float32Array): number => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** The first convolution's kernels [h, w, in, out] as `out` images, averaged over input channels. */
async function filtersOf(stage: Stage, kernel: tf.Tensor): Promise<Filters> {
  const [height, width, inputs, count] = kernel.shape;
  const data = (await kernel.data()) as Float32Array;
  const values = new Float32Array(count * height * width);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < inputs; c++)
        for (let f = 0; f < count; f++) values[(f * height + y) * width + x] += data[((y * width + x) * inputs + c) * count + f] / inputs;
  return { stage, height, width, count, values, range: largestAbs(values) };
}

async function histogramOf(stage: Stage, kernel: tf.Tensor): Promise<WeightHistogram> {
  const data = (await kernel.data()) as Float32Array;
  const range = largestAbs(data);
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  let sumAbs = 0;
  for (const v of data) {
    sumAbs += Math.abs(v);
    const bin = range > 0 ? Math.floor(((v + range) / (2 * range)) * HISTOGRAM_BINS) : HISTOGRAM_BINS / 2;
    counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, bin))]++;
  }
  return { stage, counts, range, total: data.length, meanAbs: data.length ? sumAbs / data.length : 0 };
}

/** The first convolution's filters and the weight histograms of every later convolution and dense stage. */
export async function weightViews(model: tf.LayersModel, stages: ModelStages): Promise<WeightViews> {
  let filters: Filters | null = null;
  const histograms: WeightHistogram[] = [];
  for (const stage of stages.stages) {
    if (stage.kind === 'pool') continue;
    // The layer's own kernel, never a copy: nothing here is freed.
    const layer = model.layers.find((l) => l.name === stage.name);
    const kernel = layer?.getWeights()[0];
    if (!kernel || kernel.rank < 2) continue;
    if (stage.kind === 'conv' && !filters && kernel.rank === 4) filters = await filtersOf(stage, kernel);
    else histograms.push(await histogramOf(stage, kernel));
  }
  return { filters, histograms };
}
