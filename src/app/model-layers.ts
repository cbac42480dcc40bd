/**
 * An untrained model of the zoo, built with the page's own tfjs only to describe it (its layers,
 * output shapes and parameters), then disposed. Loaded on demand: it pulls in tfjs and the zoo.
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

export interface ModelShape {
  layers: number;
  parameters: number;
}

/**
 * Builds `name` (seed 1), hands it to `use`, and disposes it whatever happens: the weights it
 * allocated are freed before this resolves.
 */
export async function withModel<T>(name: ModelName, use: (model: tf.Sequential, shape: ModelShape) => Promise<T> | T): Promise<T> {
  await readyBackend();
  const model = createModel(name);
  try {
    return await use(model, { layers: model.layers.length, parameters: model.countParams() });
  } finally {
    model.dispose();
  }
}
