/**
 * Our BatchNormalization layer (src/core/models/batch-norm.ts) against tfjs's own, on cpu and wasm:
 * in training mode the same output, the same gradients for the input, γ and β, and the same moving
 * statistics afterwards; in inference mode the stock path; far fewer kernels per training step;
 * no leaked tensors; and it saves as a plain 'BatchNormalization' that stock tfjs reads back.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchNormalization } from '../src/core/models/batch-norm.ts';
import { data, expectNoLeaks, useParityBackends, worst } from './helpers/parity.ts';

useParityBackends();

const ARGS = { momentum: 0.9, epsilon: 1e-3 };

/** A layer built for `shape` with γ and β away from their 1 and 0, so that both enter the result. */
function built(layer: tf.layers.Layer, shape: number[]): tf.layers.Layer {
  layer.build(shape);
  const channels = shape[shape.length - 1];
  layer.setWeights([
    tf.add(1, data([channels], 21)),
    data([channels], 22),
    tf.mul(0.1, data([channels], 23)),
    tf.add(1.5, data([channels], 24)),
  ]);
  return layer;
}

/**
 * A weighted sum of the squared training-mode output (the weights make every element count),
 * its gradients for x, γ and β, and the moving statistics after the step.
 */
function trainingStep(layer: tf.layers.Layer, x: tf.Tensor) {
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read());
  const { value, grads } = tf.valueAndGrads((input: tf.Tensor, _g: tf.Tensor, _b: tf.Tensor) =>
    tf.sum(tf.mul(tf.square(layer.apply(input, { training: true }) as tf.Tensor), data(x.shape, 31))),
  )([x, gamma, beta]);
  return {
    value,
    grads,
    moving: layer
      .getWeights()
      .slice(2)
      .map((t) => t.clone()),
  };
}

/** Frees layers' weights (Layer.dispose refuses layers never applied to symbolic inputs). */
function release(...layers: tf.layers.Layer[]): void {
  for (const layer of layers) for (const w of layer.weights) w.dispose();
}

async function read(ts: tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(ts.map((t) => t.data() as Promise<Float32Array>));
}

describe.each(['cpu', 'wasm'] as const)('BatchNormalization on %s', (backend) => {
  describe.each([
    { name: 'conv activations', shape: [6, 5, 7, 4] },
    { name: 'dense activations', shape: [9, 12] },
  ])('$name', ({ shape }) => {
    it('trains exactly like the stock layer', async () => {
      await tf.setBackend(backend);
      const x = tf.add(tf.mul(3, data(shape, 11)), 0.5);
      const ours = built(batchNormalization(ARGS), shape);
      const stock = built(tf.layers.batchNormalization(ARGS), shape);
      const a = trainingStep(ours, x);
      const b = trainingStep(stock, x);
      const [ourValues, stockValues] = await Promise.all([
        read([a.value, ...a.grads, ...a.moving]),
        read([b.value, ...b.grads, ...b.moving]),
      ]);
      const names = ['loss', 'dx', 'dγ', 'dβ', 'moving mean', 'moving variance'];
      ourValues.forEach((values, i) => {
        const v = worst(values, stockValues[i], 1e-4);
        expect(v.ratio, `${names[i]}: ours ${v.a} vs stock ${v.b} at ${v.index}`).toBeLessThanOrEqual(1);
      });
      // Not vacuous: the input's gradient and the moving statistics are far from 0 and from the start.
      expect(Math.max(...ourValues[1].map(Math.abs))).toBeGreaterThan(0.1);
      const startMean = (await tf.mul(0.1, data([shape[shape.length - 1]], 23)).data()) as Float32Array;
      expect(Math.max(...ourValues[4].map((m, i) => Math.abs(m - startMean[i])))).toBeGreaterThan(0.01);
      tf.dispose([x, a.value, ...a.grads, ...a.moving, b.value, ...b.grads, ...b.moving]);
      release(ours, stock);
    });
  });

  it('uses the moving statistics at inference, as the stock layer does', async () => {
    await tf.setBackend(backend);
    const shape = [4, 3, 3, 5];
    const x = data(shape, 41);
    const ours = built(batchNormalization(ARGS), shape);
    const stock = built(tf.layers.batchNormalization(ARGS), shape);
    const [o, s] = await read([ours.apply(x) as tf.Tensor, stock.apply(x) as tf.Tensor]);
    const v = worst(o, s, 1e-5);
    expect(v.ratio).toBeLessThanOrEqual(1);
    tf.dispose(x);
    release(ours, stock);
  });

  it('runs a training step in a fraction of the stock kernels, without leaks', async () => {
    await tf.setBackend(backend);
    const shape = [8, 6, 6, 4];
    const x = data(shape, 51);
    const count = async (layer: tf.layers.Layer) => {
      const step = () => tf.dispose(Object.values(trainingStep(layer, x)).flat());
      step();
      return (await tf.profile(step)).kernels.length;
    };
    const ours = built(batchNormalization(ARGS), shape);
    const stock = built(tf.layers.batchNormalization(ARGS), shape);
    const [oursKernels, stockKernels] = [await count(ours), await count(stock)];
    console.log(`[batch-norm] kernels of a training step on ${backend}: ours ${oursKernels}, stock ${stockKernels}`);
    expect(oursKernels).toBeLessThan(stockKernels * 0.6);
    expectNoLeaks(() => tf.dispose(Object.values(trainingStep(ours, x)).flat()));
    tf.dispose(x);
    release(ours, stock);
  });
});

describe('saving', () => {
  it('saves as a stock BatchNormalization that plain tfjs loads with the same answers', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 6, inputShape: [5] }), batchNormalization(ARGS), tf.layers.dense({ units: 3 })],
    });
    const x = data([4, 5], 61);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })),
    );
    expect(JSON.stringify(artifacts!.modelTopology)).toContain('"class_name":"BatchNormalization"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const [a, b] = await read([model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor]);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
