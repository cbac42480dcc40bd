/**
 * A stand-in for the training engine, for looking at the page without training anything: it
 * answers the protocol with synthetic images and made-up but plausible runs of any number of
 * members (a single run and a comparison alike), taking turns by epoch as the engine does. Used
 * only when the URL has `?fake=1` (add `&fail=data` to see a data error and Retry).
 */
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../../core/classes.ts';
import { classificationReport, confusionMatrix, type Misclassification } from '../../core/metrics.ts';
import { Rng } from '../../core/rng.ts';
import type { TrainingConfig } from '../../core/config.ts';
import type { Evaluation } from '../../core/training/evaluate.ts';
import { MODEL_CATALOG } from '../../core/models/catalog.ts';
import type { TrainingClientLike } from '../engine-connection.ts';
import type { BackendChoice, BackendReport, DatasetSummary, MemberResult, PageToWorker, TrainedModel, WorkerToPage } from '../protocol.ts';

/** Rough silhouettes per class, as rectangles [x0, y0, x1, y1] in pixels. */
// prettier-ignore
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

export class FakeEngineClient implements TrainingClientLike {
  private listeners = new Set<(msg: WorkerToPage) => void>();
  private timers = new Set<number>();
  private backend: BackendChoice = 'wasm';
  private failData = new URLSearchParams(window.location.search).get('fail') === 'data';
  private summary: DatasetSummary | null = null;
  private active: { runId: number; stop: boolean } | null = null;

  send(msg: PageToWorker): void {
    switch (msg.type) {
      case 'load-data':
        this.loadData();
        break;
      case 'set-backend':
        this.backend = msg.backend;
        this.later(300, () => this.emit({ type: 'backend', report: this.report() }));
        break;
      case 'run':
        this.replay(msg.runId, msg.members, msg.evaluateEachEpoch);
        break;
      case 'stop':
        if (this.active?.runId === msg.runId) this.active.stop = true;
        break;
      case 'evaluate':
        this.later(400, () =>
          this.emit({ type: 'run-evaluation', runId: msg.runId, member: 0, epoch: 1, evaluation: this.evaluation(0.9, msg.runId) }),
        );
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
      kernelThreads: 2,
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

  /**
   * Replays a run: each member follows a made-up learning curve (a dense network levels off lower
   * than a CNN), members take turns by epoch, and the models it hands over are empty (nothing
   * here can classify, so the page keeps its ready-trained models answering).
   */
  private replay(runId: number, members: TrainingConfig[], evaluateEachEpoch: boolean): void {
    const run = { runId, stop: false };
    this.active = run;
    this.emit({
      type: 'run-start',
      runId,
      members: members.map((config) => ({ config, parameters: MODEL_CATALOG[config.model].parameters })),
    });
    const reportsPerEpoch = 20;
    const speed = this.backend === 'webgl' ? 2400 : 1800;
    const replays = members.map((config, member) => {
      const plateau = MODEL_CATALOG[config.model].convolutional ? 0.92 : 0.86;
      const trainImages = Math.round(config.trainSize * (1 - config.validationSplit));
      return {
        config,
        member,
        rng: new Rng(config.seed + member),
        curve: (t: number) => plateau - 0.55 * Math.exp(-2.2 * t),
        trainImages,
        batchesPerEpoch: Math.ceil(trainImages / config.batchSize),
        // A CNN trains slower than a dense network, as on a real backend.
        speed: MODEL_CATALOG[config.model].convolutional ? speed : speed * 6,
        tick: 0,
        epochs: 0,
        seconds: 0,
        epochLoss: 0,
        epochAcc: 0,
      };
    });
    type Replay = (typeof replays)[number];
    const results = (): MemberResult[] => replays.map((r) => ({ epochs: r.epochs, seconds: r.seconds, imagesPerSecond: r.speed }));
    const finish = (stopped: boolean) => {
      const models: TrainedModel[] = [];
      this.emit({ type: 'run-models', runId, models });
      this.emit({ type: 'run-end', runId, stopped, members: results() });
      if (!evaluateEachEpoch && !stopped) {
        for (const r of replays) {
          this.later(300, () =>
            this.emit({
              type: 'run-evaluation',
              runId,
              member: r.member,
              epoch: r.epochs,
              evaluation: this.evaluation(r.curve(r.epochs) - 0.01, runId + r.member),
            }),
          );
        }
      }
      if (this.active === run) this.active = null;
    };
    // One report of member `r`; returns true at the end of its epoch.
    const report = (r: Replay): boolean => {
      const { config, rng, batchesPerEpoch } = r;
      const epoch = Math.floor(r.tick / reportsPerEpoch) + 1;
      const k = (r.tick % reportsPerEpoch) + 1;
      const t = epoch - 1 + k / reportsPerEpoch;
      const acc = Math.min(0.99, r.curve(t) + 0.04 * (rng.next() - 0.5) + 0.02);
      const loss = Math.max(0.05, 1.9 * Math.exp(-2.4 * t) + 0.25 + 0.12 * (rng.next() - 0.5));
      r.epochLoss += loss;
      r.epochAcc += acc;
      const batch = Math.round((k / reportsPerEpoch) * batchesPerEpoch);
      const done = (epoch - 1) * batchesPerEpoch + batch;
      const epochSeconds = (batch * config.batchSize) / r.speed;
      this.emit({
        type: 'run-batch',
        runId,
        member: r.member,
        seconds: r.seconds + epochSeconds,
        progress: {
          epoch,
          epochs: config.epochs,
          batch,
          batchesPerEpoch,
          loss,
          accuracy: acc,
          imagesSeen: done * config.batchSize,
          epochSeconds,
          imagesPerSecond: r.speed + rng.int(200),
          etaSeconds: ((config.epochs * batchesPerEpoch - done) * config.batchSize) / r.speed,
        },
      });
      r.tick++;
      if (k < reportsPerEpoch) return false;
      const hasVal = config.validationSplit > 0;
      r.epochs = epoch;
      r.seconds += r.trainImages / r.speed;
      this.emit({
        type: 'run-epoch',
        runId,
        member: r.member,
        seconds: r.seconds,
        result: {
          epoch,
          loss: r.epochLoss / reportsPerEpoch,
          accuracy: r.epochAcc / reportsPerEpoch,
          valLoss: hasVal ? r.epochLoss / reportsPerEpoch + 0.03 : null,
          valAccuracy: hasVal ? r.curve(epoch) - 0.01 : null,
          seconds: r.trainImages / r.speed,
          imagesPerSecond: r.speed,
        },
      });
      r.epochLoss = r.epochAcc = 0;
      if (evaluateEachEpoch) {
        this.emit({
          type: 'run-evaluation',
          runId,
          member: r.member,
          epoch,
          evaluation: this.evaluation(r.curve(epoch) - 0.01, runId * 31 + epoch + r.member),
        });
      }
      return true;
    };
    let turn = 0;
    const step = () => {
      if (run.stop) return finish(true);
      const r = replays[turn];
      if (report(r)) {
        // Turns by epoch; a member that has trained all its epochs leaves the round.
        const next = replays.findIndex((x, i) => i > turn && x.epochs < x.config.epochs);
        const first = replays.findIndex((x) => x.epochs < x.config.epochs);
        if (first < 0) return finish(false);
        turn = next >= 0 ? next : first;
      }
      this.later(40, step);
    };
    this.later(300, step);
  }
}
