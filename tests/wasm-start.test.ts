/**
 * The one WebAssembly start-up (src/app/backend/start-wasm.ts), in Node's environment
 * (scripts/lib/backend.ts): a number of threads is exactly that many or an error naming both
 * counts; threads without shared memory, or a count that is not a whole number, are refused
 * before anything starts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { startWasm, type WasmEnvironment } from '../src/app/backend/start-wasm.ts';
import { setupBackend } from '../scripts/lib/backend.ts';

/** An environment that must never be used: the start-up refuses before it would be. */
const unusable: WasmEnvironment = {
  wasmPaths: '/nowhere/',
  spawnHelper: () => {
    throw new Error('no helper threads here');
  },
  sharedMemory: false,
  cores: 8,
  enableThreads: () => {
    throw new Error('threads were enabled');
  },
};

describe('startWasm', () => {
  it('refuses threads without shared memory, and counts that are not whole numbers, before starting', async () => {
    await expect(startWasm(unusable, 2)).rejects.toThrow(/cross-origin-isolated page \(COOP\/COEP headers\)/);
    await expect(startWasm(unusable, 0)).rejects.toThrow(/threads must be a whole number ≥ 1, got 0/);
    await expect(startWasm(unusable, 1.5)).rejects.toThrow(/got 1\.5/);
    expect(tf.findBackend('wasm')).toBeFalsy();
  });

  it("starts exactly the threads asked for (ours and tfjs's), and says so when the backend already runs with another count", async () => {
    const info = await setupBackend('wasm', { threads: 1 });
    expect(info).toEqual({ backend: 'wasm', threads: 1, simd: true, kernelThreads: 1 });
    // tfjs starts its backend once a process: a later different count is an error, not a silent 1.
    await expect(setupBackend('wasm', { threads: 2 })).rejects.toThrow(
      'asked for 2 WASM threads, but the backend already runs with 1 in this process',
    );
    expect(await setupBackend('wasm', { threads: 1 })).toEqual(info);
    const product = tf.tidy(() => tf.matMul(tf.ones([3, 4]), tf.ones([4, 5])).sum());
    expect((await product.data())[0]).toBe(60);
    product.dispose();
  });
});
