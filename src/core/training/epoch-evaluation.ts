/**
 * The test set after each epoch and at the end of a run, for the page's engine (src/app/engine.ts)
 * and the command line (scripts/lib/train-run.ts) alike: after an epoch when asked (the page's
 * "Evaluate each epoch", the CLI's --test-each-epoch), with the model's own flip averaging; at the
 * end, the evaluation after the last epoch stands for the final one when the run was not stopped
 * after it (the same weights), so a model is not evaluated twice.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../data/image-set.ts';
import type { StopSignal } from '../signal.ts';
import { evaluateModel, type Evaluation } from './evaluate.ts';

export interface EpochEvaluationOptions {
  /** Evaluate after every epoch (else only at the end). */
  eachEpoch: boolean;
  /** Score each image averaged with its mirror, as the model was trained to answer (config.flipTest). */
  flipTest?: boolean;
  /** A stop during an evaluation ends it with StoppedError (core/signal.ts). */
  signal?: StopSignal;
}

export class EpochEvaluation {
  /** The evaluations after whole epochs, by the number of epochs the model had then. */
  private readonly byEpoch = new Map<number, Evaluation>();

  constructor(
    private readonly model: tf.LayersModel,
    private readonly test: ImageSet,
    private readonly options: EpochEvaluationOptions,
  ) {}

  /** Once epoch `epoch` (1-based) has ended: the test set's evaluation if evaluating each epoch, else null. */
  async afterEpoch(epoch: number): Promise<Evaluation | null> {
    if (!this.options.eachEpoch) return null;
    const evaluation = await this.evaluate();
    this.byEpoch.set(epoch, evaluation);
    return evaluation;
  }

  /** The evaluation taken after epoch `epoch`, if one was. */
  after(epoch: number): Evaluation | undefined {
    return this.byEpoch.get(epoch);
  }

  /**
   * At the end of a run of `epochs` complete epochs: the evaluation after the last one when there
   * is one and the run was not stopped (a stopped run trained on after it), else a new one.
   * `fresh` says which, so that a caller reports a new evaluation once.
   */
  async atEnd(epochs: number, stopped: boolean): Promise<{ evaluation: Evaluation; fresh: boolean }> {
    const last = stopped ? undefined : this.byEpoch.get(epochs);
    if (last) return { evaluation: last, fresh: false };
    const evaluation = await this.evaluate();
    if (!stopped) this.byEpoch.set(epochs, evaluation);
    return { evaluation, fresh: true };
  }

  private evaluate(): Promise<Evaluation> {
    return evaluateModel(this.model, this.test, undefined, this.options.signal, { flipTest: this.options.flipTest });
  }
}
