/**
 * The training engine: answers every PageToWorker message with WorkerToPage messages through
 * `post`. The worker entry and the main-thread fallback both run this same handler, so the page
 * cannot tell them apart except by speed.
 *
 * One run at a time; the model of the last run stays for 'evaluate' until the next
 * 'train' replaces (and disposes) it. Likewise the two models of the last 'compare' stay for
 * 'compare-predict' until the next 'compare' replaces them; the two kinds of run leave each
 * other's models alone.
 */
import type * as tf from '@tensorflow/tfjs';
import { COMPARE_MEMBERS, validateCompareModels, type CompareMember } from '../core/compare.ts';
import { validateConfig, type TrainingConfig } from '../core/config.ts';
import { createModel } from '../core/models/zoo.ts';
import type { ModelName } from '../core/models/catalog.ts';
import { StoppedError, type StopSignal } from '../core/signal.ts';
import { evaluateModel } from '../core/training/evaluate.ts';
import { predictImages } from '../core/training/predict.ts';
import { trainSideBySide } from '../core/training/side-by-side.ts';
import { trainModel } from '../core/training/train.ts';
import { IMAGE_PIXELS } from '../core/classes.ts';
import { modelToData } from '../core/model-check.ts';
import { DatasetFileError, loadDataset, type LoadedDataset } from './data/load-dataset.ts';
import { discardWebgl, selectBackend, watchContextLoss, webglContextLost } from './backend/select-backend.ts';
import { summarize, summaryTransfer } from './data/dataset-summary.ts';
import type { BackendChoice, BackendReport, CompareMemberResult, PageToWorker, TrainedModelMessage, WorkerToPage } from './protocol.ts';

export type Post = (message: WorkerToPage, transfer?: Transferable[]) => void;

/** 'batch' messages at most this often (ms): the page charts them, more would only cost repaints. */
const BATCH_INTERVAL_MS = 100;

const CONTEXT_LOST =
  'The WebGL context was lost (the GPU was reset or ran out of memory), and the model on it with it. ' +
  'Switched to WebAssembly: press Train to start again.';

interface CurrentModel {
  model: tf.LayersModel;
  runId: number;
  /** Whole epochs trained (a stopped run may have trained part of one more). */
  epochs: number;
  /** The latest evaluation on the test set, handed to the page with the model. */
  evaluation?: TrainedModelMessage['evaluation'];
}

export class Engine {
  private backend: Promise<BackendReport>;
  private data: { baseUrl: string; set: LoadedDataset } | null = null;
  private loading = false;
  private run: { runId: number; controller: AbortController } | null = null;
  private current: CurrentModel | null = null;
  /** The two models of the last comparison, for 'compare-predict'. */
  private compared: { runId: number; models: Record<CompareMember, tf.LayersModel> } | null = null;
  private evaluating = false;

  constructor(private post: Post) {
    this.backend = this.startBackend(null);
  }

  /** Handles one message; never throws (failures become 'error' or 'data-error' messages). */
  handle(message: PageToWorker): void {
    this.dispatch(message).catch((error: unknown) => {
      const runId = 'runId' in message ? message.runId : null;
      this.post({ type: 'error', runId, message: describe(error) });
    });
  }

  private async dispatch(message: PageToWorker): Promise<void> {
    switch (message.type) {
      case 'load-data':
        return this.loadData(message.baseUrl);
      case 'set-backend':
        return this.setBackend(message.backend);
      case 'train':
        return this.train(message.runId, message.config, message.evaluateEachEpoch);
      case 'stop':
        if (this.run?.runId === message.runId) this.run.controller.abort();
        return;
      case 'evaluate':
        return this.evaluate();
      case 'compare':
        return this.compare(message.runId, message.config, message.models);
      case 'compare-predict':
        return this.comparePredict(message.requestId, message.member, message.images);
    }
  }

  private startBackend(choice: BackendChoice | null, note?: string): Promise<BackendReport> {
    const started = selectBackend(choice).then((report) => {
      const final = note ? { ...report, note: [note, report.note].filter(Boolean).join('; ') } : report;
      this.post({ type: 'backend', report: final });
      return final;
    });
    // A later switch waits for this one; a failure here must not poison it.
    return started.catch((error: unknown) => {
      this.post({ type: 'error', runId: null, message: `No tfjs backend could start: ${describe(error)}` });
      throw error;
    });
  }

