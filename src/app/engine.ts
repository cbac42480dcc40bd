/**
 * The training engine: answers every PageToWorker message with WorkerToPage messages through
 * `post`. The worker entry and the main-thread fallback both run this same handler, so the page
 * cannot tell them apart except by speed; Node tests run it with a platform of their own.
 *
 * One run at a time, of 1..MAX_RUN_MEMBERS members (Train sends one, Compare two). The models of
 * the latest run stay for 'evaluate' until the next run replaces (and disposes) them.
 */
import type * as tf from '@tensorflow/tfjs';
import { validateConfig, type TrainingConfig } from '../core/config.ts';
import { modelToData } from '../core/model-check.ts';
import { createModel } from '../core/models/zoo.ts';
import { StoppedError } from '../core/signal.ts';
import { EpochEvaluation } from '../core/training/epoch-evaluation.ts';
import { evaluateModel, type Evaluation } from '../core/training/evaluate.ts';
import { trainMembers } from '../core/training/run.ts';
import type { TrainResult } from '../core/training/train.ts';
import { DatasetFileError } from './data/dataset-error.ts';
import { summarize, summaryTransfer } from './data/dataset-summary.ts';
import type { LoadedDataset } from './data/load-dataset.ts';
import type { EnginePlatform } from './engine-platform.ts';
import { epochInside } from './inside/epoch-inside.ts';
import {
  MAX_RUN_MEMBERS,
  type BackendChoice,
  type BackendReport,
  type MemberResult,
  type PageToWorker,
  type TrainedModel,
  type WorkerToPage,
} from './protocol.ts';

export type Post = (message: WorkerToPage, transfer?: Transferable[]) => void;

/** 'run-batch' messages at most this often per member (ms): more would only cost repaints. */
const BATCH_INTERVAL_MS = 100;

const CONTEXT_LOST =
  'The WebGL context was lost (the GPU was reset or ran out of memory), and the model on it with it. ' +
  'Switched to WebAssembly: press Train to start again.';

/** One member of the latest run: its model stays for 'evaluate' and is handed to the page. */
interface KeptMember {
  model: tf.LayersModel;
  config: TrainingConfig;
  /** Whole epochs trained (a stopped run may have trained part of one more). */
  epochs: number;
  /** The latest evaluation on the test set, handed to the page with the model. */
  evaluation: TrainedModel['evaluation'];
}

interface KeptRun {
  runId: number;
  members: KeptMember[];
}

/** The members of a 'run' message: 1..MAX_RUN_MEMBERS valid configurations. */
function validateMembers(input: unknown): TrainingConfig[] {
  if (!Array.isArray(input) || input.length < 1 || input.length > MAX_RUN_MEMBERS) {
    throw new Error(`members: a run trains 1 to ${MAX_RUN_MEMBERS} models (got ${Array.isArray(input) ? input.length : String(input)})`);
  }
  return input.map((config, i) => {
    try {
      return validateConfig(config);
    } catch (error) {
      throw new Error(`members[${i}]: ${describe(error)}`, { cause: error });
    }
  });
}

export class Engine {
  private backend: Promise<BackendReport>;
  private data: { baseUrl: string; set: LoadedDataset } | null = null;
  private loading = false;
  private active: { runId: number; controller: AbortController } | null = null;
  private kept: KeptRun | null = null;
  private evaluating = false;

