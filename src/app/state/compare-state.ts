/**
 * Compare mode's state: a pure reducer, beside page-state.ts, folding the worker's compare-*
 * messages and the page's own Compare and Stop into one plain object. No DOM, no tfjs.
 *
 * Like a single run, a comparison is identified by the runId the page gives it; messages of any
 * other runId (an earlier comparison, or a single run) leave this state alone.
 */
import type { CompareMember } from '../../core/compare.ts';
import type { TrainingConfig } from '../../core/config.ts';
import type { ModelName } from '../../core/models/catalog.ts';
import type { Evaluation } from '../../core/training/evaluate.ts';
import type { BatchProgress, EpochResult } from '../../core/training/train.ts';
import type { CompareMemberResult, WorkerToPage } from '../protocol.ts';

/** One batch report of one model, placed both by epoch and by that model's training time. */
export interface ComparePoint {
  /** In epochs: 1.5 = half-way through the second epoch. */
  epoch: number;
  /** This model's training seconds so far. */
  seconds: number;
  loss: number;
  accuracy: number;
}

export interface CompareEpoch extends EpochResult {
  /** This model's training seconds at the end of the epoch. */
  trainingSeconds: number;
}

export interface MemberState {
  model: ModelName;
  /** From 'compare-start'. */
  parameters: number | null;
  batches: ComparePoint[];
  lastBatch: BatchProgress | null;
  epochs: CompareEpoch[];
  /** Test accuracy and loss after each epoch, in order. */
  evaluations: { epoch: number; accuracy: number; loss: number }[];
  /** The latest evaluation on the test set. */
  evaluation: { epoch: number; evaluation: Evaluation } | null;
  /** From 'compare-end'. */
  result: CompareMemberResult | null;
}

export interface CompareRun {
  runId: number;
  config: TrainingConfig;
  /** 'training' from the click on Compare until 'compare-end' (or a run error). */
  status: 'training' | 'stopping' | 'done';
  started: boolean;
  members: Record<CompareMember, MemberState>;
  end: { stopped: boolean } | null;
  error: string | null;
  /** Both trained models as plain data, from 'compare-models': drawings and uploads ask both. */
  trained: Extract<WorkerToPage, { type: 'compare-models' }>['models'] | null;
}

export interface CompareState {
  run: CompareRun | null;
}

export const initialCompareState: CompareState = { run: null };

export type CompareAction =
  | { type: 'page/compare'; runId: number; config: TrainingConfig; models: Record<CompareMember, ModelName> }
  | { type: 'page/compare-stop'; runId: number };

/** Batch points kept per model; beyond it every other older point is dropped. */
export const MAX_COMPARE_POINTS = 1500;

export function isComparing(state: CompareState): boolean {
  return state.run !== null && (state.run.status === 'training' || state.run.status === 'stopping');
}

function member(model: ModelName): MemberState {
  return { model, parameters: null, batches: [], lastBatch: null, epochs: [], evaluations: [], evaluation: null, result: null };
}

function thin(points: ComparePoint[]): ComparePoint[] {
  const out: ComparePoint[] = [];
  for (let i = points.length - 1; i >= 0; i -= 2) out.push(points[i]);
  return out.reverse();
}

function forRun(state: CompareState, runId: number, update: (run: CompareRun) => CompareRun): CompareState {
  if (state.run === null || state.run.runId !== runId) return state;
  return { run: update(state.run) };
}

function forMember(state: CompareState, runId: number, which: CompareMember, update: (m: MemberState) => MemberState): CompareState {
  return forRun(state, runId, (run) => ({ ...run, members: { ...run.members, [which]: update(run.members[which]) } }));
}

export function compareReducer(state: CompareState, action: WorkerToPage | CompareAction): CompareState {
  switch (action.type) {
    case 'page/compare':
      if (isComparing(state)) return state;
      return {
        run: {
          runId: action.runId,
          config: action.config,
          status: 'training',
          started: false,
          members: { dense: member(action.models.dense), cnn: member(action.models.cnn) },
          end: null,
          error: null,
          trained: null,
        },
      };
    case 'page/compare-stop':
      return forRun(state, action.runId, (run) => (run.status === 'training' ? { ...run, status: 'stopping' } : run));
    case 'compare-start':
      return forRun(state, action.runId, (run) => ({
        ...run,
        config: action.config,
        started: true,
        members: {
          dense: { ...run.members.dense, model: action.models.dense.model, parameters: action.models.dense.parameters },
          cnn: { ...run.members.cnn, model: action.models.cnn.model, parameters: action.models.cnn.parameters },
        },
      }));
    case 'compare-batch':
      return forMember(state, action.runId, action.member, (m) => {
        const p = action.progress;
        const point: ComparePoint = {
          epoch: p.epoch - 1 + p.batch / Math.max(1, p.batchesPerEpoch),
          seconds: action.seconds,
          loss: p.loss,
          accuracy: p.accuracy,
        };
        const batches = m.batches.length >= MAX_COMPARE_POINTS ? thin(m.batches) : m.batches.slice();
        batches.push(point);
        return { ...m, batches, lastBatch: p };
      });
    case 'compare-epoch':
      return forMember(state, action.runId, action.member, (m) => ({
        ...m,
        epochs: [...m.epochs.filter((e) => e.epoch !== action.result.epoch), { ...action.result, trainingSeconds: action.seconds }],
      }));
    case 'compare-evaluation':
      return forMember(state, action.runId, action.member, (m) => ({
        ...m,
        evaluation: { epoch: action.epoch, evaluation: action.evaluation },
        evaluations: [
          ...m.evaluations.filter((e) => e.epoch !== action.epoch),
          { epoch: action.epoch, accuracy: action.evaluation.accuracy, loss: action.evaluation.loss },
        ],
      }));
    case 'compare-end':
      return forRun(state, action.runId, (run) => ({
        ...run,
        status: 'done',
        end: { stopped: action.stopped },
        members: {
          dense: { ...run.members.dense, result: action.results.dense },
          cnn: { ...run.members.cnn, result: action.results.cnn },
        },
      }));
    case 'compare-models':
      return forRun(state, action.runId, (run) => ({ ...run, trained: action.models }));
    case 'error':
      if (action.runId === null) return state;
      return forRun(state, action.runId, (run) => ({ ...run, status: 'done', error: action.message }));
    default:
      // Everything else (data, backend, single runs, predictions) is page-state.ts's.
      return state;
  }
}
