/**
 * The page's state: a pure reducer folding the worker's messages (WorkerToPage) and the page's own
 * commands into one plain object. No DOM, no tfjs: it runs in Node under Vitest.
 *
 * A run is identified by the runId the page gives it when it sends 'train'. Messages that carry a
 * runId other than the current run's are late messages of an earlier run and are ignored.
 */
import type { TrainingConfig } from '../../core/config.ts';
import type { Evaluation } from '../../core/training/evaluate.ts';
import type { BatchProgress, EpochResult } from '../../core/training/train.ts';
import type {
  BackendChoice,
  BackendReport,
  DatasetProgress,
  DatasetSummary,
  TrainedModelMessage,
  WorkerToPage,
} from '../protocol.ts';

export type RunStatus = 'idle' | 'training' | 'stopping' | 'done';

/** One point of the batch series; x is in epochs (1.5 = half-way through the second epoch). */
export interface BatchPoint {
  x: number;
  loss: number;
  accuracy: number;
}

export interface EvaluationPoint {
  /** The epoch after which the model was evaluated. */
  epoch: number;
  accuracy: number;
  loss: number;
}

export interface RunState {
  runId: number;
  config: TrainingConfig;
  evaluateEachEpoch: boolean;
  /** 'training' from the click on Train until 'train-end' (or a run error). */
  status: Exclude<RunStatus, 'idle'>;
  /** True once the worker acknowledged the run with 'train-start'. */
  started: boolean;
  /** Parameter count of the model, from 'train-start'. */
  parameters: number | null;
  batches: BatchPoint[];
  lastBatch: BatchProgress | null;
  epochs: EpochResult[];
  /** Test accuracy and loss of every evaluation of this run, in order. */
  evaluations: EvaluationPoint[];
  /**
   * The latest evaluation on the test set. `stoppedInEpoch` is set when it was taken after a Stop,
   * of a model that trained part of that epoch: `epoch` then counts only its whole epochs.
   */
  evaluation: { epoch: number; evaluation: Evaluation; stoppedInEpoch: number | null } | null;
  /** Set by 'train-end'. */
  end: { stopped: boolean; seconds: number; imagesPerSecond: number } | null;
  /** A run error reported by the worker; the run is over. */
  error: string | null;
}

export interface PageError {
  id: number;
  message: string;
  /** How many times this same message arrived (repeats are folded into one alert). */
  count: number;
}

export interface DatasetState {
  progress: DatasetProgress | null;
  summary: DatasetSummary | null;
  error: { file: string | null; message: string } | null;
}

export interface PageState {
  dataset: DatasetState;
  backend: BackendReport | null;
  /** The backend the page asked for and the worker has not confirmed yet. */
  backendRequested: BackendChoice | null;
  run: RunState | null;
  /** Errors that belong to no run (runId null): shown until dismissed. */
  errors: PageError[];
  nextErrorId: number;
  /** The model the current run handed over when it ended, for the classify panel to adopt. */
  trainedModel: TrainedModelMessage | null;
}

export const initialPageState: PageState = {
  dataset: { progress: null, summary: null, error: null },
  backend: null,
  backendRequested: null,
  run: null,
  errors: [],
  nextErrorId: 1,
  trainedModel: null,
};

/** What the page itself does, besides receiving messages. */
export type PageAction =
  | { type: 'page/train'; runId: number; config: TrainingConfig; evaluateEachEpoch: boolean }
  | { type: 'page/stop'; runId: number }
  | { type: 'page/retry-data' }
  | { type: 'page/set-backend'; backend: BackendChoice }
  | { type: 'page/dismiss-error'; id: number }
  | { type: 'page/error'; message: string };

export type Action = WorkerToPage | PageAction;

/** Batch points kept per run; older ones are thinned out (every other one dropped) beyond it. */
export const MAX_BATCH_POINTS = 2000;

export function isBusy(state: PageState): boolean {
  return state.run !== null && (state.run.status === 'training' || state.run.status === 'stopping');
}

/** Train may start once the training split is in (the test split may still be streaming). */
export function canTrain(state: PageState): boolean {
  return !isBusy(state) && (state.dataset.progress?.trainReady === true || state.dataset.summary !== null);
}

function addError(state: PageState, message: string): PageState {
  if (state.errors.some((e) => e.message === message)) {
    return { ...state, errors: state.errors.map((e) => (e.message === message ? { ...e, count: e.count + 1 } : e)) };
  }
  return {
    ...state,
    errors: [...state.errors, { id: state.nextErrorId, message, count: 1 }],
    nextErrorId: state.nextErrorId + 1,
  };
}

function thin(points: BatchPoint[]): BatchPoint[] {
  // Keeps the newest point and every other one before it: the chart's shape survives, memory stays flat.
  const out: BatchPoint[] = [];
  for (let i = points.length - 1; i >= 0; i -= 2) out.push(points[i]);
  return out.reverse();
}

