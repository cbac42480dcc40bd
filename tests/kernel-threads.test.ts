/**
 * Kernel threads (src/core/kernels/threads/): our SIMD convolution gradients split a call by batch
 * over helper threads. With helpers the result must be what one thread computes, bit for bit, and
 * what the cpu backend computes; the helpers must really have run parts; and a helper that never
 * starts or never answers must cost threads, never results. No timing here (npm run bench).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNodeHelper } from '../scripts/lib/kernel-threads-node.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { batchRanges } from '../src/core/kernels/threads/batch-ranges.ts';
import {
  helperRuns,
  kernelThreadCount,
  kernelThreadStats,
  startKernelThreads,
  stopKernelThreads,
  type HelperThread,
} from '../src/core/kernels/threads/kernel-threads.ts';
import { lazySimdModules } from '../src/core/kernels/simd/simd-module.ts';
import { BOARD } from '../src/core/kernels/threads/slot.ts';
import { filterParts } from '../src/core/kernels/wasm-conv2d-backprop-filter-simd.ts';
import { compare, data, runOn, type Output } from './helpers/parity.ts';

type Shape = [number, number, number, number];
type Pad = 'same' | 'valid';

function filterGrad(x: Shape, w: Shape, pad: Pad): () => tf.Tensor[] {
  const info = tf.backend_util.computeConv2DInfo(x, w, 1, 1, pad);
  return () => {
    const attrs = { strides: 1, pad, dataFormat: 'NHWC', filterShape: w };
    return [
      tf
        .engine()
        .runKernel('Conv2DBackpropFilter', { x: data(x, 1), dy: data(info.outShape, 3) }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
    ];
  };
}

function inputGrad(x: Shape, w: Shape, pad: Pad): () => tf.Tensor[] {
  const info = tf.backend_util.computeConv2DInfo(x, w, 1, 1, pad);
  return () => {
    const attrs = { strides: 1, pad, dataFormat: 'NHWC', inputShape: x };
    return [
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy: data(info.outShape, 16), filter: data(w, 15) },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor,
    ];
  };
}

/** A helper that says it is ready and then never runs a job (a hung or lost worker). */
function silentHelper(): HelperThread {
  let listener: ((message: unknown) => void) | null = null;
  return {
    postMessage: () => queueMicrotask(() => listener?.({ ready: true })),
    onMessage: (l) => void (listener = l),
    onError: () => {},
    terminate: () => {},
  };
}

/** A helper that takes the first part it can and then blocks forever (a hung worker). */
function hangingHelperSource(): string {
  return `const BOARD = ${JSON.stringify(BOARD)};
self.onmessage = (event) => {
  const board = new Int32Array(event.data.control, 0, BOARD.ints);
  self.postMessage({ ready: true });
  let seen = Atomics.load(board, BOARD.gen);
  for (;;) {
    Atomics.wait(board, BOARD.gen, seen);
    seen = Atomics.load(board, BOARD.gen);
    const claim = Atomics.load(board, BOARD.claim);
    if ((claim & 127) < ((claim >>> 7) & 127) && Atomics.compareExchange(board, BOARD.claim, claim, claim + 1) === claim) break;
  }
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
};`;
}

const single = (o: Output[]): Float32Array => o[0].values as Float32Array;

beforeAll(async () => {
  // One tfjs thread: the helpers are ours alone, so these tests run on any machine.
  expect((await setupBackend('wasm')).backend).toBe('wasm');
  await setupBackend('cpu');
});

afterAll(async () => {
  stopKernelThreads();
  await tf.setBackend('cpu');
});

