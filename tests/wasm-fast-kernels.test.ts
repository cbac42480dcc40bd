/**
 * The faster wasm kernels (src/core/kernels/wasm-tile.ts, wasm-reduce.ts, wasm-identity.ts,
 * wasm-batch-matmul.ts) must
 * give what the reference `cpu` backend gives, on their fast paths and on the paths that fall back
 * to tfjs-backend-wasm's own kernels.
 *
 * Each case builds its inputs from a seeded PRNG, runs the same function on wasm and on cpu and
 * compares all outputs element by element: |wasm - cpu| <= TOL * max(1, |cpu|), TOL = 1e-4; integer,
 * boolean and string outputs must be equal, and shapes and dtypes must match. The harness lives in
 * tests/helpers/parity.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createModel } from '../src/core/models/zoo.ts';
import { crossEntropy } from '../src/core/training/loss.ts';
import { makeBatch } from '../src/core/data/batches.ts';
import { simplifyTile } from '../src/core/kernels/wasm-tile.ts';
import { columnSumRoutes, leadingAxesCount } from '../src/core/kernels/wasm-reduce.ts';
import { syntheticSet } from './helpers/synthetic-set.ts';
import { compare, data, expectParity, runOn, useParityBackends, type Output, expectNoLeaks } from './helpers/parity.ts';

useParityBackends();

describe('registration', () => {
  it('replaced Tile, Sum, Mean, Identity and BatchMatMul on wasm, keeping the originals’ setup', () => {
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc.name).toBe('batchMatMulWasm');
    expect(tf.getKernel('Tile', 'wasm')?.kernelFunc.name).toBe('tileWasm');
    expect(tf.getKernel('Sum', 'wasm')?.kernelFunc.name).toBe('reduceWasm');
    expect(tf.getKernel('Mean', 'wasm')?.kernelFunc.name).toBe('reduceWasm');
    expect(tf.getKernel('Identity', 'wasm')?.kernelFunc.name).toBe('identityWasm');
    // Stock Sum/Mean bind their C++ functions in setupFunc: the fallback needs it.
    expect(tf.getKernel('Sum', 'wasm')?.setupFunc).toBeTypeOf('function');
    expect(tf.getKernel('Mean', 'wasm')?.setupFunc).toBeTypeOf('function');
  });
});

describe('Tile: wasm matches cpu', () => {
  it('merges dimensions without changing the problem', () => {
    expect(simplifyTile([1, 1, 1, 16], [64, 28, 28, 1])).toEqual({ sizes: [1, 16], reps: [64 * 28 * 28, 1] });
    expect(simplifyTile([2, 3, 4], [1, 1, 5])).toEqual({ sizes: [6, 4], reps: [1, 5] });
    expect(simplifyTile([1, 1], [1, 1])).toEqual({ sizes: [1], reps: [1] });
    expect(simplifyTile([], [])).toEqual({ sizes: [1], reps: [1] });
  });

  const cases: { shape: number[]; reps: number[]; dtype?: 'int32' }[] = [
    { shape: [5], reps: [1] },
    { shape: [5], reps: [3] },
    { shape: [1], reps: [7] },
    { shape: [3, 4], reps: [2, 1] },
    { shape: [3, 4], reps: [1, 3] },
    { shape: [3, 1], reps: [2, 5] },
    { shape: [2, 3, 4], reps: [3, 1, 2] },
    { shape: [2, 1, 3], reps: [1, 4, 1] },
    { shape: [1, 1, 1, 16], reps: [8, 7, 7, 1] }, // BatchNorm's gradient
    { shape: [1, 1, 1, 5], reps: [3, 4, 2, 2] },
    { shape: [2, 3, 1, 4], reps: [2, 1, 3, 2] },
    { shape: [2, 2, 2, 2], reps: [1, 1, 1, 1] },
    { shape: [3, 2, 4, 1], reps: [1, 2, 1, 6] },
    { shape: [3, 4], reps: [2, 3], dtype: 'int32' },
    { shape: [1, 1, 1, 6], reps: [2, 3, 3, 1], dtype: 'int32' },
    { shape: [2, 3, 2], reps: [2, 1, 3], dtype: 'int32' },
  ];
  for (const c of cases) {
    const label = `${c.dtype ?? 'float32'} ${JSON.stringify(c.shape)} x ${JSON.stringify(c.reps)}`;
    it(label, async () => {
      await expectParity(() => [tf.tile(data(c.shape, 1, c.dtype), c.reps)], label);
    });
  }

  it('empty input and zero reps', async () => {
    const run = () => [tf.tile(tf.zeros([0, 3]), [2, 2]), tf.tile(data([2, 3], 2), [0, 1])];
    compare(await runOn('wasm', run), await runOn('cpu', run), 'empty');
  });

  it('bool', async () => {
    const run = () => [tf.tile(data([2, 3, 1], 3).greater(0), [2, 1, 4])];
    await expectParity(() => [...run(), tf.cast(run()[0], 'float32')], 'bool');
  });

  it('string (the stock kernel aborts on them)', async () => {
    await expectParity(
      () => [
        tf.tile(
          tf.tensor([
            ['a', 'bc'],
            ['', 'd'],
          ]),
          [2, 3],
        ),
      ],
      'string',
    );
  });

  it('gradient of tile (sums the repeats back)', async () => {
    await expectParity(() => {
      const x = data([2, 1, 3], 4);
      const f = (a: tf.Tensor) => tf.tile(a, [2, 3, 2]);
      return [tf.grad(f)(x, data([4, 3, 6], 5))];
    }, 'tile grad');
  });
});

describe('Sum and Mean: wasm matches cpu', () => {
  it('detects leading axes only', () => {
    expect(leadingAxesCount([0, 1, 2], 4)).toBe(3);
    expect(leadingAxesCount([2, 0, 1], 4)).toBe(3);
    expect(leadingAxesCount([-4, -3], 4)).toBe(2);
    expect(leadingAxesCount(0, 2)).toBe(1);
    expect(leadingAxesCount([0, 1, 2, 3], 4)).toBe(0);
    expect(leadingAxesCount([0], 1)).toBe(0);
    expect(leadingAxesCount([1, 2], 4)).toBe(0);
    expect(leadingAxesCount([0, 2], 4)).toBe(0);
  });

  const cases: { shape: number[]; axis: number | number[]; dtype?: 'int32'; label?: string }[] = [
    // fast path: leading axes
    { shape: [7, 5], axis: 0 },
    { shape: [6, 4, 3], axis: [0, 1] },
    { shape: [5, 4, 3], axis: [0] },
    { shape: [4, 6, 6, 5], axis: [0, 1, 2] },
    { shape: [4, 6, 6, 5], axis: [2, 1, 0] },
    { shape: [3, 4, 5, 2], axis: [-4, -3] },
    { shape: [7, 5], axis: 0, dtype: 'int32' },
    { shape: [3, 4, 4, 6], axis: [0, 1, 2], dtype: 'int32' },
    // fallback: the stock kernels
    { shape: [9], axis: 0, label: 'fallback' },
    { shape: [7, 5], axis: 1, label: 'fallback' },
    { shape: [4, 6, 6, 5], axis: [1, 2], label: 'fallback' },
    { shape: [4, 6, 6, 5], axis: [0, 2], label: 'fallback' },
    { shape: [4, 6, 6, 5], axis: [0, 1, 2, 3], label: 'fallback' },
    { shape: [4, 6, 5], axis: [1, 2], dtype: 'int32', label: 'fallback' },
  ];
  for (const op of ['sum', 'mean'] as const) {
    for (const c of cases) {
      for (const keepDims of [false, true]) {
        const label = `${op} ${c.dtype ?? 'float32'} ${JSON.stringify(c.shape)} axis ${JSON.stringify(c.axis)} keepDims ${keepDims}${c.label ? ` (${c.label})` : ''}`;
        it(label, async () => {
          const before = { ...columnSumRoutes };
          await expectParity(() => [tf[op](data(c.shape, 6, c.dtype), c.axis, keepDims)], label);
          // Leading axes: float32 on the SIMD module, int32 on the JS loop; others on neither.
          const route = c.label ? null : c.dtype === 'int32' ? 'js' : 'simd';
          expect(columnSumRoutes.simd - before.simd).toBe(route === 'simd' ? 1 : 0);
          expect(columnSumRoutes.js - before.js).toBe(route === 'js' ? 1 : 0);
        });
      }
    }
  }

  it('large reductions (BatchNorm statistics of a 64x28x28x16 batch) with an offset stay within 1e-4', async () => {
    await expectParity(() => {
      const x = data([64, 28, 28, 16], 7).add(3);
      const sq = tf.square(x);
      // Around 1e4, the running sums pass 2^24 early: a float32 accumulator drifts by more than 1e-4.
      const big = x.mul(10).add(1e4);
      return [
        tf.sum(x, [0, 1, 2]),
        tf.mean(x, [0, 1, 2]),
        tf.mean(sq, [0, 1, 2], true),
        ...Object.values(tf.moments(x, [0, 1, 2])),
        tf.sum(big, [0, 1, 2]),
        tf.mean(big, [0, 1, 2]),
      ];
    }, 'large');
  });

  it('bool sum (cast to int32 by the op) and empty tensors (fallback)', async () => {
    const run = () => [tf.sum(data([6, 5], 8).greater(0), 0), tf.sum(tf.zeros([0, 3]), 0), tf.sum(tf.zeros([3, 0]), 0)];
    compare(await runOn('wasm', run), await runOn('cpu', run), 'bool and empty');
  });
});

describe('BatchMatMul: wasm matches cpu', () => {
  // [a shape, b shape, transposeA, transposeB]: a Dense layer's three products, both at once,
  // rank 3 with batch 1, and a batch of 2 (the original kernel's path).
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[5, 7], [3, 7], false, true], // dx = dy · Wᵀ
    [[7, 5], [7, 3], true, false], // dW = xᵀ · dy
    [[7, 5], [3, 7], true, true],
    [[1, 33, 70], [1, 70, 17], false, false],
    [[1, 70, 33], [1, 17, 70], true, true],
    [[1, 1, 4, 6], [1, 1, 6, 2], false, false],
    [[64, 300], [300, 40], false, false], // the shapes of a real Dense layer, smaller
    [[64, 40], [300, 40], false, true],
    [[64, 300], [64, 40], true, false],
    [[2, 5, 7], [2, 7, 3], false, false],
    [[2, 7, 5], [2, 3, 7], true, true],
    [[1, 6], [6, 1], false, false],
  ];
  for (const [aShape, bShape, tA, tB] of cases) {
    const label = `${JSON.stringify(aShape)} x ${JSON.stringify(bShape)} tA=${tA} tB=${tB}`;
    it(label, async () => {
      await expectParity(() => [tf.matMul(data(aShape, 40), data(bShape, 41), tA, tB)], label);
    });
  }

  it('a Dense layer’s gradients', async () => {
    await expectParity(() => {
      const x = data([16, 50], 42);
      const w = data([50, 12], 43);
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b))))([x, w]);
      return [gx, gw];
    }, 'dense gradients');
  });

  it('empty products go to the original kernel', async () => {
    const run = () => [tf.matMul(tf.zeros([0, 3]), tf.zeros([3, 4]))];
    compare(await runOn('wasm', run), await runOn('cpu', run), 'empty');
  });
});

describe('Identity', () => {
  it('a clone outlives its source and a source outlives its clone', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const buffers = backend.numDataIds();
    const a = data([3, 4], 9);
    const expected = Array.from(await a.data());
    const b = tf.clone(a);
    const c = tf.clone(b); // Identity of an Identity
    a.dispose();
    expect(Array.from(await b.data())).toEqual(expected);
    b.dispose();
    expect(Array.from(await c.data())).toEqual(expected);
    c.dispose();
    expect(backend.numDataIds()).toBe(buffers);
  });

  it('string identity (shares the byte arrays too)', async () => {
    await expectParity(() => [tf.clone(tf.tensor(['x', 'yz']))], 'string identity');
  });
});

describe('BatchNormalization layer gradients: wasm matches cpu', () => {
  it('input, gamma and beta gradients in training mode', async () => {
    await expectParity(() => {
      const layer = tf.layers.batchNormalization({ momentum: 0.9, inputShape: [6, 6, 8] });
      const x = data([5, 6, 6, 8], 10).mul(2).add(0.5);
      layer.apply(x); // builds the weights
      layer.setWeights([data([8], 11).add(1.5), data([8], 12), tf.zeros([8]), tf.ones([8])]);
      const dy = data([5, 6, 6, 8], 13);
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const f = () => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, dy)) as tf.Scalar;
      const { value, grads } = tf.variableGrads(f, vars);
      const dx = tf.grad((a: tf.Tensor) => tf.mul(layer.apply(a, { training: true }) as tf.Tensor, dy))(x);
      const out = [value, dx, ...vars.map((v) => grads[v.name]), ...layer.getWeights().map((w) => w.clone())];
      layer.dispose();
      return out;
    }, 'batchNorm layer');
  });
});

describe("createModel('default'): a training step on wasm matches cpu", () => {
  const batch = 8;
  const run = async (backend: 'wasm' | 'cpu'): Promise<Output[]> => {
    await tf.setBackend(backend);
    // Dropout's masks follow from the model's seed (models/dropout.ts): the same on both backends.
    const model = createModel('default', 3);
    const set = syntheticSet(batch);
    const { xs, ys } = makeBatch(
      set,
      Array.from({ length: batch }, (_, i) => i),
      0,
      batch,
    );
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = () => crossEntropy(model.apply(xs, { training: true }) as tf.Tensor, ys);
    const { value, grads } = tf.variableGrads(loss, vars);
    const outs = [value, ...vars.map((v) => grads[v.name])];
    const opt = tf.train.adam(1e-3);
    for (let i = 0; i < 2; i++) tf.dispose(opt.minimize(loss, true, vars) ?? []);
    outs.push(...model.getWeights()); // incl. BatchNorm's moving statistics
    const res: Output[] = [];
    for (const t of outs) res.push({ shape: t.shape, dtype: t.dtype, values: await t.data() });
    tf.dispose([...outs.slice(0, 1 + vars.length), xs, ys]);
    opt.dispose();
    model.dispose();
    return res;
  };

  it('loss, every gradient, and the weights after 2 Adam steps, within 1e-4', async () => {
    const wasm = await run('wasm');
    const cpu = await run('cpu');
    compare(wasm, cpu, 'default model');
    expect(cpu.some((o) => Array.from(o.values as ArrayLike<number>).some((x) => Math.abs(x) > 1e-3))).toBe(true);
  }, 120_000);
});

describe('no leaks', () => {
  it('repeated tile / leading and fallback sum+mean / identity / batchNorm gradients / matMul keep counts flat', async () => {
    await tf.setBackend('wasm');
    const x = data([4, 6, 6, 5], 30);
    const gamma = tf.ones([5]);
    const beta = tf.zeros([5]);
    const step = () =>
      tf.tidy(() => {
        const f = (a: tf.Tensor, g: tf.Tensor) => {
          const { mean, variance } = tf.moments(a, [0, 1, 2]);
          const y = tf.batchNorm(a, mean, variance, beta, g, 1e-3);
          return tf.add(tf.sum(tf.mean(y, [1, 2], true)), tf.sum(tf.tile(tf.clone(g), [3])));
        };
        const [gx, gg] = tf.grads(f)([x, gamma]);
        const s = tf.tile(tf.tensor(['a']), [2]);
        const empty = tf.tile(tf.zeros([0, 2]), [2, 1]);
        const ints = tf.sum(tf.tile(tf.scalar(1, 'int32').reshape([1, 1]), [2, 2]), 0);
        const m = tf.matMul(gx.reshape([24, 30]), gx.reshape([24, 30]), true, false).sum();
        const mT = tf.matMul(gx.reshape([24, 30]), gx.reshape([24, 30]), false, true).sum();
        return gx
          .sum()
          .add(gg.sum())
          .add(ints.sum())
          .add(m)
          .add(mT)
          .add(s.size + empty.size)
          .dataSync()[0];
      });
    expectNoLeaks(step);
    tf.dispose([x, gamma, beta]);
  });
});