/** Applies `update` to the current run if `runId` is its id; otherwise leaves the state alone. */
function forRun(state: PageState, runId: number, update: (run: RunState) => RunState): PageState {
  if (state.run === null || state.run.runId !== runId) return state;
  return { ...state, run: update(state.run) };
}

export function pageReducer(state: PageState, action: Action): PageState {
  switch (action.type) {
    // ---- dataset ----
    case 'data-progress':
      return { ...state, dataset: { ...state.dataset, progress: action.progress, error: null } };
    case 'data-ready':
      return { ...state, dataset: { ...state.dataset, summary: action.summary, error: null } };
    case 'data-error':
      return { ...state, dataset: { ...state.dataset, error: { file: action.file, message: action.message } } };
    case 'page/retry-data':
      return { ...state, dataset: { ...state.dataset, error: null } };

    // ---- backend ----
    case 'backend':
      return { ...state, backend: action.report, backendRequested: null };
    case 'page/set-backend':
      return { ...state, backendRequested: action.backend };

    // ---- runs ----
    case 'page/train':
      if (isBusy(state)) return state;
      return {
        ...state,
        run: {
          runId: action.runId,
          config: action.config,
          evaluateEachEpoch: action.evaluateEachEpoch,
          status: 'training',
          started: false,
          parameters: null,
          batches: [],
          lastBatch: null,
          epochs: [],
          evaluations: [],
          evaluation: null,
          end: null,
          error: null,
        },
      };
    case 'page/stop':
      return forRun(state, action.runId, (run) => (run.status === 'training' ? { ...run, status: 'stopping' } : run));
    case 'train-start':
      return forRun(state, action.runId, (run) => ({
        ...run,
        config: action.config,
        parameters: action.parameters,
        started: true,
      }));
    case 'batch':
      return forRun(state, action.runId, (run) => {
        const p = action.progress;
        const point: BatchPoint = {
          x: p.epoch - 1 + p.batch / Math.max(1, p.batchesPerEpoch),
          loss: p.loss,
          accuracy: p.accuracy,
        };
        const batches = run.batches.length >= MAX_BATCH_POINTS ? thin(run.batches) : run.batches.slice();
        batches.push(point);
        return { ...run, batches, lastBatch: p };
      });
    case 'epoch':
      return forRun(state, action.runId, (run) => ({
        ...run,
        // A repeated epoch number replaces the earlier report rather than adding a second point.
        epochs: [...run.epochs.filter((e) => e.epoch !== action.result.epoch), action.result],
      }));
    case 'evaluation': {
      const next = forRun(state, action.runId, (run) => {
        const partEpoch = run.end?.stopped && run.lastBatch && run.lastBatch.epoch > action.epoch ? run.lastBatch.epoch : null;
        const evaluation = { epoch: action.epoch, evaluation: action.evaluation, stoppedInEpoch: partEpoch };
        // The curves plot whole epochs: a stopped model's part-epoch result is shown, not plotted.
        if (partEpoch !== null) return { ...run, evaluation };
        return {
          ...run,
          evaluation,
          evaluations: [
            ...run.evaluations.filter((e) => e.epoch !== action.epoch),
            { epoch: action.epoch, accuracy: action.evaluation.accuracy, loss: action.evaluation.loss },
          ],
        };
      });
      // Evaluated after the hand-over (Evaluate on a stopped run's model): the kept model learns its score.
      const kept = next.trainedModel;
      if (next === state || kept?.runId !== action.runId) return next;
      const score = { epoch: action.epoch, accuracy: action.evaluation.accuracy, loss: action.evaluation.loss };
      return { ...next, trainedModel: { ...kept, evaluation: score } };
    }
    case 'train-end':
      return forRun(state, action.runId, (run) => ({
        ...run,
        status: 'done',
        end: { stopped: action.stopped, seconds: action.seconds, imagesPerSecond: action.imagesPerSecond },
      }));
    case 'error':
      if (action.runId === null) return addError(state, action.message);
      // An error of the current run ends it (Train works again); one of an older run is stale.
      return forRun(state, action.runId, (run) => ({ ...run, status: 'done', error: action.message }));

    // ---- page errors ----
    case 'page/error':
      return addError(state, action.message);
    case 'page/dismiss-error':
      return { ...state, errors: state.errors.filter((e) => e.id !== action.id) };

    case 'predictions':
      return state;
    case 'trained-model':
      // Only the current run's model: a late one of an older run is stale.
      return state.run?.runId === action.runId ? { ...state, trainedModel: action } : state;

    // Compare mode has its own state (state/compare-state.ts); its errors come as 'error' above,
    // where forRun leaves them to it.
    case 'compare-start':
    case 'compare-batch':
    case 'compare-epoch':
    case 'compare-evaluation':
    case 'compare-end':
    case 'compare-models':
      return state;
  }
}
