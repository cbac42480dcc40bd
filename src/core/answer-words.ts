/**
 * An answer in words, as a person would give it: "Ankle boot" when the model is sure, "Coat or
 * Shirt?" when the top two are close, "Not sure: Bag, Coat or Shirt?" when nothing stands out.
 * A lone 100% on a sketch the model has never seen the like of misleads; words that admit a close
 * call do not.
 */
import { rankClasses } from './rank.ts';

/** The top two are a close call when the second has at least this fraction of the first's probability. */
export const CLOSE_CALL_RATIO = 0.5;
/** Below this probability the top answer is a guess, even with no close second. */
export const UNSURE_BELOW = 0.4;

export type AnswerWords = { kind: 'sure'; text: string } | { kind: 'close'; text: string } | { kind: 'unsure'; text: string };

export function answerInWords(probabilities: ArrayLike<number>): AnswerWords {
  const [first, second, third] = rankClasses(probabilities);
  if (first.probability < UNSURE_BELOW) return { kind: 'unsure', text: `Not sure: ${first.name}, ${second.name} or ${third.name}?` };
  if (second.probability >= CLOSE_CALL_RATIO * first.probability) return { kind: 'close', text: `${first.name} or ${second.name}?` };
  return { kind: 'sure', text: first.name };
}
