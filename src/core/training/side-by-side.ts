/**
 * Trains a dense network and a CNN on the same data, taking turns by epoch: dense epoch 1, CNN
 * epoch 1, dense epoch 2, … Both run the one training loop (train.ts) with the same configuration
 * (seed, subset, split, shuffling, augmentation, epochs, batch size, optimizer, schedule), so they
 * see the same images in the same order; only the network differs.
 *
 * Only one model computes at any moment, so each model's time is its own: a model's training
 * seconds count its gradient steps alone, never the other model's turns or either's validation.
 */
import type * as tf from '@tensorflow/tfjs';
import { COMPARE_MEMBERS, type CompareMember } from '../compare.ts';
import type { TrainingConfig } from '../config.ts';
import type { ImageSet } from '../data/image-set.ts';
import type { StopSignal } from '../signal.ts';
import { trainModel, type BatchProgress, type EpochResult, type TrainResult } from './train.ts';

export interface SideBySideOptions {
  /** Stops both models: the one training finishes its batch, the other does not start its turn. */
  signal?: StopSignal;
  /** `seconds`: this model's training time so far (gradient steps only), for plots against time. */
  onBatch?: (member: CompareMember, progress: BatchProgress, seconds: number) => void;
  /**
   * Awaited within the member's turn (the other model waits), so a caller can evaluate the model
   * on the test set before the other model trains on.
   */
  onEpoch?: (member: CompareMember, result: EpochResult, seconds: number) => void | Promise<void>;
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
 * Trains `models.dense` and `models.cnn` in place, epoch by epoch in turn, on `trainSet` with
 * `config` (whose `model` field is ignored). Resolves when both are done or stopped; if one fails,
 * the other is stopped and the first failure is thrown once both have settled.
 */
export async function trainSideBySide(
  models: Record<CompareMember, tf.LayersModel>,
  trainSet: ImageSet,
  config: TrainingConfig,
  options: SideBySideOptions = {},
): Promise<Record<CompareMember, TrainResult>> {
  const { signal, onBatch, onEpoch, reportEvery } = options;
  const turns = new Turns(COMPARE_MEMBERS.length);
  let failed = false;
  // A failure of either model stops the other, as a Stop would.
  const stop: StopSignal = {
    get aborted() {
      return failed || signal?.aborted === true;
    },
  };

  const runMember = async (i: number, member: CompareMember): Promise<TrainResult> => {
    await turns.wait(i);
    // Training time before the current epoch; the epoch's own time comes with each report.
    let secondsBefore = 0;
    try {
      return await trainModel(models[member], trainSet, config, {
        signal: stop,
        reportEvery,
        // Both sums add the same two numbers, so the epoch's point never lies before its last batch's.
        onBatch: (progress) => onBatch?.(member, progress, secondsBefore + progress.epochSeconds),
        onEpoch: async (result) => {
          secondsBefore += result.seconds;
          await onEpoch?.(member, result, secondsBefore);
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

  const settled = await Promise.allSettled(COMPARE_MEMBERS.map((member, i) => runMember(i, member)));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  const results = settled.map((s) => (s as PromiseFulfilledResult<TrainResult>).value);
  return Object.fromEntries(COMPARE_MEMBERS.map((member, i) => [member, results[i]])) as Record<CompareMember, TrainResult>;
}
