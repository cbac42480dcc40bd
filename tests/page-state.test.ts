/**
 * The page's state (src/app/state/page-state.ts, run-state.ts): dataset, backend, errors, and runs
 * of one member (Train) or two (Compare) folded by the one run reducer.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, recommendedConfig, type TrainingConfig } from '../src/core/config.ts';
import type { Evaluation } from '../src/core/training/evaluate.ts';
import type { BatchProgress, EpochResult } from '../src/core/training/train.ts';
import { canTrain, initialPageState, isBusy, pageReducer, type Action, type PageState } from '../src/app/state/page-state.ts';
import { MAX_BATCH_POINTS, runTimes } from '../src/app/state/run-state.ts';
import type { BackendReport, DatasetSummary, TrainedModel } from '../src/app/protocol.ts';

const fold = (actions: Action[], from: PageState = initialPageState): PageState => actions.reduce(pageReducer, from);

const progress = (loadedImages: number, trainReady: boolean) => ({
  loadedBytes: loadedImages * 400,
  totalBytes: 70_000 * 400,
  loadedImages,
  totalImages: 70_000,
  trainReady,
});

const summary: DatasetSummary = {
  trainCount: 60_000,
  testCount: 2,
  testImages: new Uint8Array(2 * 784),
  testLabels: new Uint8Array([0, 1]),
  gallery: { perClass: 1, images: new Uint8Array(10 * 784), labels: new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) },
};

const report: BackendReport = {
  backend: 'wasm',
  renderer: 'SwiftShader',
  softwareRenderer: true,
  webglAvailable: true,
  wasmThreads: 1,
  kernelThreads: 1,
  note: 'Software renderer: WebAssembly is faster here.',
};

const batch = (epoch: number, b: number, loss = 1 / b): BatchProgress => ({
  epoch,
  epochs: 2,
  batch: b,
  batchesPerEpoch: 4,
  loss,
  accuracy: 0.5,
  imagesSeen: ((epoch - 1) * 4 + b) * 64,
  epochSeconds: (b * 64) / 1000,
  imagesPerSecond: 1000,
  etaSeconds: 3,
});

const epoch = (n: number): EpochResult => ({
  epoch: n,
  loss: 0.5 / n,
  accuracy: 0.8,
  valLoss: 0.6 / n,
  valAccuracy: 0.78,
  seconds: 2,
  imagesPerSecond: 1200,
});

const evaluation = (acc: number): Evaluation => ({
  count: 2,
  accuracy: acc,
  loss: 0.3,
  confusion: [
    [1, 0],
    [1, 0],
  ],
  report: {
    perClass: [],
    accuracy: acc,
    macroAvg: { precision: 0, recall: 0, f1: 0 },
    weightedAvg: { precision: 0, recall: 0, f1: 0 },
    total: 2,
  },
  predicted: [0, 0],
  confidence: [0.9, 0.8],
  misclassified: [{ index: 1, label: 1, predicted: 0, confidence: 0.8, trueClassProbability: 0.1 }],
});

const config = recommendedConfig('tinyvgg');

describe('pageReducer: dataset', () => {
  it('tracks progress, enables Train once the training split is in, keeps the summary', () => {
    let s = fold([{ type: 'data-progress', progress: progress(1000, false) }]);
    expect(s.dataset.progress?.loadedImages).toBe(1000);
    expect(canTrain(s)).toBe(false);
    s = pageReducer(s, { type: 'data-progress', progress: progress(60_000, true) });
    expect(canTrain(s)).toBe(true);
    s = pageReducer(s, { type: 'data-ready', summary });
    expect(s.dataset.summary).toBe(summary);
  });

  it('shows a data error and clears it on retry and on fresh progress', () => {
    let s = fold([{ type: 'data-error', file: 'train-03.png', message: 'truncated' }]);
    expect(s.dataset.error).toEqual({ file: 'train-03.png', message: 'truncated' });
    expect(pageReducer(s, { type: 'page/retry-data' }).dataset.error).toBeNull();
    s = pageReducer(s, { type: 'data-progress', progress: progress(10, false) });
    expect(s.dataset.error).toBeNull();
  });
});

describe('pageReducer: backend', () => {
  it('remembers a pending switch until the report arrives', () => {
    let s = pageReducer(initialPageState, { type: 'page/set-backend', backend: 'webgl' });
    expect(s.backendRequested).toBe('webgl');
    s = pageReducer(s, { type: 'backend', report });
    expect(s.backend).toEqual(report);
    expect(s.backendRequested).toBeNull();
  });
});

const denseConfig: TrainingConfig = { ...config, model: 'dense' };
const result = { epochs: 1, seconds: 2, imagesPerSecond: 1200 };
const trainedModel = (runId: number, member: number, evaluation: TrainedModel['evaluation'] = null): TrainedModel => ({
  runId,
  member,
  config: member === 0 && runId > 0 ? config : denseConfig,
  epochs: 1,
  stopped: false,
  trainImages: 540,
  evaluation,
  data: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) },
});
const train = (runId: number, c: TrainingConfig = config, evaluateEachEpoch = true): Action => ({
  type: 'page/run',
  runId,
  purpose: 'train',
  members: [c],
  evaluateEachEpoch,
  at: 0,
});
const compare = (runId: number): Action => ({
  type: 'page/run',
  runId,
  purpose: 'compare',
  members: [denseConfig, config],
  evaluateEachEpoch: true,
  at: 0,
});

describe('pageReducer: a run of one member (Train)', () => {
  const ready: Action[] = [
    { type: 'data-progress', progress: progress(70_000, true) },
    { type: 'data-ready', summary },
  ];

  it('folds a whole run into status, batch and epoch history and the latest evaluation', () => {
    let s = fold([...ready, train(1, DEFAULT_CONFIG)]);
    expect(s.runs.train?.status).toBe('training');
    expect(isBusy(s)).toBe(true);
    expect(canTrain(s)).toBe(false);

    s = fold(
      [
        { type: 'run-start', runId: 1, members: [{ config, parameters: 7740 }] },
        { type: 'run-batch', runId: 1, member: 0, progress: batch(1, 2), seconds: 0.128 },
        { type: 'run-batch', runId: 1, member: 0, progress: batch(1, 4), seconds: 0.256 },
        { type: 'run-epoch', runId: 1, member: 0, result: epoch(1), seconds: 2 },
        { type: 'run-evaluation', runId: 1, member: 0, epoch: 1, evaluation: evaluation(0.5) },
        { type: 'run-batch', runId: 1, member: 0, progress: batch(2, 2), seconds: 2.128 },
      ],
      s,
    );
    const run = s.runs.train!;
    const m = run.members[0];
    expect(run.started).toBe(true);
    expect(m.config).toEqual(config);
    expect(m.parameters).toBe(7740);
    expect(m.batches).toEqual([
      { epoch: 0.5, seconds: 0.128, loss: 0.5, accuracy: 0.5 },
      { epoch: 1, seconds: 0.256, loss: 0.25, accuracy: 0.5 },
      { epoch: 1.5, seconds: 2.128, loss: 0.5, accuracy: 0.5 },
    ]);
    expect(m.lastBatch).toEqual(batch(2, 2));
    expect(m.epochs).toEqual([{ ...epoch(1), trainingSeconds: 2 }]);
    expect(m.evaluation?.epoch).toBe(1);
    expect(m.evaluation?.stoppedInEpoch).toBeNull();
    expect(m.evaluations).toEqual([{ epoch: 1, accuracy: 0.5, loss: 0.3 }]);

    s = fold([{ type: 'page/stop', runId: 1 }], s);
    expect(s.runs.train?.status).toBe('stopping');
    expect(isBusy(s)).toBe(true);

    s = fold(
      [
        { type: 'run-end', runId: 1, stopped: true, members: [{ epochs: 1, seconds: 9, imagesPerSecond: 1100 }] },
        // Evaluate after the Stop: the model has one whole epoch and part of the second.
        { type: 'run-evaluation', runId: 1, member: 0, epoch: 1, evaluation: evaluation(1) },
      ],
      s,
    );
    const done = s.runs.train!;
    expect(done.status).toBe('done');
    expect(done.end).toEqual({ stopped: true });
    expect(done.members[0].result).toEqual({ epochs: 1, seconds: 9, imagesPerSecond: 1100 });
    expect(done.members[0].evaluation?.evaluation.accuracy).toBe(1);
    expect(done.members[0].evaluation?.stoppedInEpoch).toBe(2);
    // The curve keeps epoch 1's own result: the part-epoch model is not a point of it.
    expect(done.members[0].evaluations).toEqual([{ epoch: 1, accuracy: 0.5, loss: 0.3 }]);
    expect(canTrain(s)).toBe(true);
  });

  it('times a run from the click to the end it received, and the training within it', () => {
    const result = { epochs: 1, seconds: 4.4, imagesPerSecond: 1200 };
    let s = fold([...ready, { ...train(1), at: 1_000 } as Action]);
    expect(runTimes(s.runs.train!)).toEqual({ sinceClick: null, training: 0 });
    s = fold(
      [
        { type: 'run-start', runId: 1, members: [{ config, parameters: 7 }] },
        { type: 'run-end', runId: 1, stopped: false, members: [result], at: 10_400 },
      ],
      s,
    );
    // 9.4 s from the click, 4.4 of them training: whole seconds, as the page says them.
    expect(runTimes(s.runs.train!)).toEqual({ sinceClick: 9, training: 4 });
    // A compare run counts both members' training.
    s = fold(
      [
        { ...compare(2), at: 20_000 } as Action,
        { type: 'run-end', runId: 2, stopped: true, members: [result, { ...result, seconds: 7 }], at: 35_000 },
      ],
      s,
    );
    expect(runTimes(s.runs.compare!)).toEqual({ sinceClick: 15, training: 11 });
  });

  it('ignores messages of an old runId', () => {
    let s = fold([
      ...ready,
      train(1, config, false),
      { type: 'page/stop', runId: 1 },
      { type: 'run-end', runId: 1, stopped: true, members: [result] },
      train(2, DEFAULT_CONFIG),
      { type: 'run-start', runId: 2, members: [{ config: DEFAULT_CONFIG, parameters: 1 }] },
    ]);
    const before = s;
    s = fold(
      [
        { type: 'run-start', runId: 1, members: [{ config, parameters: 7740 }] },
        { type: 'run-batch', runId: 1, member: 0, progress: batch(1, 1), seconds: 1 },
        { type: 'run-epoch', runId: 1, member: 0, result: epoch(1), seconds: 1 },
        { type: 'run-evaluation', runId: 1, member: 0, epoch: 1, evaluation: evaluation(0.5) },
        { type: 'run-models', runId: 1, models: [trainedModel(1, 0)] },
        { type: 'run-end', runId: 1, stopped: false, members: [result] },
        { type: 'error', runId: 1, message: 'old' },
        { type: 'page/stop', runId: 1 },
      ],
      s,
    );
    expect(s).toBe(before);
    expect(s.runs.train?.runId).toBe(2);
    expect(s.runs.train?.status).toBe('training');
  });

  it("keeps the run's handed-over models; a new run starts without any", () => {
    let s = fold([...ready, train(1), { type: 'run-models', runId: 1, models: [trainedModel(1, 0)] }]);
    expect(s.runs.train?.models?.map((m) => m.runId)).toEqual([1]);
    s = fold([{ type: 'run-end', runId: 1, stopped: false, members: [result] }, train(2)], s);
    expect(s.runs.train?.models).toBeNull();
    expect(fold([{ type: 'run-models', runId: 2, models: [trainedModel(2, 0)] }], s).runs.train?.models?.[0].runId).toBe(2);
  });

  it('gives a stopped run’s handed-over model the score of a later evaluation', () => {
    const unevaluated = { ...trainedModel(1, 0), epochs: 0, stopped: true };
    let s = fold([
      ...ready,
      train(1),
      { type: 'run-batch', runId: 1, member: 0, progress: batch(1, 2), seconds: 1 },
      { type: 'page/stop', runId: 1 },
      { type: 'run-models', runId: 1, models: [unevaluated] },
      { type: 'run-end', runId: 1, stopped: true, members: [result] },
    ]);
    expect(s.runs.train?.models?.[0].evaluation).toBeNull();
    s = fold([{ type: 'run-evaluation', runId: 1, member: 0, epoch: 0, evaluation: evaluation(0.7) }], s);
    expect(s.runs.train?.models?.[0].evaluation).toEqual({ epoch: 0, accuracy: 0.7, loss: 0.3 });
    expect(s.runs.train?.models?.[0].data).toBe(unevaluated.data);
  });

  it('ignores run messages before any run, and a second run of either kind while one is running', () => {
    const s = fold([{ type: 'run-batch', runId: 5, member: 0, progress: batch(1, 1), seconds: 1 }]);
    expect(s).toBe(initialPageState);
    const running = fold([train(1)]);
    expect(pageReducer(running, train(2))).toBe(running);
    expect(pageReducer(running, compare(2))).toBe(running);
    const comparing = fold([compare(1)]);
    expect(pageReducer(comparing, train(2))).toBe(comparing);
  });

  it('a run error ends the run; an error without a run id goes to the page list until dismissed', () => {
    let s = fold([train(3), { type: 'error', runId: 3, message: 'out of memory' }]);
    expect(s.runs.train?.status).toBe('done');
    expect(s.runs.train?.error).toBe('out of memory');
    expect(isBusy(s)).toBe(false);
    s = fold(
      [
        { type: 'error', runId: null, message: 'WebGL lost' },
        { type: 'page/error', message: 'engine missing' },
        { type: 'error', runId: null, message: 'WebGL lost' },
      ],
      s,
    );
    expect(s.errors.map((e) => [e.message, e.count])).toEqual([
      ['WebGL lost', 2],
      ['engine missing', 1],
    ]);
    s = pageReducer(s, { type: 'page/dismiss-error', id: s.errors[0].id });
    expect(s.errors.map((e) => e.message)).toEqual(['engine missing']);
  });

  it('replaces a repeated epoch and keeps the batch history bounded, newest point last', () => {
    let s = fold([
      train(1),
      { type: 'run-epoch', runId: 1, member: 0, result: epoch(1), seconds: 2 },
      { type: 'run-epoch', runId: 1, member: 0, result: { ...epoch(1), loss: 9 }, seconds: 2 },
    ]);
    expect(s.runs.train?.members[0].epochs.map((e) => e.loss)).toEqual([9]);
    for (let i = 1; i <= MAX_BATCH_POINTS + 10; i++) {
      s = pageReducer(s, { type: 'run-batch', runId: 1, member: 0, progress: { ...batch(1, i), batchesPerEpoch: 10_000 }, seconds: i });
    }
    const xs = s.runs.train!.members[0].batches.map((p) => p.epoch);
    expect(xs.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    expect(xs.at(-1)).toBeCloseTo((MAX_BATCH_POINTS + 10) / 10_000);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });
});

describe('pageReducer: a run of two members (Compare)', () => {
  it("folds a comparison: both models' batches by epoch and by time, epochs, evaluations, models, the end", () => {
    let s = fold([compare(4)]);
    expect(isBusy(s)).toBe(true);
    expect(s.runs.compare?.members.map((m) => m.config.model)).toEqual(['dense', 'tinyvgg']);
    s = fold(
      [
        {
          type: 'run-start',
          runId: 4,
          members: [
            { config: denseConfig, parameters: 101_770 },
            { config, parameters: 7740 },
          ],
        },
        { type: 'run-batch', runId: 4, member: 0, progress: batch(1, 2), seconds: 0.5 },
        { type: 'run-batch', runId: 4, member: 0, progress: batch(1, 4), seconds: 1 },
        { type: 'run-epoch', runId: 4, member: 0, result: epoch(1), seconds: 1 },
        { type: 'run-evaluation', runId: 4, member: 0, epoch: 1, evaluation: evaluation(0.8) },
        { type: 'run-batch', runId: 4, member: 1, progress: batch(1, 4), seconds: 7 },
        { type: 'run-epoch', runId: 4, member: 1, result: epoch(1), seconds: 7 },
        { type: 'run-evaluation', runId: 4, member: 1, epoch: 1, evaluation: evaluation(0.85) },
        // A member index the run does not have: ignored.
        { type: 'run-batch', runId: 4, member: 2, progress: batch(1, 1), seconds: 1 },
      ],
      s,
    );
    const [dense, cnn] = s.runs.compare!.members;
    expect(s.runs.compare!.members).toHaveLength(2);
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

    s = fold([{ type: 'page/stop', runId: 4 }], s);
    expect(s.runs.compare?.status).toBe('stopping');
    const models = [trainedModel(4, 0), trainedModel(4, 1)];
    s = fold(
      [
        { type: 'run-models', runId: 3, models: [trainedModel(3, 0)] }, // an older run's: ignored
        { type: 'run-models', runId: 4, models },
        { type: 'run-end', runId: 4, stopped: true, members: [result, { ...result, seconds: 7 }] },
      ],
      s,
    );
    expect(s.runs.compare?.models).toBe(models);
    expect(s.runs.compare?.status).toBe('done');
    expect(s.runs.compare?.end).toEqual({ stopped: true });
    expect(s.runs.compare?.members[1].result?.seconds).toBe(7);
    expect(isBusy(s)).toBe(false);
  });

  it("keeps the Train tab's run when a comparison runs, and each takes only its own messages", () => {
    let s = fold([train(1), { type: 'run-end', runId: 1, stopped: false, members: [result] }, compare(2)]);
    expect(s.runs.train?.runId).toBe(1);
    expect(s.runs.compare?.runId).toBe(2);
    s = fold([{ type: 'run-batch', runId: 2, member: 1, progress: batch(1, 1), seconds: 1 }], s);
    expect(s.runs.compare?.members[1].batches).toHaveLength(1);
    expect(s.runs.train?.members[0].batches).toEqual([]);
  });
});