describe('batchRanges', () => {
  it('covers the batch in contiguous, non-empty runs, one per thread at most', () => {
    expect(batchRanges(64, 2)).toEqual([
      [0, 32],
      [32, 64],
    ]);
    expect(batchRanges(5, 2)).toEqual([
      [0, 2],
      [2, 5],
    ]);
    expect(batchRanges(1, 4)).toEqual([[0, 1]]);
    expect(batchRanges(7, 1)).toEqual([[0, 7]]);
    expect(batchRanges(3, 3)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });
});

describe('convolution gradients on two kernel threads', () => {
  // split: how many of the two calls are split into parts (calls under MIN_SPLIT_MACS stay on one
  // thread).
  const cases: Array<{ x: Shape; w: Shape; pad: Pad; split: number }> = [
    { x: [16, 28, 28, 10], w: [3, 3, 10, 10], pad: 'same', split: 2 }, // TinyVGG's middle layers
    { x: [11, 14, 14, 16], w: [3, 3, 16, 32], pad: 'same', split: 2 }, // odd batch: parts of 5 and 6
    { x: [3, 14, 14, 3], w: [3, 3, 3, 10], pad: 'valid', split: 0 }, // small
    { x: [1, 16, 16, 32], w: [3, 3, 32, 64], pad: 'same', split: 0 }, // one image: one part
  ];

  it('start: two threads where shared memory and workers exist', async () => {
    expect(await startKernelThreads(2, spawnNodeHelper)).toBe(2);
    for (const m of lazySimdModules) expect(kernelThreadCount(m.get()!)).toBe(2);
  });

  for (const c of cases) {
    it(`filter and input gradients, x ${c.x} w ${c.w} ${c.pad}: as on one thread, and as on cpu`, async () => {
      stopKernelThreads();
      const alone = [await runOn('wasm', filterGrad(c.x, c.w, c.pad)), await runOn('wasm', inputGrad(c.x, c.w, c.pad))];
      expect(await startKernelThreads(2, spawnNodeHelper)).toBe(2);

      // Parts go to whichever thread is free, so a helper the system wakes late may take none in
      // one call: calls repeat until the helper has taken part (never, for calls kept whole).
      const runsBefore = helperRuns()[0];
      let threaded: Output[][] = [];
      for (let call = 0; call < (c.split > 0 ? 50 : 3); call++) {
        threaded = [await runOn('wasm', filterGrad(c.x, c.w, c.pad)), await runOn('wasm', inputGrad(c.x, c.w, c.pad))];
        // Bit for bit, in every call: the parts depend on the call, not on the threads or who ran them.
        expect(single(threaded[0])).toEqual(single(alone[0]));
        expect(single(threaded[1])).toEqual(single(alone[1]));
        if (c.split > 0 && helperRuns()[0] > runsBefore) break;
      }
      if (c.split > 0) expect(helperRuns()[0]).toBeGreaterThan(runsBefore);
      else expect(helperRuns()[0]).toBe(runsBefore);

      const cpu = [await runOn('cpu', filterGrad(c.x, c.w, c.pad)), await runOn('cpu', inputGrad(c.x, c.w, c.pad))];
      compare(threaded[0], cpu[0], 'filter gradient');
      compare(threaded[1], cpu[1], 'input gradient');
      expect(single(cpu[1]).some((v) => Math.abs(v) > 1e-3)).toBe(true);
    });
  }
});

describe('any number of threads', () => {
  it('gives the same bits on one, two and three threads (the filter gradient is split the same way)', async () => {
    expect(filterParts(64 * 28 * 28 * 90 * 10)).toBe(8);
    const results: Float32Array[] = [];
    for (const threads of [1, 2, 3]) {
      expect(await startKernelThreads(threads, spawnNodeHelper)).toBe(threads);
      // TinyVGG's 28x28 layer at batch 64: eight parts, taken by one, two and three threads.
      results.push(single(await runOn('wasm', filterGrad([64, 28, 28, 10], [3, 3, 10, 10], 'same'))));
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});

describe('helpers that fail', () => {
  it('a worker that cannot start leaves one thread, and kernels still compute', async () => {
    const threads = await startKernelThreads(3, () => {
      throw new Error('no workers here');
    });
    expect(threads).toBe(1);
    const result = await runOn('wasm', filterGrad([4, 14, 14, 10], [3, 3, 10, 10], 'same'));
    compare(result, await runOn('cpu', filterGrad([4, 14, 14, 10], [3, 3, 10, 10], 'same')), 'filter gradient');
  });

  it('a helper that never wakes: the caller takes every part itself, without waiting for it', async () => {
    expect(await startKernelThreads(2, silentHelper, { partMs: 60_000 })).toBe(2);
    const shape: Shape = [12, 14, 14, 16]; // over MIN_SPLIT_MACS
    const result = await runOn('wasm', inputGrad(shape, [3, 3, 16, 32], 'same'));
    // Had the caller waited for the silent helper's share, this call would have taken a minute and
    // dropped it; it took no share, so it is still in the pool and cost nothing.
    for (const m of lazySimdModules) expect(kernelThreadCount(m.get()!)).toBe(2);
    expect(kernelThreadStats().callerParts).toBe(kernelThreadStats().parts);
    compare(result, await runOn('cpu', inputGrad(shape, [3, 3, 16, 32], 'same')), 'input gradient');
  });

  it('a helper that takes a part and never finishes it: the caller computes the part, and the helper is dropped', async () => {
    expect(await startKernelThreads(2, () => spawnNodeHelper(hangingHelperSource()), { partMs: 200 })).toBe(2);
    const shape: Shape = [64, 28, 28, 10]; // eight parts
    const expected = await runOn('cpu', filterGrad(shape, [3, 3, 10, 10], 'same'));
    // The hanging helper takes a part only if it wakes before the caller has taken them all.
    for (let call = 0; call < 50 && kernelThreadCount(lazySimdModules[0].get()!) === 2; call++) {
      compare(await runOn('wasm', filterGrad(shape, [3, 3, 10, 10], 'same')), expected, 'filter gradient');
    }
    for (const m of lazySimdModules) expect(kernelThreadCount(m.get()!)).toBe(1);
    compare(await runOn('wasm', filterGrad(shape, [3, 3, 10, 10], 'same')), expected, 'filter gradient');
  });
});
