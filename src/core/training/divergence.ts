/**
 * Whether a run has gone wrong rather than merely learnt slowly: its loss is no longer a number or
 * far worse than guessing's, or after a whole epoch it classifies no better than guessing. A learning rate far too high (10
 * is within the allowed range) does both: the page and the CLI say so instead of saving the
 * model as if it were fine.
 */
import { NUM_CLASSES } from '../classes.ts';
import type { EpochResult } from './train.ts';

/** Accuracy this close to guessing (1 in 10) after a whole epoch means the run learnt nothing. */
const CHANCE_MARGIN = 0.03;
/** Cross-entropy of guessing every class alike, ln 10: a model that knows nothing scores this. */
const GUESSING_LOSS = Math.log(NUM_CLASSES);

/**
 * Below this many gradient steps, accuracy at chance is no news: a run of a few hundred images
 * has barely started (the browser tests train TinyVGG for 3 steps).
 */
export const MIN_STEPS_FOR_CHANCE = 50;

/**
 * Why the run diverged after this epoch, as a sentence, or null when it looks sound.
 * @param steps gradient steps taken up to the end of this epoch (the chance test needs enough)
 */
export function divergence(result: EpochResult, steps: number): string | null {
  if (!Number.isFinite(result.loss) || (result.valLoss !== null && !Number.isFinite(result.valLoss))) {
    return `the loss is ${result.loss} after epoch ${result.epoch}: training diverged (try a smaller learning rate)`;
  }
  // Twice the loss of knowing nothing: confidently wrong, as the weights of a run that blew up are.
  if (result.loss > 2 * GUESSING_LOSS) {
    return `the loss is ${result.loss.toFixed(2)} after epoch ${result.epoch}, far worse than the ${GUESSING_LOSS.toFixed(2)} of guessing: training diverged (try a smaller learning rate)`;
  }
  if (steps < MIN_STEPS_FOR_CHANCE) return null;
  const chance = 1 / NUM_CLASSES + CHANCE_MARGIN;
  const accuracy = result.valAccuracy ?? result.accuracy;
  if (result.accuracy <= chance && accuracy <= chance) {
    const which = result.valAccuracy === null ? 'training' : 'validation';
    return `${which} accuracy is ${(accuracy * 100).toFixed(1)}% after epoch ${result.epoch}, no better than guessing one of ${NUM_CLASSES} classes: training diverged or is not learning (try a smaller learning rate)`;
  }
  return null;
}