  constructor(
    private post: Post,
    private readonly platform: EnginePlatform,
  ) {
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
      case 'run':
        return this.run(message.runId, message.members, message.evaluateEachEpoch);
      case 'stop':
        if (this.active?.runId === message.runId) this.active.controller.abort();
        return;
      case 'evaluate':
        return this.evaluate(message.runId);
    }
  }

  private startBackend(choice: BackendChoice | null, note?: string): Promise<BackendReport> {
    const started = this.platform.selectBackend(choice).then((report) => {
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
    if (this.active) {
      this.post({ type: 'error', runId: this.active.runId, message: 'The backend cannot change while training runs: stop first.' });
      return;
    }
    // Tensors of the kept models move to the new backend when next used (tfjs moves data lazily).
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
      const set = await this.platform.loadDataset(baseUrl, {
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
    if (this.active) {
      this.post({ type: 'error', runId, message: `Training is already running (run ${this.active.runId}): stop it first.` });
      return null;
    }
    if (!this.data) {
      this.post({ type: 'error', runId, message: 'The training images are not loaded yet.' });
      return null;
    }
    return this.data.set;
  }

  /**
   * Trains the run's members by turns (core/training/run.ts), evaluating each on the test set after
   * each of its epochs or once at the end, then hands every model to the page.
   */
  private async run(runId: number, rawMembers: unknown, evaluateEachEpoch: boolean): Promise<void> {
    const set = this.startable(runId);
    if (!set) return;
    const configs = validateMembers(rawMembers);
    const controller = new AbortController();
    const { train, test } = set;
    this.active = { runId, controller };
    const results: MemberResult[] = configs.map(() => ({ epochs: 0, seconds: 0, imagesPerSecond: 0 }));
    let guard: ContextLossGuard | null = null;
    try {
      await this.backend;
      this.disposeKept();
      const kept: KeptRun = {
        runId,
        members: configs.map((config) => ({
          model: createModel(config.model, config.seed, { dropout: config.dropout }),
          config,
          epochs: 0,
          evaluation: null,
        })),
      };
      this.kept = kept;
      // Each member's test-set evaluations: after each epoch when asked, else once at the end.
      const tests = kept.members.map(
        (m) => new EpochEvaluation(m.model, test, { eachEpoch: evaluateEachEpoch, flipTest: m.config.flipTest, signal: controller.signal }),
      );
      this.post({ type: 'run-start', runId, members: kept.members.map((m) => ({ config: m.config, parameters: m.model.countParams() })) });
      const context = (guard = new ContextLossGuard(controller, this.platform));

      const lastBatch = configs.map(() => -Infinity);
      const training = trainMembers(kept.members, train, {
        signal: controller.signal,
        onBatch: (member, progress, seconds) => {
          if (context.isLost) return;
          const t = performance.now();
          if (t - lastBatch[member] < BATCH_INTERVAL_MS && progress.batch !== progress.batchesPerEpoch) return;
          lastBatch[member] = t;
          this.post({ type: 'run-batch', runId, member, progress, seconds });
        },
        onEpoch: async (member, result, seconds) => {
          if (context.isLost) throw new ContextLostError();
          kept.members[member].epochs = result.epoch;
          results[member].epochs = result.epoch;
          this.post({ type: 'run-epoch', runId, member, result, seconds });
          const inside = await epochInside({ runId, member, epoch: result.epoch }, kept.members[member].model, test);
          if (inside) this.post(inside.message, inside.transfer);
          await this.postEvaluation(kept, member, () => tests[member].afterEpoch(result.epoch));
        },
      });
      const trained = await context.race(training);
      trained.forEach((r, i) => (results[i] = { epochs: r.history.length, seconds: r.seconds, imagesPerSecond: r.imagesPerSecond }));
      const stopped = trained.some((r) => r.stopped);
      if (!stopped) {
        for (let member = 0; member < kept.members.length; member++) {
          await this.postEvaluation(kept, member, async () => {
            const end = await tests[member].atEnd(kept.members[member].epochs, stopped);
            return end.fresh ? end.evaluation : null;
          });
        }
      }
      await this.postModels(kept, trained);
      this.post({ type: 'run-end', runId, stopped, members: results });
    } catch (error) {
      if (guard?.isLost || error instanceof ContextLostError || this.platform.contextLost()) this.recoverFromContextLoss(runId);
      else this.post({ type: 'error', runId, message: `Training failed: ${describe(error)}` });
      // Every 'run-start' gets its 'run-end', so the page always leaves its training state.
      this.post({ type: 'run-end', runId, stopped: true, members: results });
    } finally {
      guard?.dispose();
      this.active = null;
    }
  }

  /**
   * Posts one member's evaluation on the test set (`evaluate` gives it; null: none to post). A Stop
   * during it skips the message.
   */
  private async postEvaluation(kept: KeptRun, member: number, evaluate: () => Promise<Evaluation | null>): Promise<void> {
    const m = kept.members[member];
    try {
      const evaluation = await evaluate();
      if (!evaluation) return;
      m.evaluation = { epoch: m.epochs, accuracy: evaluation.accuracy, loss: evaluation.loss };
      this.post({ type: 'run-evaluation', runId: kept.runId, member, epoch: m.epochs, evaluation });
    } catch (error) {
      if (!(error instanceof StoppedError)) throw error;
    }
  }

  /** 'evaluate': every member of the latest run, on the test set (a stopped run's models, say). */
  private async evaluate(runId: number): Promise<void> {
    const kept = this.kept;
    if (!kept || !this.data) {
      this.post({ type: 'error', runId: null, message: 'There is no trained model to evaluate yet: train one first.' });
      return;
    }
    if (kept.runId !== runId) {
      this.post({ type: 'error', runId: null, message: 'A later run replaced the models of that run: train again to evaluate it.' });
      return;
    }
    if (this.active) {
      this.post({ type: 'error', runId: this.active.runId, message: 'Training is running: it evaluates on its own.' });
      return;
    }
    if (this.evaluating) return; // the evaluation under way answers this request too
    this.evaluating = true;
    try {
      await this.backend;
      const test = this.data.set.test;
      for (const [member, m] of kept.members.entries()) {
        await this.postEvaluation(kept, member, () => evaluateModel(m.model, test, undefined, undefined, { flipTest: m.config.flipTest }));
      }
    } finally {
      this.evaluating = false;
    }
  }

  /**
   * Hands every member's model to the page as plain data (topology, weight specs, one transferred
   * buffer each), once per run at its end. A failure here costs the page its copies, not the run.
   */
  private async postModels(kept: KeptRun, trained: TrainResult[]): Promise<void> {
    try {
      const models: TrainedModel[] = [];
      for (const [member, m] of kept.members.entries()) {
        models.push({
          runId: kept.runId,
          member,
          config: m.config,
          epochs: m.epochs,
          stopped: trained[member].stopped,
          trainImages: trained[member].trainImages,
          evaluation: m.evaluation,
          data: await modelToData(m.model),
        });
      }
      this.post(
        { type: 'run-models', runId: kept.runId, models },
        models.map((m) => m.data.weightData),
      );
    } catch (error) {
      this.post({
        type: 'error',
        runId: null,
        message: `The trained models could not be handed to the page for drawing and uploads: ${describe(error)}`,
      });
    }
  }

  /** Main-thread fallback only (a worker is simply terminated): stops training, frees the models. */
  dispose(): void {
    this.active?.controller.abort();
    // A run still winding down keeps its models until it ends; the next run would dispose them.
    if (!this.active) this.disposeKept();
    this.post = () => {};
  }

  private recoverFromContextLoss(runId: number): void {
    this.kept = null; // their weights lived in the lost context: nothing left to dispose
    this.platform.discardWebgl();
    this.post({ type: 'error', runId, message: CONTEXT_LOST });
    this.backend = this.startBackend('wasm', 'the WebGL context was lost');
  }

  private disposeKept(): void {
    this.kept?.members.forEach((m) => m.model.dispose());
    this.kept = null;
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

  constructor(
    controller: AbortController,
    private readonly platform: EnginePlatform,
  ) {
    let reject: (error: Error) => void = () => {};
    this.lost = new Promise<never>((_, r) => (reject = r));
    this.lost.catch(() => {}); // awaited only through race()
    this.unwatch = platform.watchContextLoss(() => {
      this.isLost = true;
      controller.abort();
      reject(new ContextLostError());
    });
  }

  /** The loop's result; ContextLostError once the context is gone, even after the loop ended. */
  async race<T>(loop: Promise<T>): Promise<T> {
    loop.catch(() => {}); // once abandoned, its failure is no news
    const result = await Promise.race([loop, this.lost]);
    if (this.isLost || this.platform.contextLost()) throw new ContextLostError();
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
