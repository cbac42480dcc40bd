/**
 * One "evaluate each epoch" (src/core/training/epoch-evaluation.ts), as the engine and the command
 * line use it: after each epoch when asked, else nothing until the end; at the end, the last
 * epoch's evaluation stands for the final one unless the run was stopped; the model's flip
 * averaging applies; no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/core/config.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { EpochEvaluation } from '../src/core/training/epoch-evaluation.ts';
import { evaluateModel } from '../src/core/training/evaluate.ts';
import { trainModel } from '../src/core/training/train.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { syntheticSet } from './helpers/synthetic-set.ts';

beforeAll(async () => {
  await setupBackend('wasm');
});

describe('EpochEvaluation', () => {
  it('evaluates after each epoch when asked, and reuses the last one at the end of a run that was not stopped', async () => {
    const train = syntheticSet(200);
    const test = syntheticSet(60, 7);
    const model = createModel('tinyvgg', 1);
    const tests = new EpochEvaluation(model, test, { eachEpoch: true });
    const seen: number[] = [];
    const result = await trainModel(
      model,
      train,
      validateConfig({ model: 'tinyvgg', epochs: 2, batchSize: 32, trainSize: 200, validationSplit: 0 }),
      {
        onEpoch: async (e) => {
          const after = await tests.afterEpoch(e.epoch);
          seen.push(after!.count);
        },
      },
    );
    expect(seen).toEqual([60, 60]);
    expect(tests.after(1)).toBeDefined();
    const before = tf.memory().numTensors;
    const end = await tests.atEnd(result.history.length, false);
    expect(end.fresh).toBe(false);
    expect(end.evaluation).toBe(tests.after(2));
    // It is what evaluating the model now gives: the same weights.
    expect(end.evaluation.accuracy).toBe((await evaluateModel(model, test)).accuracy);
    // A stopped run trained on after its last whole epoch: evaluated again, not filed under that epoch.
    const stopped = await tests.atEnd(2, true);
    expect(stopped.fresh).toBe(true);
    expect(tests.after(2)).toBe(end.evaluation);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('evaluates nothing after an epoch unless asked, then once at the end, with the flip averaging asked for', async () => {
    const test = syntheticSet(40, 3);
    const model = createModel('tinyvgg', 2);
    const tests = new EpochEvaluation(model, test, { eachEpoch: false, flipTest: true });
    expect(await tests.afterEpoch(1)).toBeNull();
    expect(tests.after(1)).toBeUndefined();
    const end = await tests.atEnd(1, false);
    expect(end.fresh).toBe(true);
    expect(end.evaluation.loss).toBeCloseTo((await evaluateModel(model, test, undefined, undefined, { flipTest: true })).loss, 6);
    // Asked again for the same epochs: the same evaluation, not a second one.
    expect((await tests.atEnd(1, false)).fresh).toBe(false);
    model.dispose();
  });
});
