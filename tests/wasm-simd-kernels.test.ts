/**
 * Our own WebAssembly SIMD kernels (src/core/kernels/simd/, built by scripts/build-wasm.ts) must
 * give what the reference `cpu` backend gives: the filter gradient of conv2d over the shapes our
 * zoo trains (batch 1-64, 1-64 channels, 28/14/7 pixels) and odd ones, on the SIMD route (stride 1)
 * and on the XNNPACK route it leaves to other strides; the input gradient likewise (the
 * dot-product loop below 4 input channels, register tiles of 1-4 vectors above, the backend's
 * original for strides); max-pool's gradient over channel counts that do and do not fill whole vectors,
 * overlapping windows, padding and ties. |wasm - cpu| <= 1e-4 * max(1, |cpu|) as in
 * tests/helpers/parity.ts; no timing here (scripts/bench.ts, scripts/profile-step.ts measure).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../src/core/kernels/simd/base64.ts';
import { filterGradRoutes, startConv2DFilterGradSimd } from '../src/core/kernels/wasm-conv2d-backprop-filter-simd.ts';
import { maxPoolGradRoutes, startMaxPoolGradSimd } from '../src/core/kernels/wasm-max-pool-grad.ts';
import { inputGradRoutes } from '../src/core/kernels/wasm-conv2d-backprop-input.ts';
import { startConv2DSimd } from '../src/core/kernels/wasm-conv2d-simd.ts';
import { forwardConvRoutes, makeConv2DWasm } from '../src/core/kernels/wasm-conv2d.ts';
import { startColumnSumsSimd } from '../src/core/kernels/wasm-reduce.ts';
import { data, expectNoLeaks, expectParity, useParityBackends } from './helpers/parity.ts';

useParityBackends();

describe('base64', () => {
  it('decodes what Node encodes, with and without padding', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = Buffer.from(bytes).toString('base64');
      expect(decodeBase64(text)).toEqual(bytes);
      expect(decodeBase64(text.replace(/=+$/, ''))).toEqual(bytes);
    }
    expect(() => decodeBase64('ab$d')).toThrow(/unexpected character/);
  });
});

describe('the SIMD modules', () => {
  it('load in Node (WebAssembly SIMD present)', async () => {
    expect(await startConv2DFilterGradSimd()).toBe(true);
    expect(await startMaxPoolGradSimd()).toBe(true);
    expect(await startConv2DSimd()).toBe(true);
    expect(await startColumnSumsSimd()).toBe(true);
  });
});

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** A convolution's geometry, as every convolution case below gives it. */
interface ConvGeometry {
  x: [number, number, number, number];
  w: [number, number, number, number];
  strides?: number | [number, number];
  pad: Pad;
}

interface Case extends ConvGeometry {
  /** Which route the filter gradient must take. */
  route: 'simd' | 'fallback';
}

const cases: Case[] = [
  // The zoo's layers (TinyVGG; the default CNN): sums over 64 images of 28x28 are where float
  // rounding would show. Three at batch 16: cpu's scalar kernel takes seconds per 10^7 products.
  { x: [64, 28, 28, 1], w: [3, 3, 1, 10], pad: 'same', route: 'simd' },
  { x: [16, 28, 28, 10], w: [3, 3, 10, 10], pad: 'same', route: 'simd' },
  { x: [64, 14, 14, 10], w: [3, 3, 10, 10], pad: 'same', route: 'simd' },
  { x: [64, 28, 28, 1], w: [3, 3, 1, 16], pad: 'same', route: 'simd' },
  { x: [16, 14, 14, 16], w: [3, 3, 16, 32], pad: 'same', route: 'simd' },
  { x: [16, 7, 7, 32], w: [3, 3, 32, 64], pad: 'same', route: 'simd' },
  // Batches 1 and 3, valid padding, channel counts that are not multiples of 4 on either side.
  { x: [1, 28, 28, 1], w: [3, 3, 1, 10], pad: 'valid', route: 'simd' },
  { x: [3, 14, 14, 3], w: [3, 3, 3, 10], pad: 'same', route: 'simd' },
  { x: [3, 7, 7, 64], w: [3, 3, 64, 3], pad: 'valid', route: 'simd' },
  { x: [1, 7, 7, 10], w: [3, 3, 10, 1], pad: 'same', route: 'simd' },
  { x: [3, 14, 14, 16], w: [3, 3, 16, 32], pad: 'valid', route: 'simd' },
  { x: [3, 7, 7, 32], w: [3, 3, 32, 64], pad: 'same', route: 'simd' },
  // Odd sizes and kernels: non-square images and kernels, 1x1, 5x5, channel counts 5, 7, 9, 18.
  { x: [2, 9, 13, 5], w: [3, 3, 5, 7], pad: 'same', route: 'simd' },
  { x: [3, 11, 6, 3], w: [2, 3, 3, 9], pad: 'valid', route: 'simd' },
  { x: [2, 10, 10, 4], w: [5, 5, 4, 18], pad: 'same', route: 'simd' },
  { x: [2, 5, 8, 32], w: [1, 1, 32, 10], pad: 'valid', route: 'simd' },
  { x: [1, 4, 4, 2], w: [4, 4, 2, 5], pad: 'valid', route: 'simd' },
  // Explicit, uneven padding.
  {
    x: [2, 8, 9, 3],
    w: [3, 3, 3, 6],
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
    route: 'simd',
  },
  // Strides go to the XNNPACK route.
  { x: [3, 14, 14, 10], w: [3, 3, 10, 10], strides: 2, pad: 'same', route: 'fallback' },
  { x: [2, 11, 10, 3], w: [3, 3, 3, 16], strides: 2, pad: 'valid', route: 'fallback' },
  { x: [1, 6, 8, 10], w: [2, 3, 10, 3], strides: [1, 2], pad: 'valid', route: 'fallback' },
];

