/**
 * Trains the members of a run: one model for Train, two for Compare, more later. Every member runs
 * the one training loop (train.ts) with its own configuration; members taking turns by epoch
 * (member 0's epoch 1, member 1's epoch 1, member 0's epoch 2, …) see the same images in the same
 * order whenever their configurations share the data fields (seed, subset, split, augmentation).
 *
 * Only one member computes at any moment, so each member's time is its own: its training seconds
 * count its gradient steps alone, never the other members' turns or anyone's validation.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config.ts';
import type { ImageSet } from '../data/image-set.ts';
import type { StopSignal } from '../signal.ts';
import { trainModel, type BatchProgress, type EpochResult, type TrainResult } from './train.ts';

/** One model of a run and the configuration it trains with. */
export interface RunMember {
  model: tf.LayersModel;
  config: TrainingConfig;
}

export interface RunOptions {
  /** Stops every member: the one training finishes its batch, the others do not start their turns. */
  signal?: StopSignal;
  /** `seconds`: this member's training time so far (gradient steps only), for plots against time. */
  onBatch?: (member: number, progress: BatchProgress, seconds: number) => void;
  /**
   * Awaited within the member's turn (the others wait), so a caller can evaluate the model on the
   * test set before the next member trains on.
   */
  onEpoch?: (member: number, result: EpochResult, seconds: number) => void | Promise<void>;
  reportEvery?: number;
}

/**
 * Whose turn it is. A member waits for its turn, trains one epoch, passes; a finished member
 * leaves the round, and the last one left keeps the turn.
 */
class Turns {
  private holder = 0;
  private readonly done: boolean[];
  private readonly waiting = new Map<number, () => void>();

  constructor(private readonly n: number) {
    this.done = new Array<boolean>(n).fill(false);
  }

  wait(i: number): Promise<void> {
    if (this.holder === i) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(i, resolve));
  }

  pass(i: number): void {
    let next = -1;
    for (let k = 1; k <= this.n; k++) {
      const j = (i + k) % this.n;
      if (!this.done[j]) {
        next = j;
        break;
      }
    }
    this.holder = next;
    const wake = this.waiting.get(next);
    if (wake) {
      this.waiting.delete(next);
      wake();
    }
  }

  finish(i: number): void {
    this.done[i] = true;
    if (this.holder === i) this.pass(i);
  }
}

/**
 * Trains every member's model in place on `trainSet`, epoch by epoch in turn. Resolves with one
 * TrainResult per member, in order, when all are done or stopped; if one fails, the others are
 * stopped and the first failure is thrown once all have settled.
 */
export async function trainMembers(members: RunMember[], trainSet: ImageSet, options: RunOptions = {}): Promise<TrainResult[]> {
  const { signal, onBatch, onEpoch, reportEvery } = options;
  const turns = new Turns(members.length);
  let failed = false;
  // A failure of any member stops the others, as a Stop would.
  const stop: StopSignal = {
    get aborted() {
      return failed || signal?.aborted === true;
    },
  };

  const runMember = async ({ model, config }: RunMember, i: number): Promise<TrainResult> => {
    await turns.wait(i);
    // Training time before the current epoch; the epoch's own time comes with each report.
    let secondsBefore = 0;
    try {
      return await trainModel(model, trainSet, config, {
        signal: stop,
        reportEvery,
        // Both sums add the same two numbers, so the epoch's point never lies before its last batch's.
        onBatch: (progress) => onBatch?.(i, progress, secondsBefore + progress.epochSeconds),
        onEpoch: async (result) => {
          secondsBefore += result.seconds;
          await onEpoch?.(i, result, secondsBefore);
          if (result.epoch < config.epochs) {
            turns.pass(i);
            await turns.wait(i);
          }
        },
      });
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      turns.finish(i);
    }
  };

  const settled = await Promise.allSettled(members.map(runMember));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<TrainResult>).value);
}
