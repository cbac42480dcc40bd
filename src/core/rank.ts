/** The ten classes ranked by a model's probabilities: no tfjs, so the page renders it cheaply. */
import { CLASS_NAMES, NUM_CLASSES, type ClassName } from './classes.ts';

export interface RankedClass {
  /** Label 0-9. */
  label: number;
  name: ClassName;
  probability: number;
}

/** The ten classes sorted by probability, most probable first (ties keep label order). */
export function rankClasses(probabilities: ArrayLike<number>): RankedClass[] {
  if (probabilities.length !== NUM_CLASSES) {
    throw new RangeError(`probabilities has length ${probabilities.length}, expected ${NUM_CLASSES}`);
  }
  return CLASS_NAMES.map((name, label) => ({ label, name, probability: probabilities[label] })).sort(
    (a, b) => b.probability - a.probability || a.label - b.label,
  );
}
