import { describe, expect, it } from 'vitest';
import { recommendedConfig } from '../src/core/config.ts';
import type { Evaluation } from '../src/core/training/evaluate.ts';
import type { BatchProgress, EpochResult } from '../src/core/training/train.ts';
import {
  compareReducer,
  initialCompareState,
  isComparing,
  MAX_COMPARE_POINTS,
  type CompareAction,
  type CompareState,
} from '../src/app/state/compare-state.ts';
import { initialPageState, pageReducer } from '../src/app/state/page-state.ts';
import type { WorkerToPage } from '../src/app/protocol.ts';

type Action = WorkerToPage | CompareAction;
const fold = (actions: Action[], from: CompareState = initialCompareState): CompareState => actions.reduce(compareReducer, from);

const config = recommendedConfig('tinyvgg');
const models = { dense: 'dense', cnn: 'tinyvgg' } as const;

const batch = (epoch: number, b: number): BatchProgress => ({
  epoch,
  epochs: 2,
  batch: b,
  batchesPerEpoch: 4,
  loss: 1 / b,
  accuracy: 0.5,
  imagesSeen: ((epoch - 1) * 4 + b) * 64,
  epochSeconds: (b * 64) / 1000,
  imagesPerSecond: 1000,
  etaSeconds: 3,
});
const epoch = (n: number): EpochResult => ({ epoch: n, loss: 0.5, accuracy: 0.8, valLoss: 0.6, valAccuracy: 0.78, seconds: 2, imagesPerSecond: 1200 });
const evaluation = (accuracy: number): Evaluation => ({
  count: 1,
  accuracy,
  loss: 0.3,
  confusion: [[1]],
  report: { perClass: [], accuracy, macroAvg: { precision: 0, recall: 0, f1: 0 }, weightedAvg: { precision: 0, recall: 0, f1: 0 }, total: 1 },
  predicted: [0],
  confidence: [0.9],
  misclassified: [],
});
const result = { epochs: 1, seconds: 2, imagesPerSecond: 1200 };

