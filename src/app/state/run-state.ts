/**
 * One run as the page shows it: a pure reducer folding the engine's run-* messages and the page's
 * own Train/Compare and Stop into a record per member (1 for Train, 2 for Compare). No DOM, no
 * tfjs: it runs in Node under Vitest.
 */
import type { TrainingConfig } from '../../core/config.ts';
import type { Evaluation } from '../../core/training/evaluate.ts';
import type { InsideResult } from '../../core/inside/look-inside.ts';
import type { BatchProgress, EpochResult } from '../../core/training/train.ts';
import { divergence } from '../../core/training/divergence.ts';
import type { MemberResult, TrainedModel, WorkerToPage } from '../protocol.ts';

/** Where a run was started: the Train tab's single model, or the Compare tab's pair. */
export type RunPurpose = 'train' | 'compare';

/** One batch report of one member, placed both by epoch and by that member's training time. */
export interface RunPoint {
  /** In epochs: 1.5 = half-way through the second epoch. */
  epoch: number;
  /** This member's training seconds so far. */
  seconds: number;
  loss: number;
  accuracy: number;
}

export interface MemberEpoch extends EpochResult {
  /** This member's training seconds at the end of the epoch. */
  trainingSeconds: number;
}

export interface EvaluationPoint {
  /** The epoch after which the model was evaluated. */
  epoch: number;
  accuracy: number;
  loss: number;
}

export interface MemberState {
  /** Its configuration; `config.model` names the network. */
  config: TrainingConfig;
  /** Parameter count, from 'run-start'. */
  parameters: number | null;
  batches: RunPoint[];
  lastBatch: BatchProgress | null;
  epochs: MemberEpoch[];
  /** Test accuracy and loss of every whole-epoch evaluation, in order. */
  evaluations: EvaluationPoint[];
  /**
   * The latest evaluation on the test set. `stoppedInEpoch` is set when it was taken after a Stop,
   * of a model that trained part of that epoch: `epoch` then counts only its whole epochs.
   */
  evaluation: { epoch: number; evaluation: Evaluation; stoppedInEpoch: number | null } | null;
  /** From 'run-end'. */
  result: MemberResult | null;
  /** Why this member's training went wrong (loss not a number, accuracy at chance), from its first such epoch. */
  diverged: string | null;
  /** "Inside the model" after its latest epoch, on the run's fixed test image (null before the first). */
  inside: { epoch: number; image: Uint8Array; result: InsideResult } | null;
}

export interface RunState {
  runId: number;
  purpose: RunPurpose;
  evaluateEachEpoch: boolean;
  /** 'training' from the click until 'run-end' (or a run error). */
  status: 'training' | 'stopping' | 'done';
  /** True once the engine acknowledged the run with 'run-start'. */
  started: boolean;
  members: MemberState[];
  /** Set by 'run-end'. */
  end: { stopped: boolean } | null;
  /** When Train or Compare was clicked (the page's clock, ms). */
  clickedAt: number;
  /** When the page received 'run-end' (the same clock), null until then. */
  endedAt: number | null;
  /** A run error reported by the engine; the run is over. */
  error: string | null;
  /** Every member's trained model as plain data, from 'run-models' (with later scores folded in). */
  models: TrainedModel[] | null;
}

/** What the page does to a run, besides receiving messages. */
export type RunAction =
  /** `at`: when the person clicked (the page's clock, ms). */
  | { type: 'page/run'; runId: number; purpose: RunPurpose; members: TrainingConfig[]; evaluateEachEpoch: boolean; at: number }
  | { type: 'page/stop'; runId: number };

/** 'run-end' as the page received it: `at` is when, on the clock of 'page/run'. */
export type RunEndReceived = Extract<WorkerToPage, { type: 'run-end' }> & { at: number };

/** Batch points kept per member; beyond it every other older point is dropped. */
export const MAX_BATCH_POINTS = 2000;

export function isRunning(run: RunState | null): boolean {
  return run !== null && (run.status === 'training' || run.status === 'stopping');
}

/** A run as the page starts it, before the engine answers. */
export function newRun(action: Extract<RunAction, { type: 'page/run' }>): RunState {
  return {
    runId: action.runId,
    purpose: action.purpose,
    evaluateEachEpoch: action.evaluateEachEpoch,
    status: 'training',
    started: false,
    members: action.members.map((config) => ({
      config,
      parameters: null,
      batches: [],
      lastBatch: null,
      epochs: [],
      evaluations: [],
      evaluation: null,
      result: null,
      diverged: null,
      inside: null,
    })),
    end: null,
    clickedAt: action.at,
    endedAt: null,
    error: null,
    models: null,
  };
}