  private async setBackend(choice: BackendChoice): Promise<void> {
    if (this.run) {
      this.post({ type: 'error', runId: this.run.runId, message: 'The backend cannot change while training runs: stop first.' });
      return;
    }
    // Tensors of the current model move to the new backend when next used (tfjs moves data lazily).
    const previous = this.backend;
    this.backend = previous.catch(() => null).then(() => this.startBackend(choice));
    await this.backend;
  }

  private async loadData(baseUrl: string): Promise<void> {
    if (this.data?.baseUrl === baseUrl) {
      this.postReady(this.data.set);
      return;
    }
    if (this.loading) return; // the load under way answers this request too
    this.loading = true;
    try {
      const set = await loadDataset(baseUrl, {
        onProgress: (progress) => this.post({ type: 'data-progress', progress }),
      });
      this.data = { baseUrl, set };
      this.postReady(set);
    } catch (error) {
      const file = error instanceof DatasetFileError ? error.file : null;
      this.post({ type: 'data-error', file, message: describe(error) });
    } finally {
      this.loading = false;
    }
  }

  private postReady(set: LoadedDataset): void {
    const summary = summarize(set.train, set.test);
    this.post({ type: 'data-ready', summary }, summaryTransfer(summary));
  }

  /** The data a new run trains on, or null (after saying why) while a run goes on or data is missing. */
  private startable(runId: number): LoadedDataset | null {
    if (this.run) {
      this.post({ type: 'error', runId, message: `Training is already running (run ${this.run.runId}): stop it first.` });
      return null;
    }
    if (!this.data) {
      this.post({ type: 'error', runId, message: 'The training images are not loaded yet.' });
      return null;
    }
    return this.data.set;
  }

  private async train(runId: number, rawConfig: unknown, evaluateEachEpoch: boolean): Promise<void> {
    const set = this.startable(runId);
    if (!set) return;
    const config = validateConfig(rawConfig);
    const controller = new AbortController();
    const { train, test } = set;
    this.run = { runId, controller };
    let guard: ContextLossGuard | null = null;
    try {
      await this.backend;
      this.disposeModel();
      const model = createModel(config.model, config.seed, { dropout: config.dropout });
      const current: CurrentModel = { model, runId, epochs: 0 };
      this.current = current;
      this.post({ type: 'train-start', runId, config, parameters: model.countParams() });
      const context = (guard = new ContextLossGuard(controller));

      let lastBatch = -Infinity;
      const training = trainModel(model, train, config, {
        signal: controller.signal,
        onBatch: (progress) => {
          if (context.isLost) return;
          const t = performance.now();
          if (t - lastBatch < BATCH_INTERVAL_MS && progress.batch !== progress.batchesPerEpoch) return;
          lastBatch = t;
          this.post({ type: 'batch', runId, progress });
        },
        onEpoch: async (result) => {
          if (context.isLost) throw new ContextLostError();
          current.epochs = result.epoch;
          this.post({ type: 'epoch', runId, result });
          if (evaluateEachEpoch) await this.postEvaluation(current, test, controller.signal);
        },
      });
      const result = await context.race(training);
      if (!result.stopped && !evaluateEachEpoch) await this.postEvaluation(current, test, controller.signal);
      await this.postTrainedModel(current, config, result.stopped, result.trainImages);
      this.post({ type: 'train-end', runId, stopped: result.stopped, seconds: result.seconds, imagesPerSecond: result.imagesPerSecond });
    } catch (error) {
      if (guard?.isLost || error instanceof ContextLostError || webglContextLost()) this.recoverFromContextLoss(runId);
      else this.post({ type: 'error', runId, message: `Training failed: ${describe(error)}` });
      // Every 'train-start' gets its 'train-end', so the page always leaves its training state.
      this.post({ type: 'train-end', runId, stopped: true, seconds: 0, imagesPerSecond: 0 });
    } finally {
      guard?.dispose();
      this.run = null;
    }
  }

  /** Evaluates `current` on the test set; a Stop during it skips the message. */
  private async postEvaluation(current: CurrentModel, test: LoadedDataset['test'], signal?: StopSignal): Promise<void> {
    try {
      const evaluation = await evaluateModel(current.model, test, undefined, signal);
      current.evaluation = { epoch: current.epochs, accuracy: evaluation.accuracy, loss: evaluation.loss };
      this.post({ type: 'evaluation', runId: current.runId, epoch: current.epochs, evaluation });
    } catch (error) {
      if (!(error instanceof StoppedError)) throw error;
    }
  }

