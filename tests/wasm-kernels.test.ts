/**
 * Training on the wasm backend: every gradient our zoo needs must match the reference `cpu` backend.
 *
 * Each case builds its inputs from a seeded PRNG, runs the same function on wasm and on cpu and
 * compares all outputs element by element: |wasm - cpu| <= TOL * max(1, |cpu|), TOL = 1e-4
 * (absolute for small values, relative where sums over many products make values large); shapes
 * and dtypes must match. The harness lives in tests/helpers/parity.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../src/core/kernels/wasm-training-kernels.ts';
import { data, expectParity, useParityBackends, worst, expectNoLeaks } from './helpers/parity.ts';

useParityBackends();

describe('registerWasmTrainingKernels', () => {
  it('registered Conv2DBackpropFilter and MaxPoolGrad and is idempotent', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('MaxPoolGrad', 'wasm')?.kernelFunc.name).toBe('maxPoolGradWasm');
    expect(registerWasmTrainingKernels()).toEqual([]);
  });
});

interface ConvCase {
  x: [number, number, number, number];
  w: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid';
}

const convCases: ConvCase[] = [
  { x: [1, 5, 5, 1], w: [3, 3, 1, 1], strides: 1, pad: 'same' },
  { x: [1, 6, 6, 1], w: [3, 3, 1, 1], strides: 1, pad: 'valid' },
  { x: [4, 28, 28, 1], w: [3, 3, 1, 10], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 3], w: [3, 3, 3, 10], strides: 1, pad: 'same' },
  { x: [8, 14, 14, 10], w: [3, 3, 10, 10], strides: 1, pad: 'same' },
  { x: [3, 7, 9, 10], w: [3, 3, 10, 32], strides: 1, pad: 'valid' },
  { x: [2, 9, 7, 32], w: [3, 3, 32, 10], strides: 2, pad: 'same' },
  { x: [2, 10, 11, 3], w: [3, 3, 3, 10], strides: 2, pad: 'valid' },
  { x: [2, 11, 10, 3], w: [3, 3, 3, 3], strides: 2, pad: 'same' },
  { x: [1, 6, 8, 10], w: [2, 3, 10, 3], strides: [1, 2], pad: 'valid' },
  { x: [2, 9, 8, 3], w: [5, 5, 3, 4], strides: 1, pad: 'same' },
  { x: [1, 4, 4, 32], w: [1, 1, 32, 10], strides: 1, pad: 'valid' },
];

describe('conv2d gradients: wasm matches cpu', () => {
  for (const c of convCases) {
    const label = `x ${c.x} w ${c.w} strides ${c.strides} ${c.pad}`;
    it(label, async () => {
      await expectParity(() => {
        const x = data(c.x, 1);
        const w = data(c.w, 2);
        const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad);
        const dy = data(y.shape, 3);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad))(
          [x, w],
          dy,
        );
        return [y, dx, dw];
      }, label);
    });
  }

  it('fused conv2d + bias + relu (what tf.layers.conv2d runs)', async () => {
    await expectParity(() => {
      const x = data([3, 12, 12, 3], 4);
      const w = data([3, 3, 3, 8], 5);
      const b = data([8], 6);
      const f = (a: tf.Tensor, k: tf.Tensor, bias: tf.Tensor) =>
        tf.fused.conv2d({
          x: a as tf.Tensor4D,
          filter: k as tf.Tensor4D,
          strides: 1,
          pad: 'same',
          bias,
          activation: 'relu',
        });
      const dy = data([3, 12, 12, 8], 7);
      return [f(x, w, b), ...tf.grads(f)([x, w, b], dy)];
    }, 'fused conv2d');
  });
});

describe('maxPool gradient: wasm matches cpu', () => {
  const cases: { x: [number, number, number, number]; size: number; strides: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'valid' },
    { x: [3, 28, 28, 10], size: 2, strides: 2, pad: 'valid' },
    { x: [2, 7, 9, 4], size: 2, strides: 2, pad: 'same' },
    { x: [1, 9, 9, 2], size: 3, strides: 2, pad: 'same' },
    { x: [1, 6, 6, 5], size: 3, strides: 1, pad: 'valid' },
  ];
  it('ties (values on a coarse grid, incl. all-negative windows): the first maximum gets dy, like cpu', async () => {
    await expectParity(() => {
      const x = data([2, 8, 8, 3], 22).mul(2).round().div(2); // values in {-1, -0.5, 0, 0.5, 1}
      const f = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid');
      const y = f(x);
      return [y, tf.grad(f)(x, data(y.shape, 23))];
    }, 'maxPool ties');
  });
  for (const c of cases) {
    const label = `x ${c.x} pool ${c.size} strides ${c.strides} ${c.pad}`;
    it(label, async () => {
      await expectParity(() => {
        const x = data(c.x, 8);
        const f = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.size, c.strides, c.pad);
        const y = f(x);
        return [y, tf.grad(f)(x, data(y.shape, 9))];
      }, label);
    });
  }
});

describe('batchNorm gradients: wasm matches cpu', () => {
  it('batch statistics (training mode), all inputs', async () => {
    await expectParity(() => {
      const x = data([4, 6, 6, 5], 10);
      const gamma = data([5], 11).add(1.5);
      const beta = data([5], 12);
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.batchNorm(a, mean, variance, b, g, 1e-3);
      };
      const dy = data([4, 6, 6, 5], 13);
      return [f(x, gamma, beta), ...tf.grads(f)([x, gamma, beta], dy)];
    }, 'batchNorm training');
  });

  it('given statistics (inference mode), gradients w.r.t. mean and variance too', async () => {
    await expectParity(() => {
      const x = data([3, 4, 5, 6], 14);
      const mean = data([6], 15).mul(0.5);
      const variance = data([6], 16).abs().add(0.5);
      const gamma = data([6], 17).add(1.5);
      const beta = data([6], 18);
      const f = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.batchNorm(a, m, v, b, g, 1e-3);
      const dy = data([3, 4, 5, 6], 19);
      return [f(x, mean, variance, gamma, beta), ...tf.grads(f)([x, mean, variance, gamma, beta], dy)];
    }, 'batchNorm inference');
  });
});

/** The zoo's layer types in one small CNN, with weights from a seed so both backends start equal. */
function smallCnn(seed: number): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.batchNormalization(),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'valid', activation: 'relu' }),
      tf.layers.dropout({ rate: 0.25, seed: 7 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 12, activation: 'relu' }),
      tf.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  model.setWeights(model.getWeights().map((w, i) => data(w.shape, seed + i).mul(0.5)));
  return model;
}