describe('compareReducer', () => {
  it('folds a comparison: both models\' batches by epoch and by time, epochs, evaluations, the end', () => {
    let s = fold([{ type: 'page/compare', runId: 4, config, models }]);
    expect(isComparing(s)).toBe(true);
    expect(s.run?.members.dense.model).toBe('dense');
    s = fold(
      [
        { type: 'compare-start', runId: 4, config, models: { dense: { model: 'dense', parameters: 101_770 }, cnn: { model: 'tinyvgg', parameters: 7740 } } },
        { type: 'compare-batch', runId: 4, member: 'dense', progress: batch(1, 2), seconds: 0.5 },
        { type: 'compare-batch', runId: 4, member: 'dense', progress: batch(1, 4), seconds: 1 },
        { type: 'compare-epoch', runId: 4, member: 'dense', result: epoch(1), seconds: 1 },
        { type: 'compare-evaluation', runId: 4, member: 'dense', epoch: 1, evaluation: evaluation(0.8) },
        { type: 'compare-batch', runId: 4, member: 'cnn', progress: batch(1, 4), seconds: 7 },
        { type: 'compare-epoch', runId: 4, member: 'cnn', result: epoch(1), seconds: 7 },
        { type: 'compare-evaluation', runId: 4, member: 'cnn', epoch: 1, evaluation: evaluation(0.85) },
      ],
      s,
    );
    const { dense, cnn } = s.run!.members;
    expect(s.run!.started).toBe(true);
    expect([dense.parameters, cnn.parameters]).toEqual([101_770, 7740]);
    expect(dense.batches).toEqual([
      { epoch: 0.5, seconds: 0.5, loss: 0.5, accuracy: 0.5 },
      { epoch: 1, seconds: 1, loss: 0.25, accuracy: 0.5 },
    ]);
    expect(cnn.batches).toEqual([{ epoch: 1, seconds: 7, loss: 0.25, accuracy: 0.5 }]);
    expect(dense.epochs).toEqual([{ ...epoch(1), trainingSeconds: 1 }]);
    expect(cnn.epochs[0].trainingSeconds).toBe(7);
    expect(dense.evaluation?.evaluation.accuracy).toBe(0.8);
    expect(cnn.evaluations).toEqual([{ epoch: 1, accuracy: 0.85, loss: 0.3 }]);

    s = fold([{ type: 'page/compare-stop', runId: 4 }], s);
    expect(s.run?.status).toBe('stopping');
    expect(isComparing(s)).toBe(true);
    const data = { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) };
    const trained = { dense: { model: 'dense', data }, cnn: { model: 'tinyvgg', data } } as const;
    s = fold(
      [
        { type: 'compare-models', runId: 3, models: trained }, // an older comparison's: ignored
        { type: 'compare-models', runId: 4, models: trained },
        { type: 'compare-end', runId: 4, stopped: true, results: { dense: result, cnn: { ...result, seconds: 7 } } },
      ],
      s,
    );
    expect(s.run?.trained).toBe(trained);
    expect(s.run?.status).toBe('done');
    expect(s.run?.end).toEqual({ stopped: true });
    expect(s.run?.members.cnn.result?.seconds).toBe(7);
    expect(isComparing(s)).toBe(false);
  });

  it('ignores other runs (an old comparison, a single run) and a second Compare while one runs', () => {
    const running = fold([{ type: 'page/compare', runId: 2, config, models }]);
    expect(compareReducer(running, { type: 'page/compare', runId: 3, config, models })).toBe(running);
    const late: Action[] = [
      { type: 'compare-batch', runId: 1, member: 'cnn', progress: batch(1, 1), seconds: 1 },
      { type: 'compare-end', runId: 1, stopped: false, results: { dense: result, cnn: result } },
      { type: 'error', runId: 1, message: 'old' },
      { type: 'error', runId: null, message: 'not a run error' },
      { type: 'train-start', runId: 2, config, parameters: 1 },
      { type: 'page/compare-stop', runId: 1 },
    ];
    expect(fold(late, running)).toBe(running);
    expect(fold(late)).toBe(initialCompareState);
  });

  it('a run error ends the comparison, so Compare works again', () => {
    const s = fold([
      { type: 'page/compare', runId: 5, config, models },
      { type: 'error', runId: 5, message: 'out of memory' },
    ]);
    expect(s.run?.status).toBe('done');
    expect(s.run?.error).toBe('out of memory');
    expect(isComparing(s)).toBe(false);
  });

  it('keeps each model\'s batch history bounded, newest point last', () => {
    let s = fold([{ type: 'page/compare', runId: 1, config, models }]);
    for (let i = 1; i <= MAX_COMPARE_POINTS + 5; i++) {
      s = compareReducer(s, { type: 'compare-batch', runId: 1, member: 'dense', progress: { ...batch(1, i), batchesPerEpoch: 10_000 }, seconds: i });
    }
    const points = s.run!.members.dense.batches;
    expect(points.length).toBeLessThanOrEqual(MAX_COMPARE_POINTS);
    expect(points.at(-1)?.seconds).toBe(MAX_COMPARE_POINTS + 5);
    expect(s.run!.members.cnn.batches).toEqual([]);
  });

  it('leaves the single-run page state alone', () => {
    const actions: WorkerToPage[] = [
      { type: 'compare-start', runId: 1, config, models: { dense: { model: 'dense', parameters: 1 }, cnn: { model: 'tinyvgg', parameters: 1 } } },
      { type: 'compare-batch', runId: 1, member: 'dense', progress: batch(1, 1), seconds: 1 },
      { type: 'compare-end', runId: 1, stopped: false, results: { dense: result, cnn: result } },
    ];
    expect(actions.reduce(pageReducer, initialPageState)).toBe(initialPageState);
  });
});