  private async evaluate(): Promise<void> {
    const current = this.current;
    if (!current || !this.data) {
      this.post({ type: 'error', runId: null, message: 'There is no trained model to evaluate yet: train one first.' });
      return;
    }
    if (this.run) {
      this.post({ type: 'error', runId: this.run.runId, message: 'Training is running: it evaluates on its own.' });
      return;
    }
    if (this.evaluating) return; // the evaluation under way answers this request too
    this.evaluating = true;
    try {
      await this.backend;
      await this.postEvaluation(current, this.data.set.test);
    } finally {
      this.evaluating = false;
    }
  }

  /**
   * Hands the run's model to the page as plain data (topology, weight specs, one transferred
   * buffer), once per run at its end: the page classifies with it, keeps it and exports it.
   * A failure here costs the page its copy, not the run.
   */
  private async postTrainedModel(current: CurrentModel, config: TrainedModelMessage['config'], stopped: boolean, trainImages: number): Promise<void> {
    try {
      const model = await modelToData(current.model);
      const message: TrainedModelMessage = {
        type: 'trained-model',
        runId: current.runId,
        config,
        epochs: current.epochs,
        stopped,
        trainImages,
        evaluation: current.evaluation ?? null,
        model,
      };
      this.post(message, [model.weightData]);
    } catch (error) {
      this.post({ type: 'error', runId: null, message: `The trained model could not be handed to the page for drawing and uploads: ${describe(error)}` });
    }
  }

  /**
   * Compare mode: trains a dense network and a CNN on the same data, by turns (see
   * core/training/side-by-side.ts), each evaluated on the test set after each of its epochs.
   */
  private async compare(runId: number, rawConfig: unknown, rawModels: unknown): Promise<void> {
    const set = this.startable(runId);
    if (!set) return;
    const names = validateCompareModels(rawModels);
    const config: TrainingConfig = { ...validateConfig(rawConfig), model: names.cnn };
    const controller = new AbortController();
    const { train, test } = set;
    this.run = { runId, controller };
    const epochs: Record<CompareMember, number> = { dense: 0, cnn: 0 };
    let guard: ContextLossGuard | null = null;
    const ended = (stopped: boolean, results?: Record<CompareMember, CompareMemberResult>) =>
      this.post({
        type: 'compare-end',
        runId,
        stopped,
        results: results ?? { dense: { epochs: epochs.dense, seconds: 0, imagesPerSecond: 0 }, cnn: { epochs: epochs.cnn, seconds: 0, imagesPerSecond: 0 } },
      });
    try {
      await this.backend;
      this.disposeCompared();
      const options = { dropout: config.dropout };
      const models = { dense: createModel(names.dense, config.seed, options), cnn: createModel(names.cnn, config.seed, options) };
      this.compared = { runId, models };
      this.post({
        type: 'compare-start',
        runId,
        config,
        models: {
          dense: { model: names.dense, parameters: models.dense.countParams() },
          cnn: { model: names.cnn, parameters: models.cnn.countParams() },
        },
      });
      const context = (guard = new ContextLossGuard(controller));

      const lastBatch: Record<CompareMember, number> = { dense: -Infinity, cnn: -Infinity };
      const training = trainSideBySide(models, train, config, {
        signal: controller.signal,
        onBatch: (member, progress, seconds) => {
          if (context.isLost) return;
          const t = performance.now();
          if (t - lastBatch[member] < BATCH_INTERVAL_MS && progress.batch !== progress.batchesPerEpoch) return;
          lastBatch[member] = t;
          this.post({ type: 'compare-batch', runId, member, progress, seconds });
        },
        onEpoch: async (member, result, seconds) => {
          if (context.isLost) throw new ContextLostError();
          epochs[member] = result.epoch;
          this.post({ type: 'compare-epoch', runId, member, result, seconds });
          try {
            const evaluation = await evaluateModel(models[member], test, undefined, controller.signal);
            this.post({ type: 'compare-evaluation', runId, member, epoch: result.epoch, evaluation });
          } catch (error) {
            if (!(error instanceof StoppedError)) throw error;
          }
        },
      });
      const results = await context.race(training);
      const summary = (member: CompareMember): CompareMemberResult => ({
        epochs: results[member].history.length,
        seconds: results[member].seconds,
        imagesPerSecond: results[member].imagesPerSecond,
      });
      await this.postComparedModels(runId, names, models);
      ended(COMPARE_MEMBERS.some((m) => results[m].stopped), { dense: summary('dense'), cnn: summary('cnn') });
    } catch (error) {
      if (guard?.isLost || error instanceof ContextLostError || webglContextLost()) this.recoverFromContextLoss(runId);
      else this.post({ type: 'error', runId, message: `Comparison failed: ${describe(error)}` });
      ended(true);
    } finally {
      guard?.dispose();
      this.run = null;
    }
  }

