/**
 * "Layers of <model>" builds the selected network with the page's tfjs only to describe it
 * (src/app/model-layers.ts): the right model, on the cpu backend when none was chosen, and every
 * weight it allocated freed afterwards, also when describing it fails.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../src/core/models/catalog.ts';
import { withModel } from '../src/app/model-layers.ts';

describe('withModel', () => {
  it('builds the model, reports its layers and parameters, and disposes it', async () => {
    const { layers, parameters, shapes, during } = await withModel('tinyvgg', (model, shape) => ({
      ...shape,
      shapes: model.layers.map((l) => JSON.stringify(l.outputShape)),
      during: tf.memory().numTensors,
    }));
    const after = tf.memory().numTensors;
    expect(tf.getBackend()).toBe('cpu');
    expect(parameters).toBe(MODEL_CATALOG.tinyvgg.parameters);
    expect(layers).toBe(shapes.length);
    expect(shapes[0]).toBe('[null,28,28,10]');
    expect(shapes.at(-1)).toBe('[null,10]');
    expect(during).toBeGreaterThan(after);

    // A second model: nothing left behind from either.
    await withModel('dense', (model) => expect(model.countParams()).toBe(MODEL_CATALOG.dense.parameters));
    expect(tf.memory().numTensors).toBe(after);
  });

  it('disposes the model when describing it throws', async () => {
    const before = tf.memory().numTensors;
    await expect(
      withModel('compact', () => {
        throw new Error('no table');
      }),
    ).rejects.toThrow('no table');
    expect(tf.memory().numTensors).toBe(before);
  });
});
