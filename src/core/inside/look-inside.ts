/**
 * One call for everything "Inside the model" shows about a picture: the inspector's view
 * (activations, why maps) with the model's weight views and the layers Grad-CAM can use. The
 * inspector and the weight views of each model are made once and kept while the model lives
 * (a model's weights do not change once it answers).
 */
import type * as tf from '@tensorflow/tfjs';
import { ModelInspector, type InsideView, type InspectRequest } from './inspector.ts';
import type { Stage } from './model-stages.ts';
import { weightViews, type WeightViews } from './weights.ts';

export interface InsideResult extends InsideView {
  weights: WeightViews;
  /** The convolutions Grad-CAM may explain at, and the one it does by default (null: none). */
  camStages: Stage[];
  defaultCam: string | null;
}

const kept = new WeakMap<tf.LayersModel, { inspector: ModelInspector; weights: Promise<WeightViews> }>();

/** @throws InsideError when the model cannot be looked into; RangeError for a bad picture or class */
export async function lookInside(model: tf.LayersModel, image: Uint8Array, request: InspectRequest = {}): Promise<InsideResult> {
  let entry = kept.get(model);
  if (!entry) {
    const inspector = new ModelInspector(model);
    entry = { inspector, weights: weightViews(model, inspector.stages) };
    kept.set(model, entry);
  }
  const view = await entry.inspector.inspect(image, request);
  return {
    ...view,
    weights: await entry.weights,
    camStages: entry.inspector.camStages,
    defaultCam: entry.inspector.defaultCam?.name ?? null,
  };
}

/**
 * lookInside for a model whose weights are still changing (a model in training, once per epoch):
 * nothing is kept from one call to the next.
 */
export async function lookInsideOnce(model: tf.LayersModel, image: Uint8Array, request: InspectRequest = {}): Promise<InsideResult> {
  const inspector = new ModelInspector(model);
  const [view, weights] = await Promise.all([inspector.inspect(image, request), weightViews(model, inspector.stages)]);
  return { ...view, weights, camStages: inspector.camStages, defaultCam: inspector.defaultCam?.name ?? null };
}

/** The typed arrays of a result, to transfer rather than copy between threads. */
export function insideBuffers(result: InsideResult): ArrayBuffer[] {
  const arrays = [
    result.logits,
    result.probabilities,
    result.why.smoothGrad.values,
    result.why.gradCam?.values,
    ...result.maps.flatMap((m) => [m.values, m.strength]),
    ...result.dense.map((d) => d.values),
  ];
  // The last dense stage's values are the logits themselves: each buffer once.
  return [...new Set(arrays.filter((a): a is Float32Array => a !== undefined).map((a) => a.buffer as ArrayBuffer))];
}