  /** Hands both compared models to the page (see 'compare-models'); a failure costs only that. */
  private async postComparedModels(
    runId: number,
    names: Record<CompareMember, ModelName>,
    models: Record<CompareMember, tf.LayersModel>,
  ): Promise<void> {
    try {
      const dense = await modelToData(models.dense);
      const cnn = await modelToData(models.cnn);
      this.post(
        { type: 'compare-models', runId, models: { dense: { model: names.dense, data: dense }, cnn: { model: names.cnn, data: cnn } } },
        [dense.weightData, cnn.weightData],
      );
    } catch (error) {
      this.post({ type: 'error', runId: null, message: `The compared models could not be handed to the page for drawing and uploads: ${describe(error)}` });
    }
  }

  /** Probabilities from one model of the last comparison (drawings, uploads). */
  private async comparePredict(requestId: number, member: CompareMember, images: Uint8Array[]): Promise<void> {
    const model = this.compared?.models[member];
    if (!model) {
      const message = COMPARE_MEMBERS.includes(member)
        ? 'There is no comparison yet: press Compare, then draw or upload.'
        : `compare-predict: member must be ${COMPARE_MEMBERS.join(' or ')} (got ${String(member)})`;
      this.post({ type: 'error', runId: null, message });
      return;
    }
    const bad = images.findIndex((image) => image.length !== IMAGE_PIXELS);
    if (bad >= 0) {
      this.post({ type: 'error', runId: null, message: `predict: image ${bad} has ${images[bad].length} bytes, not ${IMAGE_PIXELS} (28×28)` });
      return;
    }
    await this.backend;
    const probabilities = new Float32Array(predictImages(model, images));
    this.post({ type: 'predictions', requestId, probabilities }, [probabilities.buffer as ArrayBuffer]);
  }

  /** Main-thread fallback only (a worker is simply terminated): stops training, frees the model. */
  dispose(): void {
    this.run?.controller.abort();
    if (!this.run) {
      this.disposeModel();
      this.disposeCompared();
    }
    // A run still winding down keeps its model until it ends; the next train would dispose it.
    this.post = () => {};
  }

  private recoverFromContextLoss(runId: number): void {
    this.current = null; // its weights lived in the lost context: nothing left to dispose
    this.compared = null;
    discardWebgl();
    this.post({ type: 'error', runId, message: CONTEXT_LOST });
    this.backend = this.startBackend('wasm', 'the WebGL context was lost');
  }

  private disposeModel(): void {
    this.current?.model.dispose();
    this.current = null;
  }

  private disposeCompared(): void {
    if (this.compared) for (const member of COMPARE_MEMBERS) this.compared.models[member].dispose();
    this.compared = null;
  }
}

class ContextLostError extends Error {}

/**
 * Watches the WebGL context through one run. A lost context can leave a pending GPU read
 * unresolved forever, so the run's loop may never return: `race` gives up on it the moment the
 * context goes, and `isLost` silences the abandoned loop should it ever wake up.
 */
class ContextLossGuard {
  isLost = false;
  private readonly lost: Promise<never>;
  private readonly unwatch: () => void;

  constructor(controller: AbortController) {
    let reject: (error: Error) => void = () => {};
    this.lost = new Promise<never>((_, r) => (reject = r));
    this.lost.catch(() => {}); // awaited only through race()
    this.unwatch = watchContextLoss(() => {
      this.isLost = true;
      controller.abort();
      reject(new ContextLostError());
    });
  }

  /** The loop's result; ContextLostError once the context is gone, even after the loop ended. */
  async race<T>(loop: Promise<T>): Promise<T> {
    loop.catch(() => {}); // once abandoned, its failure is no news
    const result = await Promise.race([loop, this.lost]);
    if (this.isLost || webglContextLost()) throw new ContextLostError();
    return result;
  }

  dispose(): void {
    this.unwatch();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
