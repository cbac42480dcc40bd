import { describe, expect, it } from 'vitest';
import { answerInWords } from '../src/core/answer-words.ts';
import { CLASS_NAMES } from '../src/core/classes.ts';

/** Probabilities with `given` by class name and the rest shared evenly. */
function probs(given: Record<string, number>): number[] {
  const rest = (1 - Object.values(given).reduce((a, b) => a + b, 0)) / (10 - Object.keys(given).length);
  return CLASS_NAMES.map((n) => given[n] ?? rest);
}

describe('an answer in words', () => {
  it('names the class alone when the model is sure', () => {
    expect(answerInWords(probs({ 'Ankle boot': 0.9, Sandal: 0.05 }))).toEqual({ kind: 'sure', text: 'Ankle boot' });
  });
  it('asks between the top two when they are close', () => {
    expect(answerInWords(probs({ Coat: 0.52, Shirt: 0.4 }))).toEqual({ kind: 'close', text: 'Coat or Shirt?' });
    // A second at under half the first is not a close call.
    expect(answerInWords(probs({ Coat: 0.62, Shirt: 0.3 })).kind).toBe('sure');
  });
  it('says it is not sure when nothing stands out', () => {
    expect(answerInWords(probs({ Bag: 0.3, Coat: 0.12, Shirt: 0.11 }))).toEqual({ kind: 'unsure', text: 'Not sure: Bag, Coat or Shirt?' });
  });
});
