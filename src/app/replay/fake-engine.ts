/**
 * A stand-in for the training worker, for looking at the page without training anything: it
 * answers the protocol with synthetic images and a made-up but plausible run. Used only when the
 * URL has `?fake=1` (add `&fail=data` to see a data error and Retry).
 */
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../../core/classes.ts';
import { classificationReport, confusionMatrix, type Misclassification } from '../../core/metrics.ts';
import { Rng } from '../../core/rng.ts';
import type { TrainingConfig } from '../../core/config.ts';
import type { Evaluation } from '../../core/training/evaluate.ts';
import type { TrainingClientLike } from '../engine-connection.ts';
import type { BackendChoice, BackendReport, DatasetSummary, PageToWorker, WorkerToPage } from '../protocol.ts';

/** Rough silhouettes per class, as rectangles [x0, y0, x1, y1] in pixels. */
const SHAPES: number[][][] = [
  [[8, 6, 20, 24], [3, 6, 8, 12], [20, 6, 25, 12]], // T-shirt/top
  [[8, 3, 13, 26], [15, 3, 20, 26], [8, 3, 20, 8]], // Trouser
  [[8, 5, 20, 24], [3, 6, 8, 23], [20, 6, 25, 23]], // Pullover
  [[11, 3, 17, 10], [9, 10, 19, 17], [7, 17, 21, 26]], // Dress
  [[7, 4, 21, 26], [2, 5, 7, 25], [21, 5, 26, 25]], // Coat
  [[2, 16, 26, 18], [4, 12, 8, 17], [12, 11, 15, 17], [19, 12, 23, 17]], // Sandal
  [[8, 5, 20, 25], [3, 6, 8, 20], [20, 6, 25, 20]], // Shirt
  [[2, 14, 26, 21], [5, 10, 16, 14]], // Sneaker
  [[5, 9, 23, 25], [9, 4, 11, 9], [17, 4, 19, 9], [9, 4, 19, 6]], // Bag
  [[8, 3, 17, 18], [8, 18, 26, 25]], // Ankle boot
];

/** Which classes a model confuses with which: the well-known Fashion-MNIST pairs. */
const CONFUSABLE: number[][] = [[6, 2, 3], [3], [4, 6], [4, 0], [2, 6], [7, 9], [0, 2, 4], [5, 9], [0, 6], [7, 5]];

function drawImages(labels: Uint8Array, rng: Rng): Uint8Array {
  const images = new Uint8Array(labels.length * IMAGE_PIXELS);
  for (let n = 0; n < labels.length; n++) {
    const dx = rng.int(3) - 1;
    const dy = rng.int(3) - 1;
    const tone = 140 + rng.int(100);
    for (const [x0, y0, x1, y1] of SHAPES[labels[n]]) {
      for (let y = Math.max(0, y0 + dy); y < Math.min(IMAGE_SIZE, y1 + dy); y++) {
        for (let x = Math.max(0, x0 + dx); x < Math.min(IMAGE_SIZE, x1 + dx); x++) {
          images[n * IMAGE_PIXELS + y * IMAGE_SIZE + x] = Math.min(255, tone + rng.int(50) - 25 + (y % 4 === 0 ? 20 : 0));
        }
      }
    }
  }
  return images;
}

const TEST_COUNT = 10_000;

export class FakeTrainingClient implements TrainingClientLike {
  private listeners = new Set<(msg: WorkerToPage) => void>();
  private timers = new Set<number>();
  private backend: BackendChoice = 'wasm';
  private failData = new URLSearchParams(window.location.search).get('fail') === 'data';
  private summary: DatasetSummary | null = null;
  private run: { runId: number; stop: boolean } | null = null;

