/**
 * A run that has gone wrong is named as such (src/core/training/divergence.ts): the loss not a
 * number, or accuracy at chance after a whole epoch. A real learning rate of 10 gets there; a
 * sound run does not; and the page's run state keeps the first such sentence per member.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/core/config.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { divergence } from '../src/core/training/divergence.ts';
import { trainModel, type EpochResult } from '../src/core/training/train.ts';
import { newRun, runReducer } from '../src/app/state/run-state.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { syntheticSet } from './helpers/synthetic-set.ts';

const epoch = (overrides: Partial<EpochResult>): EpochResult => ({
  epoch: 1,
  loss: 0.5,
  accuracy: 0.8,
  valLoss: 0.6,
  valAccuracy: 0.78,
  seconds: 1,
  imagesPerSecond: 100,
  ...overrides,
});

describe('divergence', () => {
  beforeAll(async () => {
    await setupBackend('wasm');
  });

  it('names a loss that is not a number and accuracy at chance; a sound epoch is fine', () => {
    expect(divergence(epoch({}), 100)).toBeNull();
    expect(divergence(epoch({ loss: NaN }), 100)).toMatch(/^the loss is NaN after epoch 1/);
    expect(divergence(epoch({ valLoss: Infinity }), 100)).toMatch(/diverged/);
    expect(divergence(epoch({ loss: 10.19, accuracy: 0.12, valAccuracy: 0.2 }), 100)).toMatch(
      /^the loss is 10\.19 after epoch 1, far worse than the 2\.30 of guessing/,
    );
    expect(divergence(epoch({ accuracy: 0.1, valAccuracy: 0.095 }), 100)).toMatch(
      /^validation accuracy is 9\.5% after epoch 1, no better than guessing/,
    );
    expect(divergence(epoch({ accuracy: 0.11, valAccuracy: null, valLoss: null }), 100)).toMatch(/^training accuracy is 11\.0%/);
    // At chance after a handful of steps: the run has barely started, not diverged.
    expect(divergence(epoch({ accuracy: 0.1, valAccuracy: 0.095 }), 3)).toBeNull();
    // Slow but learning: above chance.
    expect(divergence(epoch({ accuracy: 0.2, valAccuracy: 0.18 }), 100)).toBeNull();
  });

  it('a learning rate of 10 diverges; 0.01 on the same data does not', async () => {
    const set = syntheticSet(300);
    const results: Record<string, EpochResult[]> = {};
    for (const learningRate of [10, 0.01]) {
      const config = validateConfig({
        model: 'dense',
        epochs: 2,
        batchSize: 32,
        trainSize: 300,
        validationSplit: 0.2,
        learningRate,
        seed: 2,
      });
      const model = createModel('dense', 2);
      results[learningRate] = (await trainModel(model, set, config)).history;
      model.dispose();
    }
    expect(results[10].map((r) => divergence(r, r.epoch * 8)).some((d) => d !== null)).toBe(true);
    expect(results[0.01].map((r) => divergence(r, r.epoch * 8))).toEqual([null, null]);
  });

  it("the page's run state keeps each member's first divergence", () => {
    const config = validateConfig({ model: 'dense' });
    let run = newRun({ type: 'page/run', runId: 1, purpose: 'compare', members: [config, config], evaluateEachEpoch: true, at: 0 });
    run = runReducer(run, { type: 'run-epoch', runId: 1, member: 1, result: epoch({ loss: NaN }), seconds: 1 });
    run = runReducer(run, {
      type: 'run-epoch',
      runId: 1,
      member: 1,
      result: epoch({ epoch: 2, accuracy: 0.1, valAccuracy: 0.1 }),
      seconds: 2,
    });
    run = runReducer(run, { type: 'run-epoch', runId: 1, member: 0, result: epoch({}), seconds: 1 });
    expect(run.members[0].diverged).toBeNull();
    expect(run.members[1].diverged).toMatch(/^the loss is NaN after epoch 1/);
  });
});
