/**
 * Shared wasm-vs-cpu parity harness for the wasm kernel tests.
 *
 * Each case builds its inputs from a seeded PRNG (`data`), runs the same function on wasm and on
 * the reference `cpu` backend (`runOn`) and compares all outputs element by element: float32
 * outputs must satisfy |wasm - cpu| <= TOL * max(1, |cpu|) with TOL = 1e-4 (absolute for small
 * values, relative where sums over many products make values large); int32, bool and string
 * outputs must be equal; shapes and dtypes must match. Call `useParityBackends()` once at the top
 * level of a test file to set up both backends.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect } from 'vitest';
import { setupBackend } from '../../scripts/lib/backend.ts';
import { Rng } from '../../src/core/rng.ts';

export const TOL = 1e-4;

/** Uniform values in [0, 1), the same sequence every run: the core's own generator. */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** Uniform values in [-1, 1) (float32) or integers in [-50, 50) (int32), deterministic per seed. */
export function data(shape: number[], seed: number, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'int32')
    return tf.tensor(
      Int32Array.from({ length: n }, () => Math.floor(r() * 100) - 50),
      shape,
      'int32',
    );
  return tf.tensor(
    Float32Array.from({ length: n }, () => r() * 2 - 1),
    shape,
  );
}

export interface Output {
  shape: number[];
  dtype: tf.DataType;
  values: ArrayLike<number> | string[];
}

/** Runs `fn` inside tf.tidy on `backend` and reads back every output's shape, dtype and values. */
export async function runOn(backend: 'wasm' | 'cpu', fn: () => tf.Tensor[]): Promise<Output[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(fn);
  const res: Output[] = [];
  for (const t of outs) {
    const values = t.dtype === 'string' ? ((await t.array()) as unknown as string[]).flat(Infinity) : await t.data();
    res.push({ shape: t.shape, dtype: t.dtype, values: values as Output['values'] });
  }
  tf.dispose(outs);
  return res;
}

/**
 * Largest violation of the tolerance (`a` = wasm, `b` = cpu), as a ratio: <= 1 means every element
 * is within |a - b| <= tol * max(1, |b|). NaN anywhere counts as an infinite violation.
 */
export function worst(a: ArrayLike<number>, b: ArrayLike<number>, tol = TOL): { ratio: number; index: number; a: number; b: number } {
  let ratio = 0;
  let index = -1;
  for (let i = 0; i < b.length; i++) {
    const r = Math.abs(a[i] - b[i]) / (tol * Math.max(1, Math.abs(b[i])));
    if (!(r <= ratio)) {
      ratio = Number.isNaN(r) ? Infinity : r; // `!(<=)` also catches NaN
      index = i;
    }
  }
  return { ratio, index, a: a[index], b: b[index] };
}

/** Same output count, shapes, dtypes and sizes; float32 within TOL, every other dtype exactly equal. */
export function compare(wasm: Output[], cpu: Output[], label: string): void {
  expect(wasm.length, `${label}: outputs`).toBe(cpu.length);
  for (let k = 0; k < cpu.length; k++) {
    const w = wasm[k];
    const c = cpu[k];
    expect(w.shape, `${label} output ${k} shape`).toEqual(c.shape);
    expect(w.dtype, `${label} output ${k} dtype`).toBe(c.dtype);
    expect(w.values.length, `${label} output ${k} size`).toBe(c.values.length);
    if (c.dtype === 'float32') {
      const v = worst(w.values as ArrayLike<number>, c.values as ArrayLike<number>);
      expect(v.ratio, `${label} output ${k}: wasm ${v.a} vs cpu ${v.b} at ${v.index}`).toBeLessThanOrEqual(1);
    } else {
      expect(Array.from(w.values as ArrayLike<unknown>), `${label} output ${k}`).toEqual(Array.from(c.values as ArrayLike<unknown>));
    }
  }
}

/** Runs `fn` on wasm and on cpu, `compare`s the outputs and rejects a vacuous (all-near-zero) pass. */
export async function expectParity(fn: () => tf.Tensor[], label: string): Promise<void> {
  const wasm = await runOn('wasm', fn);
  const cpu = await runOn('cpu', fn);
  compare(wasm, cpu, label);
  // Guard against a vacuous pass (all-zero outputs agree trivially).
  const nonTrivial = cpu.some((o) => o.dtype === 'string' || Array.from(o.values as ArrayLike<number>).some((x) => Math.abs(x) > 1e-3));
  expect(nonTrivial, `${label}: non-trivial`).toBe(true);
}

/** Registers beforeAll/afterAll hooks: set up wasm (must succeed) and cpu, and end on cpu. */
export function useParityBackends(): void {
  beforeAll(async () => {
    const info = await setupBackend('wasm');
    expect(info.backend).toBe('wasm');
    await setupBackend('cpu');
  });

  afterAll(async () => {
    await tf.setBackend('cpu');
  });
}

/**
 * Runs `step` once to warm caches, then five more times on the current backend: the engine's
 * tensor count and the backend's own buffer count must not move.
 */
export function expectNoLeaks(step: () => unknown): void {
  const backend = tf.backend() as unknown as { numDataIds(): number };
  step();
  const tensors = tf.memory().numTensors;
  const buffers = backend.numDataIds();
  for (let i = 0; i < 5; i++) step();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(backend.numDataIds()).toBe(buffers);
}
