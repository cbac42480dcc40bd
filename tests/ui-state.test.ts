import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, recommendedConfig } from '../src/core/config.ts';
import type { Evaluation } from '../src/core/training/evaluate.ts';
import type { BatchProgress, EpochResult } from '../src/core/training/train.ts';
import {
  canTrain,
  initialPageState,
  isBusy,
  MAX_BATCH_POINTS,
  pageReducer,
  type Action,
  type PageState,
} from '../src/app/state/page-state.ts';
import type { BackendReport, DatasetSummary } from '../src/app/protocol.ts';

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

describe('pageReducer: a run', () => {
  const ready: Action[] = [
    { type: 'data-progress', progress: progress(70_000, true) },
    { type: 'data-ready', summary },
  ];

  it('folds a whole run into status, batch and epoch history and the latest evaluation', () => {
    let s = fold([...ready, { type: 'page/train', runId: 1, config: DEFAULT_CONFIG, evaluateEachEpoch: true }]);
    expect(s.run?.status).toBe('training');
    expect(isBusy(s)).toBe(true);
    expect(canTrain(s)).toBe(false);

    s = fold(
      [
        { type: 'train-start', runId: 1, config, parameters: 7740 },
        { type: 'batch', runId: 1, progress: batch(1, 2) },
        { type: 'batch', runId: 1, progress: batch(1, 4) },
        { type: 'epoch', runId: 1, result: epoch(1) },
        { type: 'evaluation', runId: 1, epoch: 1, evaluation: evaluation(0.5) },
        { type: 'batch', runId: 1, progress: batch(2, 2) },
      ],
      s,
    );
    const run = s.run!;
    expect(run.started).toBe(true);
    expect(run.config).toEqual(config);
    expect(run.parameters).toBe(7740);
    expect(run.batches).toEqual([
      { x: 0.5, loss: 0.5, accuracy: 0.5 },
      { x: 1, loss: 0.25, accuracy: 0.5 },
      { x: 1.5, loss: 0.5, accuracy: 0.5 },
    ]);
    expect(run.lastBatch).toEqual(batch(2, 2));
    expect(run.epochs).toEqual([epoch(1)]);
    expect(run.evaluation?.epoch).toBe(1);
    expect(run.evaluation?.stoppedInEpoch).toBeNull();
    expect(run.evaluations).toEqual([{ epoch: 1, accuracy: 0.5, loss: 0.3 }]);

    s = fold([{ type: 'page/stop', runId: 1 }], s);
    expect(s.run?.status).toBe('stopping');
    expect(isBusy(s)).toBe(true);

    s = fold(
      [
        { type: 'train-end', runId: 1, stopped: true, seconds: 9, imagesPerSecond: 1100 },
        // Evaluate after the Stop: the model has one whole epoch and part of the second.
        { type: 'evaluation', runId: 1, epoch: 1, evaluation: evaluation(1) },
      ],
      s,
    );
    expect(s.run?.status).toBe('done');
    expect(s.run?.end).toEqual({ stopped: true, seconds: 9, imagesPerSecond: 1100 });
    expect(s.run?.evaluation?.evaluation.accuracy).toBe(1);
    expect(s.run?.evaluation?.stoppedInEpoch).toBe(2);
    // The curve keeps epoch 1's own result: the part-epoch model is not a point of it.
    expect(s.run?.evaluations).toEqual([{ epoch: 1, accuracy: 0.5, loss: 0.3 }]);
    expect(canTrain(s)).toBe(true);
  });

  it('ignores messages of an old runId', () => {
    let s = fold([
      ...ready,
      { type: 'page/train', runId: 1, config, evaluateEachEpoch: false },
      { type: 'page/stop', runId: 1 },
      { type: 'train-end', runId: 1, stopped: true, seconds: 1, imagesPerSecond: 1 },
      { type: 'page/train', runId: 2, config: DEFAULT_CONFIG, evaluateEachEpoch: true },
      { type: 'train-start', runId: 2, config: DEFAULT_CONFIG, parameters: 1 },
    ]);
    const before = s;
    s = fold(
      [
        { type: 'train-start', runId: 1, config, parameters: 7740 },
        { type: 'batch', runId: 1, progress: batch(1, 1) },
        { type: 'epoch', runId: 1, result: epoch(1) },
        { type: 'evaluation', runId: 1, epoch: 1, evaluation: evaluation(0.5) },
        { type: 'train-end', runId: 1, stopped: false, seconds: 1, imagesPerSecond: 1 },
        { type: 'error', runId: 1, message: 'old' },
        { type: 'page/stop', runId: 1 },
      ],
      s,
    );
    expect(s).toBe(before);
    expect(s.run?.runId).toBe(2);
    expect(s.run?.status).toBe('training');
  });

  it("keeps the current run's handed-over model, and ignores an older run's", () => {
    const handOver = (runId: number): Action => ({
      type: 'trained-model',
      runId,
      config,
      epochs: 1,
      stopped: false,
      trainImages: 540,
      evaluation: { epoch: 1, accuracy: 0.8, loss: 0.5 },
      model: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) },
    });
    expect(fold([handOver(1)]).trainedModel).toBeNull();
    let s = fold([...ready, { type: 'page/train', runId: 1, config, evaluateEachEpoch: true }, handOver(1)]);
    expect(s.trainedModel?.runId).toBe(1);
    s = fold([{ type: 'train-end', runId: 1, stopped: false, seconds: 1, imagesPerSecond: 1 }, { type: 'page/train', runId: 2, config, evaluateEachEpoch: true }], s);
    // A new run does not drop the model in use until it hands over its own.
    expect(s.trainedModel?.runId).toBe(1);
    const before = s;
    expect(fold([handOver(1)], s)).toBe(before);
    expect(fold([handOver(2)], s).trainedModel?.runId).toBe(2);
  });

  it('gives a stopped run’s handed-over model the score of a later evaluation', () => {
    const unevaluated: Action = {
      type: 'trained-model',
      runId: 1,
      config,
      epochs: 0,
      stopped: true,
      trainImages: 540,
      evaluation: null,
      model: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) },
    };
    let s = fold([
      ...ready,
      { type: 'page/train', runId: 1, config, evaluateEachEpoch: true },
      { type: 'batch', runId: 1, progress: batch(1, 2) },
      { type: 'page/stop', runId: 1 },
      unevaluated,
      { type: 'train-end', runId: 1, stopped: true, seconds: 1, imagesPerSecond: 1 },
    ]);
    expect(s.trainedModel?.evaluation).toBeNull();
    s = fold([{ type: 'evaluation', runId: 1, epoch: 0, evaluation: evaluation(0.7) }], s);
    expect(s.trainedModel?.evaluation).toEqual({ epoch: 0, accuracy: 0.7, loss: 0.3 });
    expect(s.trainedModel?.model).toBe((unevaluated as { model: unknown }).model);
  });

  it('ignores run messages before any run and a second Train while one is running', () => {
    const s = fold([{ type: 'batch', runId: 5, progress: batch(1, 1) }]);
    expect(s).toBe(initialPageState);
    const running = fold([{ type: 'page/train', runId: 1, config, evaluateEachEpoch: true }]);
    expect(pageReducer(running, { type: 'page/train', runId: 2, config, evaluateEachEpoch: true })).toBe(running);
  });

  it('a run error ends the run; an error without a run id goes to the page list until dismissed', () => {
    let s = fold([
      { type: 'page/train', runId: 3, config, evaluateEachEpoch: true },
      { type: 'error', runId: 3, message: 'out of memory' },
    ]);
    expect(s.run?.status).toBe('done');
    expect(s.run?.error).toBe('out of memory');
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

  it('replaces a repeated epoch and keeps the batch history bounded', () => {
    let s = fold([
      { type: 'page/train', runId: 1, config, evaluateEachEpoch: true },
      { type: 'epoch', runId: 1, result: epoch(1) },
      { type: 'epoch', runId: 1, result: { ...epoch(1), loss: 9 } },
    ]);
    expect(s.run?.epochs.map((e) => e.loss)).toEqual([9]);
    for (let i = 1; i <= MAX_BATCH_POINTS + 10; i++) {
      s = pageReducer(s, { type: 'batch', runId: 1, progress: { ...batch(1, i), batchesPerEpoch: 10_000 } });
    }
    const xs = s.run!.batches.map((p) => p.x);
    expect(xs.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    expect(xs.at(-1)).toBeCloseTo((MAX_BATCH_POINTS + 10) / 10_000);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });
});