  send(msg: PageToWorker): void {
    switch (msg.type) {
      case 'load-data':
        this.loadData();
        break;
      case 'set-backend':
        this.backend = msg.backend;
        this.later(300, () => this.emit({ type: 'backend', report: this.report() }));
        break;
      case 'train':
        this.train(msg.runId, msg.config, msg.evaluateEachEpoch);
        break;
      case 'stop':
        if (this.run?.runId === msg.runId) this.run.stop = true;
        break;
      case 'evaluate':
        this.later(400, () =>
          this.emit({ type: 'evaluation', runId: msg.runId, epoch: 1, evaluation: this.evaluation(0.9, msg.runId) }),
        );
        break;
      case 'compare-predict':
        this.emit({ type: 'error', runId: null, message: 'The fake engine cannot predict.' });
        break;
      case 'compare':
        this.emit({ type: 'error', runId: msg.runId, message: 'The fake engine cannot compare: open the page without ?fake=1.' });
        break;
    }
  }

  subscribe(listener: (msg: WorkerToPage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.listeners.clear();
  }

  private emit(msg: WorkerToPage): void {
    for (const l of this.listeners) l(msg);
  }

  private later(ms: number, fn: () => void): void {
    const t = window.setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private report(): BackendReport {
    return {
      backend: this.backend,
      renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
      softwareRenderer: true,
      webglAvailable: true,
      wasmThreads: 2,
      note: null,
    };
  }

  private loadData(): void {
    this.emit({ type: 'backend', report: this.report() });
    const fail = this.failData;
    this.failData = false; // Retry succeeds
    let failed = false;
    const totalBytes = 31_400_000;
    const totalImages = 70_000;
    const steps = 12;
    for (let i = 1; i <= steps; i++) {
      this.later(120 * i, () => {
        if (failed) return;
        if (fail && i === 5) {
          failed = true;
          this.emit({ type: 'data-error', file: 'train-03.png', message: 'its SHA-256 does not match the manifest' });
          return;
        }
        this.emit({
          type: 'data-progress',
          progress: {
            loadedBytes: (totalBytes * i) / steps,
            totalBytes,
            loadedImages: Math.round((totalImages * i) / steps),
            totalImages,
            trainReady: i >= 10,
          },
        });
        if (i === steps) this.emit({ type: 'data-ready', summary: this.makeSummary() });
      });
    }
  }

  private makeSummary(): DatasetSummary {
    if (this.summary) return this.summary;
    const rng = new Rng(7);
    const perClass = 6;
    const galleryLabels = new Uint8Array(NUM_CLASSES * perClass).map((_, i) => Math.floor(i / perClass));
    const testLabels = new Uint8Array(TEST_COUNT).map(() => rng.int(NUM_CLASSES));
    this.summary = {
      trainCount: 60_000,
      testCount: TEST_COUNT,
      testImages: drawImages(testLabels, rng),
      testLabels,
      gallery: { perClass, images: drawImages(galleryLabels, rng), labels: galleryLabels },
    };
    return this.summary;
  }

  private evaluation(accuracy: number, seed: number): Evaluation {
    const labels = this.makeSummary().testLabels;
    const rng = new Rng(seed * 97 + Math.round(accuracy * 1000));
    const predicted: number[] = [];
    const confidence: number[] = [];
    const mistakes: Misclassification[] = [];
    let loss = 0;
    labels.forEach((label, index) => {
      // Shirts are hard, trousers and bags easy, as on the real data.
      const difficulty = label === 6 ? 2.6 : label === 1 || label === 8 ? 0.3 : label === 2 || label === 4 ? 1.5 : 1;
      const wrong = rng.next() < (1 - accuracy) * difficulty;
      const options = CONFUSABLE[label];
      const p = wrong ? options[rng.int(options.length)] : label;
      const conf = wrong ? 0.35 + 0.64 * rng.next() : 0.6 + 0.4 * rng.next();
      predicted.push(p);
      confidence.push(conf);
      loss -= Math.log(wrong ? Math.max(1e-3, (1 - conf) / 2) : conf);
      if (wrong) mistakes.push({ index, label, predicted: p, confidence: conf, trueClassProbability: (1 - conf) / 2 });
    });
    mistakes.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
    const confusion = confusionMatrix(labels, predicted);
    const report = classificationReport(confusion);
    return {
      count: labels.length,
      accuracy: report.accuracy,
      loss: loss / labels.length,
      confusion,
      report,
      predicted,
      confidence,
      misclassified: mistakes,
    };
  }

  private train(runId: number, config: TrainingConfig, evaluateEachEpoch: boolean): void {
    const run = { runId, stop: false };
    this.run = run;
    const parameters = { dense: 101_770, tinyvgg: 7_740, 'keras-cnn': 423_338, compact: 30_074, default: 52_000, 'dense-wide': 426_130 }[
      config.model
    ];
    this.emit({ type: 'train-start', runId, config, parameters });
    const trainImages = Math.round(config.trainSize * (1 - config.validationSplit));
    const batchesPerEpoch = Math.ceil(trainImages / config.batchSize);
    const reportsPerEpoch = 40;
    const rng = new Rng(config.seed);
    const speed = this.backend === 'webgl' ? 2400 : 1800;
    const curve = (t: number) => 0.92 - 0.55 * Math.exp(-2.2 * t);
    let tick = 0;
    let epochLoss = 0;
    let epochAcc = 0;
    const started = performance.now();
    const finish = (stopped: boolean, epochsDone: number) => {
      const seconds = (performance.now() - started) / 1000;
      this.emit({ type: 'train-end', runId, stopped, seconds, imagesPerSecond: speed });
      if (!evaluateEachEpoch && epochsDone > 0) {
        this.later(300, () =>
          this.emit({ type: 'evaluation', runId, epoch: epochsDone, evaluation: this.evaluation(curve(epochsDone) - 0.01, runId) }),
        );
      }
      if (this.run === run) this.run = null;
    };
    const step = () => {
      const epoch = Math.floor(tick / reportsPerEpoch) + 1;
      const r = (tick % reportsPerEpoch) + 1;
      if (run.stop) return finish(true, epoch - 1);
      const t = epoch - 1 + r / reportsPerEpoch;
      const acc = Math.min(0.99, curve(t) + 0.04 * (rng.next() - 0.5) + 0.02);
      const loss = Math.max(0.05, 1.9 * Math.exp(-2.4 * t) + 0.25 + 0.12 * (rng.next() - 0.5));
      epochLoss += loss;
      epochAcc += acc;
      const batch = Math.round((r / reportsPerEpoch) * batchesPerEpoch);
      const imagesSeen = ((epoch - 1) * batchesPerEpoch + batch) * config.batchSize;
      const remaining = (config.epochs * batchesPerEpoch - ((epoch - 1) * batchesPerEpoch + batch)) * config.batchSize;
      this.emit({
        type: 'batch',
        runId,
        progress: {
          epoch,
          epochs: config.epochs,
          batch,
          batchesPerEpoch,
          loss,
          accuracy: acc,
          imagesSeen,
          epochSeconds: (batch * config.batchSize) / speed,
          imagesPerSecond: speed + rng.int(200),
          etaSeconds: remaining / speed,
        },
      });
      tick++;
      if (r === reportsPerEpoch) {
        const hasVal = config.validationSplit > 0;
        this.emit({
          type: 'epoch',
          runId,
          result: {
            epoch,
            loss: epochLoss / reportsPerEpoch,
            accuracy: epochAcc / reportsPerEpoch,
            valLoss: hasVal ? epochLoss / reportsPerEpoch + 0.03 : null,
            valAccuracy: hasVal ? curve(epoch) - 0.01 : null,
            seconds: trainImages / speed,
            imagesPerSecond: speed,
          },
        });
        epochLoss = epochAcc = 0;
        if (evaluateEachEpoch) {
          this.emit({ type: 'evaluation', runId, epoch, evaluation: this.evaluation(curve(epoch) - 0.01, runId * 31 + epoch) });
        }
        if (epoch === config.epochs) return finish(false, epoch);
      }
      this.later(40, step);
    };
    this.later(300, step);
  }
}
