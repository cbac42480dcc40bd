/**
 * tfjs's Dropout layer with masks that a seed repeats. The stock layer draws its masks from an
 * unseeded generator (or, given a seed, draws the same mask at every step), so two runs of one
 * configuration trained different weights. This one owns a small seeded generator and hands the
 * mask a fresh seed from it at every training call: masks differ from step to step, and the same
 * seed gives the same masks, step for step, in Node and in the browser (tf.randomUniform fills the
 * mask on the CPU from its seed on every backend).
 *
 * Inference, saving and loading are the stock layer's: the class name stays 'Dropout' and the
 * config keeps the stock fields (no seed is saved), so a saved model loads in plain tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.ts';

type DropoutArgs = Parameters<typeof tf.layers.dropout>[0];

/** The stock layer's fields this one reads (tfjs-layers does not export the class's type). */
interface StockDropout {
  rate: number;
  getNoiseShape(input: tf.Tensor): number[] | undefined;
}

/** tfjs-layers exports only a factory for the class; its constructor is the class. */
const Stock = tf.layers.dropout({ rate: 0 }).constructor as new (args: DropoutArgs) => tf.layers.Layer;

class SeededDropout extends Stock {
  private readonly rng: Rng;

  constructor(args: DropoutArgs, seed: number) {
    super({ ...args, seed: undefined });
    this.rng = new Rng(seed);
  }

  /** A seed for the next mask: never 0, which tf.randomUniform reads as "unseeded". */
  private nextSeed(): number {
    return 1 + this.rng.int(2 ** 31 - 1);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as StockDropout;
    if (kwargs.training !== true || !(self.rate > 0 && self.rate < 1)) return super.call(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const seed = this.nextSeed();
    return tf.tidy(() => tf.dropout(x, self.rate, self.getNoiseShape(x), seed));
  }
}

/**
 * A Dropout layer (same arguments as tf.layers.dropout, whose own `seed` is ignored) whose masks
 * follow from `seed`: a fresh one at every training step, the same sequence for the same seed.
 */
export function seededDropout(args: DropoutArgs, seed: number): tf.layers.Layer {
  return new SeededDropout(args, seed);
}