/** A member's training seconds: its own gradient steps, as its progress line says. */
export function trainedSeconds(m: MemberState): number {
  return m.result?.seconds ?? m.epochs.at(-1)?.trainingSeconds ?? 0;
}

/**
 * How long a finished run took, in whole seconds: from the click to its end, and the part of that
 * spent training (every member's gradient steps); the rest went to building the models, testing
 * them and handing them over. `sinceClick` is null until the run has ended.
 */
export function runTimes(run: RunState): { sinceClick: number | null; training: number } {
  const training = Math.round(run.members.reduce((sum, m) => sum + trainedSeconds(m), 0));
  const sinceClick = run.endedAt === null ? null : Math.round(Math.max(0, run.endedAt - run.clickedAt) / 1000);
  return { sinceClick, training };
}

function thin(points: RunPoint[]): RunPoint[] {
  // Keeps the newest point and every other one before it: the chart's shape survives, memory stays flat.
  const out: RunPoint[] = [];
  for (let i = points.length - 1; i >= 0; i -= 2) out.push(points[i]);
  return out.reverse();
}

function forMember(run: RunState, member: number, update: (m: MemberState) => MemberState): RunState {
  if (!run.members[member]) return run;
  return { ...run, members: run.members.map((m, i) => (i === member ? update(m) : m)) };
}

/** Folds one message into `run`; the caller has checked that the message is this run's. */
export function runReducer(run: RunState, action: WorkerToPage | RunAction | RunEndReceived): RunState {
  switch (action.type) {
    case 'page/stop':
      return run.status === 'training' ? { ...run, status: 'stopping' } : run;
    case 'run-start':
      return {
        ...run,
        started: true,
        members: run.members.map((m, i) => {
          const started = action.members[i];
          return started ? { ...m, config: started.config, parameters: started.parameters } : m;
        }),
      };
    case 'run-batch':
      return forMember(run, action.member, (m) => {
        const p = action.progress;
        const point: RunPoint = {
          epoch: p.epoch - 1 + p.batch / Math.max(1, p.batchesPerEpoch),
          seconds: action.seconds,
          loss: p.loss,
          accuracy: p.accuracy,
        };
        const batches = m.batches.length >= MAX_BATCH_POINTS ? thin(m.batches) : m.batches.slice();
        batches.push(point);
        return { ...m, batches, lastBatch: p };
      });
    case 'run-epoch':
      return forMember(run, action.member, (m) => ({
        ...m,
        // A repeated epoch number replaces the earlier report rather than adding a second point.
        epochs: [...m.epochs.filter((e) => e.epoch !== action.result.epoch), { ...action.result, trainingSeconds: action.seconds }],
        // The epoch's last batch report says how many steps an epoch has.
        diverged: m.diverged ?? divergence(action.result, action.result.epoch * (m.lastBatch?.batchesPerEpoch ?? 0)),
      }));
    case 'run-evaluation': {
      const next = forMember(run, action.member, (m) => {
        const partEpoch = run.end?.stopped && m.lastBatch && m.lastBatch.epoch > action.epoch ? m.lastBatch.epoch : null;
        const evaluation = { epoch: action.epoch, evaluation: action.evaluation, stoppedInEpoch: partEpoch };
        // The curves plot whole epochs: a stopped model's part-epoch result is shown, not plotted.
        if (partEpoch !== null) return { ...m, evaluation };
        return {
          ...m,
          evaluation,
          evaluations: [
            ...m.evaluations.filter((e) => e.epoch !== action.epoch),
            { epoch: action.epoch, accuracy: action.evaluation.accuracy, loss: action.evaluation.loss },
          ],
        };
      });
      // Evaluated after the hand-over (Evaluate on a stopped run's model): the kept model learns its score.
      if (!next.models?.[action.member]) return next;
      const score = { epoch: action.epoch, accuracy: action.evaluation.accuracy, loss: action.evaluation.loss };
      return { ...next, models: next.models.map((m, i) => (i === action.member ? { ...m, evaluation: score } : m)) };
    }
    case 'run-inside':
      return forMember(run, action.member, (m) => ({ ...m, inside: { epoch: action.epoch, image: action.image, result: action.result } }));
    case 'run-models':
      return { ...run, models: action.models };
    case 'run-end':
      return {
        ...run,
        status: 'done',
        end: { stopped: action.stopped },
        endedAt: 'at' in action ? action.at : run.endedAt,
        members: run.members.map((m, i) => ({ ...m, result: action.members[i] ?? m.result })),
      };
    case 'error':
      // An error of the run ends it (Train works again).
      return { ...run, status: 'done', error: action.message };
    default:
      return run;
  }
}