describe('conv2d filter gradient: wasm matches cpu', () => {
  for (const c of cases) {
    const strides = c.strides ?? 1;
    const label = `x ${c.x} w ${c.w} strides ${strides} pad ${JSON.stringify(c.pad)} (${c.route})`;
    it(label, async () => {
      const before = { ...filterGradRoutes };
      const info = tf.backend_util.computeConv2DInfo(c.x, c.w, strides, 1, c.pad);
      await expectParity(() => {
        // The kernel itself (tf.grad would also run the forward pass, slow on cpu at batch 64);
        // the gradient path through it is the last case's.
        const x = data(c.x, 1);
        const dy = data(info.outShape, 3);
        const attrs = { strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.w };
        return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor];
      }, label);
      // Exactly one call on wasm (the cpu run does not count): it went where it should.
      const other = c.route === 'simd' ? 'fallback' : 'simd';
      expect(filterGradRoutes[c.route] - before[c.route]).toBe(1);
      expect(filterGradRoutes[other] - before[other]).toBe(0);
    });
  }

  it('inside a whole layer: conv2d + bias + relu, all three gradients', async () => {
    await expectParity(() => {
      const x = data([5, 12, 12, 3], 4);
      const w = data([3, 3, 3, 8], 5);
      const b = data([8], 6);
      const f = (a: tf.Tensor, k: tf.Tensor, bias: tf.Tensor) =>
        tf.fused.conv2d({ x: a as tf.Tensor4D, filter: k as tf.Tensor4D, strides: 1, pad: 'same', bias, activation: 'relu' });
      const dy = data([5, 12, 12, 8], 7);
      return [f(x, w, b), ...tf.grads(f)([x, w, b], dy)];
    }, 'fused conv2d');
  });
});

