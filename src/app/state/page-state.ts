/**
 * The page's state: a pure reducer folding the engine's messages (WorkerToPage) and the page's own
 * commands into one plain object. No DOM, no tfjs: it runs in Node under Vitest.
 *
 * A run is identified by the runId the page gives it when it sends 'run'; its messages go to the
 * run of that id (run-state.ts folds them). The latest run of each purpose is kept, so the Train
 * and Compare tabs each show their own; messages of any other runId are late ones of an earlier
 * run and are ignored.
 */
import type { BackendChoice, BackendReport, DatasetProgress, DatasetSummary, WorkerToPage } from '../protocol.ts';
import { isRunning, newRun, runReducer, type RunAction, type RunEndReceived, type RunPurpose, type RunState } from './run-state.ts';

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
  /** The backend the page asked for and the engine has not confirmed yet. */
  backendRequested: BackendChoice | null;
  /** The latest run of each purpose. */
  runs: Record<RunPurpose, RunState | null>;
  /** Errors that belong to no run (runId null): shown until dismissed. */
  errors: PageError[];
  nextErrorId: number;
}

export const initialPageState: PageState = {
  dataset: { progress: null, summary: null, error: null },
  backend: null,
  backendRequested: null,
  runs: { train: null, compare: null },
  errors: [],
  nextErrorId: 1,
};

/** What the page itself does, besides receiving messages. */
export type PageAction =
  | RunAction
  | { type: 'page/retry-data' }
  | { type: 'page/set-backend'; backend: BackendChoice }
  | { type: 'page/dismiss-error'; id: number }
  | { type: 'page/error'; message: string };

/** The engine's messages (its 'run-end' stamped with when the page received it) and the page's own. */
export type Action = WorkerToPage | RunEndReceived | PageAction;

/** True while a run of either purpose trains: one run at a time. */
export function isBusy(state: PageState): boolean {
  return isRunning(state.runs.train) || isRunning(state.runs.compare);
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

/** Applies `action` to the run of `runId`, whichever purpose it has; other ids leave the state alone. */
function forRun(state: PageState, runId: number, action: WorkerToPage | RunAction | RunEndReceived): PageState {
  for (const purpose of ['train', 'compare'] as const) {
    const run = state.runs[purpose];
    if (run?.runId === runId) return { ...state, runs: { ...state.runs, [purpose]: runReducer(run, action) } };
  }
  return state;
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
    case 'page/run':
      if (isBusy(state)) return state;
      return { ...state, runs: { ...state.runs, [action.purpose]: newRun(action) } };
    case 'page/stop':
    case 'run-start':
    case 'run-batch':
    case 'run-epoch':
    case 'run-evaluation':
    case 'run-inside':
    case 'run-models':
    case 'run-end':
      return forRun(state, action.runId, action);
    case 'error':
      if (action.runId === null) return addError(state, action.message);
      // An error of a current run ends it (Train works again); one of an older run is stale.
      return forRun(state, action.runId, action);

    // ---- page errors ----
    case 'page/error':
      return addError(state, action.message);
    case 'page/dismiss-error':
      return { ...state, errors: state.errors.filter((e) => e.id !== action.id) };
  }
}
