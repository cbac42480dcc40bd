/**
 * Evaluation metrics for a classifier: confusion matrix, per-class precision / recall / F1,
 * argmax of probability rows and a ranked list of mistakes.
 *
 * Pure functions over plain arrays (no tfjs, no DOM): results are plain numbers and arrays so
 * they can be posted across a Web Worker boundary unchanged.
 *
 * Convention: a ratio whose denominator is 0 is reported as 0 (scikit-learn's
 * `zero_division=0`). E.g. a class the model never predicts has precision 0, a class absent from
 * the labels has recall 0; F1 is 0 when precision + recall is 0.
 */
import { CLASS_NAMES, NUM_CLASSES } from './classes.ts';

/** Precision, recall and F1 of one class, each a fraction in [0, 1]. */
export interface ClassMetrics {
  className: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of examples whose true label is this class. */
  support: number;
}

/** An average of per-class scores, each a fraction in [0, 1]. */
export interface AverageMetrics {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  /** One entry per class, in label order. */
  perClass: ClassMetrics[];
  /** Fraction of all examples on the diagonal, in [0, 1] (0 when there are no examples). */
  accuracy: number;
  /** Unweighted mean over classes (every class counts the same, even with support 0). */
  macroAvg: AverageMetrics;
  /** Mean over classes weighted by support (0 when there are no examples). */
  weightedAvg: AverageMetrics;
  /** Number of examples (sum of the confusion matrix). */
  total: number;
}

/** One wrongly classified example. */
export interface Misclassification {
  /** Row index of the example in the inputs. */
  index: number;
  /** True label. */
  label: number;
  /** Predicted label (argmax of the row). */
  predicted: number;
  /** Probability of the predicted class, in [0, 1] for softmax outputs. */
  confidence: number;
  /** Probability the model gave to the true label. */
  trueClassProbability: number;
}

/** 0/0 → 0, see the module comment. */
function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

function checkNumClasses(numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  }
}

