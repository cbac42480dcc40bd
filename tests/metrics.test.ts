import { describe, expect, it } from 'vitest';
import { CLASS_NAMES, NUM_CLASSES } from '../src/core/classes.ts';
import { accuracy, argmaxRows, classificationReport, confusionMatrix, misclassified } from '../src/core/metrics.ts';

const NAMES3 = ['a', 'b', 'c'] as const;

describe('confusionMatrix + classificationReport, 3 classes worked by hand', () => {
  // labels    0 0 0 0 1 1 2 2
  // predicted 0 0 0 1 1 2 2 2
  //
  // confusion (rows = true, cols = predicted)   row sums (support)   column sums
  //   [3 1 0]                                   4                    3
  //   [0 1 1]                                   2                    2
  //   [0 0 2]                                   2                    3
  //
  // class a: P = 3/3 = 1,   R = 3/4, F1 = 2·1·(3/4) / (7/4) = 6/7
  // class b: P = 1/2,       R = 1/2, F1 = 1/2
  // class c: P = 2/3,       R = 2/2 = 1, F1 = 2·(2/3)·1 / (5/3) = 4/5
  // accuracy = (3+1+2)/8 = 3/4
  // macro:    P = (1 + 1/2 + 2/3)/3 = 13/18, R = (3/4 + 1/2 + 1)/3 = 3/4, F1 = (6/7 + 1/2 + 4/5)/3 = 151/210
  // weighted: P = (4·1 + 2·1/2 + 2·2/3)/8 = 19/24, R = (3 + 1 + 2)/8 = 3/4,
  //           F1 = (4·6/7 + 2·1/2 + 2·4/5)/8 = 211/280
  const labels = [0, 0, 0, 0, 1, 1, 2, 2];
  const predicted = [0, 0, 0, 1, 1, 2, 2, 2];

  it('builds the confusion matrix with rows = true class', () => {
    expect(confusionMatrix(labels, predicted, 3)).toEqual([
      [3, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
  });

  it('computes per-class and averaged scores', () => {
    const r = classificationReport(confusionMatrix(labels, predicted, 3), NAMES3);
    const expected = [
      { className: 'a', precision: 1, recall: 3 / 4, f1: 6 / 7, support: 4 },
      { className: 'b', precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 },
      { className: 'c', precision: 2 / 3, recall: 1, f1: 4 / 5, support: 2 },
    ];
    expect(r.perClass).toHaveLength(3);
    r.perClass.forEach((m, i) => {
      expect(m.className).toBe(expected[i].className);
      expect(m.support).toBe(expected[i].support);
      expect(m.precision).toBeCloseTo(expected[i].precision, 12);
      expect(m.recall).toBeCloseTo(expected[i].recall, 12);
      expect(m.f1).toBeCloseTo(expected[i].f1, 12);
    });
    expect(r.total).toBe(8);
    expect(r.accuracy).toBeCloseTo(3 / 4, 12);
    expect(r.macroAvg.precision).toBeCloseTo(13 / 18, 12);
    expect(r.macroAvg.recall).toBeCloseTo(3 / 4, 12);
    expect(r.macroAvg.f1).toBeCloseTo(151 / 210, 12);
    expect(r.weightedAvg.precision).toBeCloseTo(19 / 24, 12);
    expect(r.weightedAvg.recall).toBeCloseTo(3 / 4, 12);
    expect(r.weightedAvg.f1).toBeCloseTo(211 / 280, 12);
    expect(accuracy(labels, predicted)).toBeCloseTo(3 / 4, 12);
  });
});

describe('classificationReport edge cases', () => {
  it('gives precision 0 (not NaN) to a class that is never predicted', () => {
    // Everything predicted as class 0: classes 1 and 2 have 0/0 precision → 0, recall 0/1 → 0.
    const r = classificationReport(confusionMatrix([0, 1, 2], [0, 0, 0], 3), NAMES3);
    expect(r.perClass[0]).toMatchObject({ precision: 1 / 3, recall: 1, f1: 0.5, support: 1 });
    for (const i of [1, 2]) {
      expect(r.perClass[i]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    }
    expect(r.macroAvg.precision).toBeCloseTo(1 / 9, 12);
  });

  it('gives recall 0 to a class absent from the labels and excludes it from the weighted average', () => {
    const r = classificationReport(confusionMatrix([0, 0], [0, 1], 3), NAMES3);
    expect(r.perClass[2]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.weightedAvg.recall).toBeCloseTo(0.5, 12);
    expect(r.macroAvg.recall).toBeCloseTo(0.5 / 3, 12);
  });

  it('reports all zeros for an empty confusion matrix', () => {
    const r = classificationReport(confusionMatrix([], [], 3), NAMES3);
    expect(r.total).toBe(0);
    expect(r.accuracy).toBe(0);
    expect(r.macroAvg).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(r.weightedAvg).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(accuracy([], [])).toBe(0);
  });

  it('scores perfect predictions as 1 everywhere, with the Fashion-MNIST names by default', () => {
    const labels = Array.from({ length: 30 }, (_, i) => i % NUM_CLASSES);
    const r = classificationReport(confusionMatrix(labels, labels));
    expect(r.perClass.map((m) => m.className)).toEqual([...CLASS_NAMES]);
    for (const m of r.perClass) expect(m).toMatchObject({ precision: 1, recall: 1, f1: 1, support: 3 });
    expect(r.accuracy).toBe(1);
    expect(r.macroAvg).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(r.weightedAvg).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(accuracy(labels, labels)).toBe(1);
  });
});

describe('argmaxRows', () => {
  it('returns the index and value of each row maximum, first index on ties', () => {
    const probs = new Float32Array([0.1, 0.7, 0.2, 0.5, 0.25, 0.25, 0.3, 0.3, 0.4, 0.4, 0.4, 0.2]);
    const { predicted, confidence } = argmaxRows(probs, 3);
    expect(Array.from(predicted)).toEqual([1, 0, 2, 0]);
    expect(confidence.map((c) => Math.round(c * 100) / 100)).toEqual([0.7, 0.5, 0.4, 0.4]);
  });

  it('handles negative logits', () => {
    expect(Array.from(argmaxRows([-3, -1, -2], 3).predicted)).toEqual([1]);
  });
});

describe('misclassified', () => {
  it('lists only mistakes, most confident first, ties by index', () => {
    // row: label → argmax (confidence)
    // 0: 0 → 0 (0.9)   correct
    // 1: 0 → 1 (0.6)
    // 2: 2 → 0 (0.8)
    // 3: 1 → 2 (0.6)   same confidence as row 1 → after it
    // 4: 1 → 1 (0.5)   correct
    // prettier-ignore
    const probs = [
      0.9, 0.05, 0.05,
      0.3, 0.6, 0.1,
      0.8, 0.15, 0.05,
      0.1, 0.3, 0.6,
      0.25, 0.5, 0.25,
    ];
    const labels = [0, 0, 2, 1, 1];
    const m = misclassified(labels, probs, 3);
    expect(m.map((x) => x.index)).toEqual([2, 1, 3]);
    expect(m[0]).toEqual({ index: 2, label: 2, predicted: 0, confidence: 0.8, trueClassProbability: 0.05 });
    expect(m[1]).toEqual({ index: 1, label: 0, predicted: 1, confidence: 0.6, trueClassProbability: 0.3 });
    expect(m[2]).toEqual({ index: 3, label: 1, predicted: 2, confidence: 0.6, trueClassProbability: 0.3 });
  });

  it('returns an empty list when every prediction is right', () => {
    expect(misclassified([1, 0], [0.2, 0.8, 0.9, 0.1], 2)).toEqual([]);
  });
});

describe('input validation', () => {
  it('rejects length mismatches, naming the arguments', () => {
    expect(() => confusionMatrix([0, 1], [0], 3)).toThrow(/labels.*predicted/);
    expect(() => accuracy([0, 1], [0])).toThrow(/labels.*predicted/);
    expect(() => misclassified([0, 1], [0.5, 0.5, 0, 1], 3)).toThrow(/probs has length 4, not a multiple/);
    expect(() => misclassified([0, 1], [0.5, 0.5, 0], 3)).toThrow(/probs has 1 rows but labels has length 2/);
    expect(() => argmaxRows([0.5, 0.5], 3)).toThrow(/probs/);
  });

  it('rejects labels out of range or not integers', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/labels\[1\] = 3/);
    expect(() => confusionMatrix([0, -1], [0, 1], 3)).toThrow(/labels\[1\] = -1/);
    expect(() => confusionMatrix([0, 1], [0, 1.5], 3)).toThrow(/predicted\[1\] = 1.5/);
    expect(() => misclassified([5], [0.5, 0.5, 0], 3)).toThrow(/labels\[0\] = 5/);
  });

  it('rejects non-finite probabilities', () => {
    expect(() => argmaxRows([0.5, NaN, 0], 3)).toThrow(/probs\[1\] = NaN/);
    expect(() => misclassified([0], [0.5, Infinity, 0], 3)).toThrow(/probs\[1\] = Infinity/);
  });

  it('rejects malformed confusion matrices and class names', () => {
    expect(() => classificationReport([[1, 0], [0]], ['a', 'b'])).toThrow(/confusion\[1\]/);
    expect(() =>
      classificationReport(
        [
          [1, -1],
          [0, 1],
        ],
        ['a', 'b'],
      ),
    ).toThrow(/confusion\[0\]\[1\]/);
    expect(() =>
      classificationReport(
        [
          [1, 0],
          [0, 1],
        ],
        ['a'],
      ),
    ).toThrow(/classNames/);
    expect(() => classificationReport([], [])).toThrow(/confusion/);
    expect(() => confusionMatrix([0], [0], 0)).toThrow(/numClasses/);
  });
});
