/**
 * Two models' evaluations on the same labelled set, side by side: accuracy and per-class accuracy
 * of each with their differences, and the images where exactly one of the two is right.
 *
 * Pure functions over plain arrays (no tfjs, no DOM), like metrics.ts: the page calls them on the
 * Evaluations the worker posts, and Node tests call them on hand-made ones.
 */
import { CLASS_NAMES, NUM_CLASSES } from './classes.ts';
import type { Evaluation } from './training/evaluate.ts';

/**
 * The two sides of a comparison, by role: the baseline (a dense network, or a CNN without
 * augmentation) and the challenger (a CNN, or the same CNN with augmentation).
 */
export const COMPARE_MEMBERS = ['baseline', 'challenger'] as const;
export type CompareMember = (typeof COMPARE_MEMBERS)[number];

/** One model's answer for one image. */
export interface MemberPrediction {
  predicted: number;
  /** Probability of the predicted class, in [0, 1]. */
  confidence: number;
}

/** A test image that one model classifies right and the other wrong. */
export interface Disagreement {
  /** Index of the image in the evaluated set. */
  index: number;
  /** True label. */
  label: number;
  baseline: MemberPrediction;
  challenger: MemberPrediction;
}

/** Accuracy on the images of one true class (that is, the class's recall), for each model. */
export interface ClassComparison {
  className: string;
  /** Images of this class in the set. */
  support: number;
  /** Fractions in [0, 1]; 0 when the class has no images. */
  baseline: number;
  challenger: number;
  /** challenger − baseline, in [−1, 1]: positive where the challenger does better. */
  difference: number;
}

export interface Comparison {
  /** Images in the set. */
  count: number;
  /** Images each model classifies right. */
  correct: Record<CompareMember, number>;
  /** correct / count for each model, and challenger − baseline. */
  accuracy: Record<CompareMember, number> & { difference: number };
  perClass: ClassComparison[];
  /** Challenger right, baseline wrong: the most confident baseline mistakes first (ties by index). */
  challengerOnly: Disagreement[];
  /** Baseline right, challenger wrong: the most confident challenger mistakes first (ties by index). */
  baselineOnly: Disagreement[];
  /** Images both get right, and both get wrong (whether or not with the same wrong class). */
  bothRight: number;
  bothWrong: number;
}

function checkEvaluation(name: CompareMember, evaluation: Evaluation, count: number): void {
  if (evaluation.predicted.length !== count || evaluation.confidence.length !== count) {
    throw new RangeError(
      `${name}: the evaluation has ${evaluation.predicted.length} predictions and ${evaluation.confidence.length} confidences for ${count} labels`,
    );
  }
}

/**
 * Compares two evaluations of the same set.
 * @param baseline the baseline's evaluation (its `predicted` and `confidence`, per image)
 * @param challenger the challenger's evaluation of the same images, in the same order
 * @param labels true class per image, length n, integers in [0, 10)
 * Invariant: challengerOnly.length − baselineOnly.length = correct.challenger − correct.baseline.
 */
export function compareEvaluations(baseline: Evaluation, challenger: Evaluation, labels: ArrayLike<number>): Comparison {
  const count = labels.length;
  checkEvaluation('baseline', baseline, count);
  checkEvaluation('challenger', challenger, count);
  const support = new Array<number>(NUM_CLASSES).fill(0);
  const right = { baseline: new Array<number>(NUM_CLASSES).fill(0), challenger: new Array<number>(NUM_CLASSES).fill(0) };
  const challengerOnly: Disagreement[] = [];
  const baselineOnly: Disagreement[] = [];
  let bothRight = 0;
  let bothWrong = 0;
  for (let i = 0; i < count; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= NUM_CLASSES) {
      throw new RangeError(`labels[${i}] = ${label} is not a class index in [0, ${NUM_CLASSES - 1}]`);
    }
    support[label]++;
    const d = baseline.predicted[i] === label;
    const c = challenger.predicted[i] === label;
    if (d) right.baseline[label]++;
    if (c) right.challenger[label]++;
    if (d && c) bothRight++;
    else if (!d && !c) bothWrong++;
    else {
      const entry: Disagreement = {
        index: i,
        label,
        baseline: { predicted: baseline.predicted[i], confidence: baseline.confidence[i] },
        challenger: { predicted: challenger.predicted[i], confidence: challenger.confidence[i] },
      };
      (c ? challengerOnly : baselineOnly).push(entry);
    }
  }
  // The wrong model's confidence ranks an entry: a confident mistake the other model avoids is the telling one.
  challengerOnly.sort((a, b) => b.baseline.confidence - a.baseline.confidence || a.index - b.index);
  baselineOnly.sort((a, b) => b.challenger.confidence - a.challenger.confidence || a.index - b.index);

  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const correct = { baseline: sum(right.baseline), challenger: sum(right.challenger) };
  const fraction = (n: number, of: number) => (of === 0 ? 0 : n / of);
  const accuracy = { baseline: fraction(correct.baseline, count), challenger: fraction(correct.challenger, count) };
  return {
    count,
    correct,
    accuracy: { ...accuracy, difference: accuracy.challenger - accuracy.baseline },
    perClass: support.map((n, k) => {
      const baselineAcc = fraction(right.baseline[k], n);
      const challengerAcc = fraction(right.challenger[k], n);
      return {
        className: CLASS_NAMES[k],
        support: n,
        baseline: baselineAcc,
        challenger: challengerAcc,
        difference: challengerAcc - baselineAcc,
      };
    }),
    challengerOnly,
    baselineOnly,
    bothRight,
    bothWrong,
  };
}