describe('full small CNN: wasm matches cpu', () => {
  const batch = 6;
  const labels = () => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 2], 'int32'), 4);

  it('parameter gradients via tf.variableGrads (softmax cross-entropy)', async () => {
    await expectParity(() => {
      const model = smallCnn(100);
      const x = data([batch, 12, 12, 1], 20);
      const y = labels();
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        vars,
      );
      const out = [value, ...vars.map((v) => grads[v.name])];
      model.dispose();
      return out;
    }, 'small CNN grads');
  });

  it('weights after 3 Adam steps of model.trainOnBatch (categoricalCrossentropy)', async () => {
    const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const model = smallCnn(200);
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
      const x = data([batch, 12, 12, 1], 21);
      const y = labels();
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) losses.push((await model.trainOnBatch(x, y)) as number);
      const weights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
      tf.dispose([x, y]);
      model.dispose();
      return [Float32Array.from(losses), ...weights];
    };
    const wasm = await run('wasm');
    const cpu = await run('cpu');
    expect(wasm.length, 'outputs').toBe(cpu.length);
    for (let k = 0; k < cpu.length; k++) {
      expect(wasm[k].length, `output ${k} size`).toBe(cpu[k].length);
      const w = worst(wasm[k], cpu[k]);
      expect(w.ratio, `output ${k}: wasm ${w.a} vs cpu ${w.b} at ${w.index}`).toBeLessThanOrEqual(1);
    }
  });
});

describe('no leaks', () => {
  it('repeated conv/pool/batchNorm gradient steps keep tensor and backend buffer counts flat', async () => {
    await tf.setBackend('wasm');
    const x = data([4, 10, 10, 3], 30);
    const w = data([3, 3, 3, 8], 31);
    const gamma = tf.ones([8]);
    const beta = tf.zeros([8]);
    const step = () =>
      tf.tidy(() => {
        const f = (a: tf.Tensor, k: tf.Tensor) => {
          const c = tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, 2, 'valid');
          const { mean, variance } = tf.moments(c, [0, 1, 2]);
          return tf.maxPool(tf.batchNorm(c, mean, variance, beta, gamma) as tf.Tensor4D, 2, 2, 'same').sum();
        };
        const [gx, gw] = tf.grads(f)([x, w]);
        return gx.sum().add(gw.sum()).dataSync()[0];
      });
    expectNoLeaks(step);
    tf.dispose([x, w, gamma, beta]);
  });
});
