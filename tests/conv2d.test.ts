/**
 * Our Conv2D layer (src/core/models/conv2d.ts) against tfjs's own, on cpu and wasm: in training the
 * same output and the same gradients for the input, kernel and bias (ReLU and linear, 'same' and
 * 'valid', stride 1 and 2); the bias add and ReLU ride on the convolution's kernel; no input
 * gradient for a first layer; no leaks; and it saves as a plain 'Conv2D' that stock tfjs reads back.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { conv2d } from '../src/core/models/conv2d.ts';
import { data, expectNoLeaks, useParityBackends, worst } from './helpers/parity.ts';

useParityBackends();

type Args = Parameters<typeof tf.layers.conv2d>[0];

/** A layer built for `shape` with the same seeded kernel and a bias that puts some outputs below 0. */
function built(make: (args: Args) => tf.layers.Layer, args: Args, shape: number[]): tf.layers.Layer {
  const layer = make(args);
  layer.build(shape);
  const [kernel] = layer.getWeights();
  layer.setWeights([data(kernel.shape, 71), tf.mul(0.3, data([args.filters], 72))]);
  return layer;
}

/** A weighted sum of the output (every element counts) and its gradients for x, the kernel and the bias. */
function step(layer: tf.layers.Layer, x: tf.Tensor, outputShape: number[]) {
  const [kernel, bias] = layer.trainableWeights.map((w) => w.read());
  return tf.valueAndGrads((input: tf.Tensor, _k: tf.Tensor, _b: tf.Tensor) =>
    tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, data(outputShape, 73))),
  )([x, kernel, bias]);
}

function release(...layers: tf.layers.Layer[]): void {
  for (const layer of layers) for (const w of layer.weights) w.dispose();
}

describe.each(['cpu', 'wasm'] as const)('Conv2D on %s', (backend) => {
  it.each([
    { activation: 'relu', padding: 'same', strides: 1, shape: [3, 9, 9, 4], filters: 5 },
    { activation: 'relu', padding: 'valid', strides: 1, shape: [2, 8, 7, 1], filters: 10 },
    { activation: 'linear', padding: 'same', strides: 2, shape: [2, 9, 8, 3], filters: 6 },
  ] as const)('trains like the stock layer ($activation, $padding, stride $strides)', async ({ shape: given, ...args }) => {
    const shape = [...given];
    await tf.setBackend(backend);
    const layerArgs: Args = { ...args, kernelSize: 3 };
    const ours = built(conv2d, layerArgs, shape);
    const stock = built(tf.layers.conv2d, layerArgs, shape);
    const x = data(shape, 74);
    const outputShape = (stock.apply(x) as tf.Tensor).shape;
    const a = step(ours, x, outputShape);
    const b = step(stock, x, outputShape);
    const [oursValues, stockValues] = await Promise.all(
      [a, b].map((r) => Promise.all([r.value, ...r.grads].map((t) => t.data() as Promise<Float32Array>))),
    );
    ['loss', 'dx', 'dkernel', 'dbias'].forEach((name, i) => {
      const v = worst(oursValues[i], stockValues[i]);
      expect(v.ratio, `${name}: ours ${v.a} vs stock ${v.b} at ${v.index}`).toBeLessThanOrEqual(1);
    });
    // Not vacuous, and ReLU really masked: some outputs were negative before it (a zero bias gradient would hide that).
    expect(Math.max(...oursValues[1].map(Math.abs))).toBeGreaterThan(0.1);
    tf.dispose([x, a.value, ...a.grads, b.value, ...b.grads]);
    release(ours, stock);
  });

  it('fuses bias and ReLU into the convolution and skips the input gradient nothing needs', async () => {
    await tf.setBackend(backend);
    const shape = [4, 8, 8, 1];
    const ours = built(conv2d, { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, shape);
    const x = data(shape, 75);
    const [kernel, bias] = ours.trainableWeights.map((w) => w.read() as tf.Variable);
    const lossOfWeights = () => tf.sum(tf.square(ours.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar;
    const gradientStep = () => {
      const { value, grads } = tf.variableGrads(lossOfWeights, [kernel, bias]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    const profile = await tf.profile(gradientStep);
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('FusedConv2D');
    expect(names).toContain('Conv2DBackpropFilter');
    expect(names).not.toContain('Conv2DBackpropInput');
    expect(names).not.toContain('Relu');
    expect(names).not.toContain('Add');
    expectNoLeaks(gradientStep);
    tf.dispose(x);
    release(ours);
  });
});

describe('saving', () => {
  it('saves as a stock Conv2D that plain tfjs loads with the same answers', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [
        conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const x = data([2, 6, 6, 1], 76);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })),
    );
    expect(JSON.stringify(artifacts!.modelTopology)).toContain('"class_name":"Conv2D"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const [a, b] = await Promise.all([model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor].map((t) => t.data()));
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