describe('conv2d input gradient: wasm (SIMD) matches cpu', () => {
  // Stride 1 takes our kernel at any channel count; strides keep the backend's original.
  type InputCase = ConvGeometry & { route: 'simd' | 'original' };
  const inputCases: InputCase[] = [
    { x: [64, 28, 28, 1], w: [3, 3, 1, 16], pad: 'same', route: 'simd' }, // the default CNN's first layer
    { x: [16, 14, 14, 16], w: [3, 3, 16, 32], pad: 'same', route: 'simd' },
    { x: [16, 7, 7, 32], w: [3, 3, 32, 64], pad: 'same', route: 'simd' },
    { x: [3, 14, 14, 3], w: [3, 3, 3, 10], pad: 'valid', route: 'simd' }, // dot products, CO not /4
    { x: [2, 9, 13, 2], w: [3, 3, 2, 7], pad: 'same', route: 'simd' },
    { x: [1, 7, 7, 64], w: [3, 3, 64, 3], pad: 'same', route: 'simd' },
    { x: [3, 11, 6, 8], w: [2, 3, 8, 5], pad: 'valid', route: 'simd' },
    { x: [2, 10, 10, 4], w: [5, 5, 4, 18], pad: 'same', route: 'simd' },
    {
      x: [2, 8, 9, 12],
      w: [3, 3, 12, 6],
      pad: [
        [0, 0],
        [2, 0],
        [0, 1],
        [0, 0],
      ],
      route: 'simd',
    },
    { x: [16, 28, 28, 10], w: [3, 3, 10, 10], pad: 'same', route: 'simd' }, // TinyVGG's
    { x: [2, 9, 13, 5], w: [3, 3, 5, 7], pad: 'same', route: 'simd' },
    { x: [3, 10, 7, 6], w: [3, 3, 6, 5], pad: 'valid', route: 'simd' },
    { x: [3, 14, 14, 10], w: [3, 3, 10, 10], pad: 'same', strides: 2, route: 'original' },
  ];
  for (const c of inputCases) {
    const label = `x ${c.x} w ${c.w} strides ${c.strides ?? 1} pad ${JSON.stringify(c.pad)} (${c.route})`;
    it(label, async () => {
      const before = { ...inputGradRoutes };
      const info = tf.backend_util.computeConv2DInfo(c.x, c.w, c.strides ?? 1, 1, c.pad);
      await expectParity(() => {
        const w = data(c.w, 15);
        const dy = data(info.outShape, 16);
        const attrs = { strides: c.strides ?? 1, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
        return [tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor];
      }, label);
      expect(inputGradRoutes[c.route] - before[c.route]).toBe(1);
      expect(inputGradRoutes.simd + inputGradRoutes.original - before.simd - before.original).toBe(1);
    });
  }
});

describe('conv2d forward: wasm (SIMD) matches cpu', () => {
  // Conv2D and FusedConv2D share our convolution with the input gradient (unrotated filter, bias
  // and ReLU as tiles are stored) where tfjs runs one thread, as here; below 4 input channels,
  // 1x1 kernels, strides and other activations stay on the backend's original.
  type ForwardCase = ConvGeometry & {
    /** Fused: with a bias and this activation. */
    fused?: 'relu' | 'linear' | 'elu';
    route: 'simd' | 'original';
  };
  const forwardCases: ForwardCase[] = [
    { x: [16, 28, 28, 10], w: [3, 3, 10, 10], pad: 'same', fused: 'relu', route: 'simd' }, // TinyVGG's
    { x: [16, 14, 14, 32], w: [3, 3, 32, 64], pad: 'same', route: 'simd' }, // the default CNN's
    { x: [3, 9, 13, 5], w: [3, 3, 5, 7], pad: 'valid', fused: 'linear', route: 'simd' },
    { x: [2, 10, 10, 4], w: [5, 5, 4, 18], pad: 'same', fused: 'relu', route: 'simd' },
    {
      x: [2, 8, 9, 12],
      w: [3, 3, 12, 3],
      pad: [
        [0, 0],
        [2, 0],
        [0, 1],
        [0, 0],
      ],
      fused: 'relu',
      route: 'simd',
    },
    { x: [1, 7, 7, 6], w: [2, 3, 6, 1], pad: 'same', route: 'simd' },
    { x: [4, 28, 28, 1], w: [3, 3, 1, 10], pad: 'same', fused: 'relu', route: 'original' }, // a first layer
    { x: [2, 6, 6, 16], w: [1, 1, 16, 8], pad: 'valid', route: 'original' },
    { x: [3, 14, 14, 10], w: [3, 3, 10, 10], pad: 'same', strides: 2, route: 'original' },
    { x: [2, 8, 8, 8], w: [3, 3, 8, 8], pad: 'same', fused: 'elu', route: 'original' },
  ];
  for (const c of forwardCases) {
    const label = `x ${c.x} w ${c.w} strides ${c.strides ?? 1} pad ${JSON.stringify(c.pad)} ${c.fused ?? 'plain'} (${c.route})`;
    it(label, async () => {
      const before = { ...forwardConvRoutes };
      await expectParity(() => {
        const x = data(c.x, 21);
        const w = data(c.w, 22);
        const attrs = { strides: c.strides ?? 1, pad: c.pad, dataFormat: 'NHWC', dilations: 1 };
        if (c.fused == null) return [tf.engine().runKernel('Conv2D', { x, filter: w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor];
        const bias = data([c.w[3]], 23);
        const fusedAttrs = { ...attrs, activation: c.fused };
        return [tf.engine().runKernel('FusedConv2D', { x, filter: w, bias }, fusedAttrs as unknown as tf.NamedAttrMap) as tf.Tensor];
      }, label);
      expect(forwardConvRoutes[c.route] - before[c.route]).toBe(1);
      expect(forwardConvRoutes.simd + forwardConvRoutes.original - before.simd - before.original).toBe(1);
    });
  }

  it("leaves the forward pass to XNNPACK when tfjs's own pool has two threads", () => {
    // TinyVGG's layer, which takes our route on one thread (above): with a pool, the original.
    const sentinel = { dataId: {}, shape: [16, 28, 28, 10], dtype: 'float32' } as tf.TensorInfo;
    const kernel = makeConv2DWasm(() => sentinel);
    const tensor = (shape: number[]) => ({ dataId: {}, shape, dtype: 'float32' }) as tf.TensorInfo;
    const backend = { wasm: { HEAPU8: new Uint8Array(0), tfjs: { getThreadsCount: () => 2 } } };
    const before = { ...forwardConvRoutes };
    const out = kernel({
      inputs: { x: tensor([16, 28, 28, 10]), filter: tensor([3, 3, 10, 10]), bias: tensor([10]) },
      backend: backend as unknown as Parameters<typeof kernel>[0]['backend'],
      attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, activation: 'relu' },
    });
    expect(out).toBe(sentinel);
    expect(forwardConvRoutes.original - before.original).toBe(1);
    expect(forwardConvRoutes.simd - before.simd).toBe(0);
  });
});

describe('maxPool gradient: wasm (SIMD) matches cpu', () => {
  const cases: { x: [number, number, number, number]; size: number; strides: number; pad: 'same' | 'valid'; grid?: boolean }[] = [
    { x: [64, 28, 28, 16], size: 2, strides: 2, pad: 'valid' }, // the default CNN's
    { x: [64, 14, 14, 32], size: 2, strides: 2, pad: 'valid' },
    { x: [16, 28, 28, 10], size: 2, strides: 2, pad: 'valid' }, // TinyVGG's: 10 = 4 + 4 + an overlapping 4
    { x: [3, 14, 14, 10], size: 2, strides: 2, pad: 'valid', grid: true }, // ties
    { x: [2, 7, 9, 5], size: 2, strides: 2, pad: 'same' },
    { x: [1, 9, 9, 3], size: 3, strides: 2, pad: 'same' }, // C < 4: scalar lanes
    { x: [2, 6, 6, 6], size: 3, strides: 1, pad: 'valid', grid: true }, // overlapping windows, ties
    { x: [1, 5, 5, 1], size: 2, strides: 1, pad: 'same' },
  ];
  for (const c of cases) {
    const label = `x ${c.x} pool ${c.size} strides ${c.strides} ${c.pad}${c.grid ? ' (ties)' : ''}`;
    it(label, async () => {
      const before = maxPoolGradRoutes.simd;
      await expectParity(() => {
        const raw = data(c.x, 11);
        // On a coarse grid many windows hold their maximum twice: the first must win, as on cpu.
        const x = c.grid ? tf.round(raw.mul(2)).div(2) : raw;
        const f = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.size, c.strides, c.pad);
        const y = f(x);
        return [tf.grad(f)(x, data(y.shape, 12))];
      }, label);
      expect(maxPoolGradRoutes.simd - before).toBe(1);
    });
  }
});

describe('no leaks', () => {
  it('repeated input and filter gradients on wasm keep tensor and buffer counts flat', async () => {
    await tf.setBackend('wasm');
    const x = data([4, 14, 14, 10], 8);
    const w = data([3, 3, 10, 16], 9);
    const dy = data([4, 14, 14, 16], 10);
    const conv = (a: tf.Tensor, k: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, 1, 'same');
    expectNoLeaks(() => tf.dispose(tf.tidy(() => tf.grads(conv)([x, w], dy))));
    tf.dispose([x, w, dy]);
  });

  it('repeated max-pool gradients on wasm keep tensor and buffer counts flat', async () => {
    await tf.setBackend('wasm');
    const x = data([4, 14, 14, 10], 13);
    const dy = data([4, 7, 7, 10], 14);
    const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid');
    expectNoLeaks(() => tf.tidy(() => tf.grad(pool)(x, dy)).dispose());
    tf.dispose([x, dy]);
  });
});
