/**
 * An untrained model of the zoo, built with the page's own tfjs only to describe it (its layers,
 * output shapes and parameters), then disposed. Loaded on demand: it pulls in tfjs and the zoo.
 * The page tabulates what this returns itself (ModelLayers.tsx).
 *
 * Backend: whatever the page's tfjs already runs (the classifier's `cpu` where the engine trains
 * in a worker, the engine's own where it trains in the page); if nothing has chosen one yet,
 * `cpu`, as the classifier would, so describing a model never opens a WebGL context.
 */
import * as tf from '@tensorflow/tfjs';
import { createModel } from '../core/models/zoo.ts';
import type { ModelName } from '../core/models/catalog.ts';

async function readyBackend(): Promise<void> {
  if (!tf.getBackend() && !(await tf.setBackend('cpu'))) throw new Error('the cpu backend of tfjs did not start');
  await tf.ready();
}

/** One row of "Layers of <model>". */
export interface LayerRow {
  /** The layer's name, which says its kind: "conv2d_Conv2D1". */
  name: string;
  /** Per batch: "[batch,28,28,10]". */
  outputShape: string;
  parameters: number;
}

export interface ModelLayers {
  rows: LayerRow[];
  parameters: number;
}

const shapeText = (shape: tf.Shape | tf.Shape[]): string => {
  const one = (s: tf.Shape) => `[${s.map((d) => (d === null ? 'batch' : String(d))).join(',')}]`;
  return Array.isArray(shape[0]) ? (shape as tf.Shape[]).map(one).join(', ') : one(shape as tf.Shape);
};

/**
 * The layers of `name` (built with seed 1, read, and disposed before this resolves): each one's
 * name, output shape and parameter count, and the model's parameters in all.
 */
export async function describeLayers(name: ModelName): Promise<ModelLayers> {
  await readyBackend();
  const model = createModel(name);
  try {
    const rows = model.layers.map((layer) => ({
      name: layer.name,
      outputShape: shapeText(layer.outputShape),
      parameters: layer.countParams(),
    }));
    return { rows, parameters: model.countParams() };
  } finally {
    model.dispose();
  }
}