function checkLabels(name: string, values: ArrayLike<number>, numClasses: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new RangeError(`${name}[${i}] = ${v} is not a class index in [0, ${numClasses - 1}]`);
    }
  }
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, nameA: string, nameB: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${nameA} has length ${a.length} but ${nameB} has length ${b.length}`);
  }
}

/** Validates a flat [n × numClasses] probability array against n labels (or any n if omitted). */
function checkProbs(probs: ArrayLike<number>, numClasses: number, expectedRows?: number): number {
  if (probs.length % numClasses !== 0) {
    throw new RangeError(`probs has length ${probs.length}, not a multiple of numClasses = ${numClasses}`);
  }
  const rows = probs.length / numClasses;
  if (expectedRows !== undefined && rows !== expectedRows) {
    throw new RangeError(`probs has ${rows} rows but labels has length ${expectedRows}`);
  }
  for (let i = 0; i < probs.length; i++) {
    if (!Number.isFinite(probs[i])) {
      throw new RangeError(`probs[${i}] = ${probs[i]} is not finite`);
    }
  }
  return rows;
}

/**
 * Counts (true label, predicted label) pairs.
 * @param labels true class per example, length n, integers in [0, numClasses)
 * @param predicted predicted class per example, length n, integers in [0, numClasses)
 * @returns numClasses × numClasses counts; `m[t][p]` = examples of true class t predicted as p
 *   (rows = true class, columns = predicted class)
 */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number = NUM_CLASSES): number[][] {
  checkNumClasses(numClasses);
  checkSameLength(labels, predicted, 'labels', 'predicted');
  checkLabels('labels', labels, numClasses);
  checkLabels('predicted', predicted, numClasses);
  const m: number[][] = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++;
  return m;
}

/**
 * Precision, recall, F1 and support per class, plus accuracy and macro / weighted averages.
 * 0/0 is defined as 0 (scikit-learn's zero_division=0).
 * @param confusion square k × k matrix of non-negative counts, rows = true, columns = predicted
 * @param classNames k names, index = label (defaults to the Fashion-MNIST names)
 */
export function classificationReport(confusion: number[][], classNames: readonly string[] = CLASS_NAMES): ClassificationReport {
  const k = confusion.length;
  if (k === 0) throw new RangeError('confusion must have at least one row');
  if (classNames.length !== k) {
    throw new RangeError(`classNames has length ${classNames.length} but confusion has ${k} rows`);
  }
  const colSums = new Array<number>(k).fill(0);
  let total = 0;
  let correct = 0;
  confusion.forEach((row, t) => {
    if (row.length !== k) throw new RangeError(`confusion[${t}] has length ${row.length}, expected ${k}`);
    row.forEach((c, p) => {
      if (!Number.isFinite(c) || c < 0) throw new RangeError(`confusion[${t}][${p}] = ${c} is not a count`);
      colSums[p] += c;
      total += c;
      if (t === p) correct += c;
    });
  });

  const perClass: ClassMetrics[] = confusion.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((s, v) => s + v, 0);
    const precision = ratio(tp, colSums[c]);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { className: classNames[c], precision, recall, f1, support };
  });

  const avg = (weight: (m: ClassMetrics) => number): AverageMetrics => {
    let w = 0;
    const sum = { precision: 0, recall: 0, f1: 0 };
    for (const m of perClass) {
      const wi = weight(m);
      w += wi;
      sum.precision += wi * m.precision;
      sum.recall += wi * m.recall;
      sum.f1 += wi * m.f1;
    }
    return { precision: ratio(sum.precision, w), recall: ratio(sum.recall, w), f1: ratio(sum.f1, w) };
  };

  return {
    perClass,
    accuracy: ratio(correct, total),
    macroAvg: avg(() => 1),
    weightedAvg: avg((m) => m.support),
    total,
  };
}

/**
 * Index and value of the largest entry of each row (first index wins ties).
 * @param probs flat row-major [n × numClasses] scores (probabilities or logits), all finite
 * @returns `predicted` (length n, class indices) and `confidence` (length n, the row maximum)
 */
export function argmaxRows(
  probs: ArrayLike<number>,
  numClasses: number = NUM_CLASSES,
): { predicted: Int32Array | number[]; confidence: number[] } {
  checkNumClasses(numClasses);
  const n = checkProbs(probs, numClasses);
  // A plain array, not Int32Array: it is posted across the worker boundary and JSON-friendly.
  const predicted = new Array<number>(n);
  const confidence = new Array<number>(n);
  for (let r = 0; r < n; r++) {
    const base = r * numClasses;
    let best = 0;
    let bestValue = probs[base];
    for (let c = 1; c < numClasses; c++) {
      const v = probs[base + c];
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    predicted[r] = best;
    confidence[r] = bestValue;
  }
  return { predicted, confidence };
}

/**
 * Examples whose argmax differs from the label, most confident mistakes first (ties by index):
 * the top of the list is where the model is most sure and most wrong.
 * @param labels true class per example, length n
 * @param probs flat row-major [n × numClasses] probabilities, all finite
 */
export function misclassified(labels: ArrayLike<number>, probs: ArrayLike<number>, numClasses: number = NUM_CLASSES): Misclassification[] {
  checkNumClasses(numClasses);
  checkProbs(probs, numClasses, labels.length);
  checkLabels('labels', labels, numClasses);
  const { predicted, confidence } = argmaxRows(probs, numClasses);
  const out: Misclassification[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (predicted[i] === labels[i]) continue;
    out.push({
      index: i,
      label: labels[i],
      predicted: predicted[i],
      confidence: confidence[i],
      trueClassProbability: probs[i * numClasses + labels[i]],
    });
  }
  out.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  return out;
}

/**
 * Fraction of examples with `predicted[i] === labels[i]`, in [0, 1]; 0 for empty inputs.
 * @param labels true class per example, length n
 * @param predicted predicted class per example, length n
 */
export function accuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkSameLength(labels, predicted, 'labels', 'predicted');
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predicted[i]) correct++;
  return ratio(correct, labels.length);
}
