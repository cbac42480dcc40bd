/**
 * Two models' evaluations on the same labelled set, side by side: accuracy and per-class accuracy
 * of each with their differences, and the images where exactly one of the two is right.
 *
 * Pure functions over plain arrays (no tfjs, no DOM), like metrics.ts: the page calls them on the
 * Evaluations the worker posts, and Node tests call them on hand-made ones.
 */
import { CLASS_NAMES, NUM_CLASSES } from './classes.ts';
import type { Evaluation } from './training/evaluate.ts';

/** The two sides of a comparison: a dense-only network and a CNN. */
export const COMPARE_MEMBERS = ['dense', 'cnn'] as const;
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
  dense: MemberPrediction;
  cnn: MemberPrediction;
}

/** Accuracy on the images of one true class (that is, the class's recall), for each model. */
export interface ClassComparison {
  className: string;
  /** Images of this class in the set. */
  support: number;
  /** Fractions in [0, 1]; 0 when the class has no images. */
  dense: number;
  cnn: number;
  /** cnn − dense, in [−1, 1]: positive where the CNN does better. */
  difference: number;
}

export interface Comparison {
  /** Images in the set. */
  count: number;
  /** Images each model classifies right. */
  correct: Record<CompareMember, number>;
  /** correct / count for each model, and cnn − dense. */
  accuracy: Record<CompareMember, number> & { difference: number };
  perClass: ClassComparison[];
  /** CNN right, dense wrong: the most confident dense mistakes first (ties by index). */
  cnnOnly: Disagreement[];
  /** Dense right, CNN wrong: the most confident CNN mistakes first (ties by index). */
  denseOnly: Disagreement[];
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
 * @param dense the dense network's evaluation (its `predicted` and `confidence`, per image)
 * @param cnn the CNN's evaluation of the same images, in the same order
 * @param labels true class per image, length n, integers in [0, 10)
 * Invariant: cnnOnly.length − denseOnly.length = correct.cnn − correct.dense.
 */
export function compareEvaluations(dense: Evaluation, cnn: Evaluation, labels: ArrayLike<number>): Comparison {
  const count = labels.length;
  checkEvaluation('dense', dense, count);
  checkEvaluation('cnn', cnn, count);
  const support = new Array<number>(NUM_CLASSES).fill(0);
  const right = { dense: new Array<number>(NUM_CLASSES).fill(0), cnn: new Array<number>(NUM_CLASSES).fill(0) };
  const cnnOnly: Disagreement[] = [];
  const denseOnly: Disagreement[] = [];
  let bothRight = 0;
  let bothWrong = 0;
  for (let i = 0; i < count; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= NUM_CLASSES) {
      throw new RangeError(`labels[${i}] = ${label} is not a class index in [0, ${NUM_CLASSES - 1}]`);
    }
    support[label]++;
    const d = dense.predicted[i] === label;
    const c = cnn.predicted[i] === label;
    if (d) right.dense[label]++;
    if (c) right.cnn[label]++;
    if (d && c) bothRight++;
    else if (!d && !c) bothWrong++;
    else {
      const entry: Disagreement = {
        index: i,
        label,
        dense: { predicted: dense.predicted[i], confidence: dense.confidence[i] },
        cnn: { predicted: cnn.predicted[i], confidence: cnn.confidence[i] },
      };
      (c ? cnnOnly : denseOnly).push(entry);
    }
  }
  // The wrong model's confidence ranks an entry: a confident mistake the other model avoids is the telling one.
  cnnOnly.sort((a, b) => b.dense.confidence - a.dense.confidence || a.index - b.index);
  denseOnly.sort((a, b) => b.cnn.confidence - a.cnn.confidence || a.index - b.index);

  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const correct = { dense: sum(right.dense), cnn: sum(right.cnn) };
  const fraction = (n: number, of: number) => (of === 0 ? 0 : n / of);
  const accuracy = { dense: fraction(correct.dense, count), cnn: fraction(correct.cnn, count) };
  return {
    count,
    correct,
    accuracy: { ...accuracy, difference: accuracy.cnn - accuracy.dense },
    perClass: support.map((n, k) => {
      const denseAcc = fraction(right.dense[k], n);
      const cnnAcc = fraction(right.cnn[k], n);
      return { className: CLASS_NAMES[k], support: n, dense: denseAcc, cnn: cnnAcc, difference: cnnAcc - denseAcc };
    }),
    cnnOnly,
    denseOnly,
    bothRight,
    bothWrong,
  };
}
