/**
 * "Layers of <model>" builds the selected network with the page's tfjs only to describe it
 * (src/app/model-layers.ts): the right model's rows (name, output shape per batch,
 * parameters), on the cpu backend when none was chosen, and every weight it allocated freed.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../src/core/models/catalog.ts';
import { describeLayers } from '../src/app/model-layers.ts';

describe('describeLayers', () => {
  it('lists the layers with their output shapes and parameters, and disposes the model', async () => {
    const before = tf.memory().numTensors;
    const tiny = await describeLayers('tinyvgg');
    expect(tf.getBackend()).toBe('cpu');
    expect(tiny.parameters).toBe(MODEL_CATALOG.tinyvgg.parameters);
    expect(tiny.rows.map((r) => r.outputShape)).toEqual([
      '[batch,28,28,10]',
      '[batch,28,28,10]',
      '[batch,14,14,10]',
      '[batch,14,14,10]',
      '[batch,14,14,10]',
      '[batch,7,7,10]',
      '[batch,490]',
      '[batch,10]',
    ]);
    expect(tiny.rows[0].name).toMatch(/^conv2d_Conv2D\d+$/);
    expect(tiny.rows.reduce((s, r) => s + r.parameters, 0)).toBe(MODEL_CATALOG.tinyvgg.parameters);
    // A second model: nothing left behind from either.
    const dense = await describeLayers('dense');
    expect(dense.rows.map((r) => r.outputShape)).toEqual(['[batch,784]', '[batch,128]', '[batch,10]']);
    expect(dense.parameters).toBe(MODEL_CATALOG.dense.parameters);
    expect(tf.memory().numTensors).toBe(before);
  });
});
