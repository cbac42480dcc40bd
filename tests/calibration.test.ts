import { describe, expect, it } from 'vitest';
import { NUM_CLASSES } from '../src/core/classes.ts';
import { applyTemperature, expectedCalibrationError, fitTemperature, negativeLogLikelihood } from '../src/core/calibration.ts';
import { Rng } from '../src/core/rng.ts';

/** Softmax of `logits` (one row). */
function softmax(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * n answers from a model that is calibrated at heart (each label is drawn from the probabilities of
 * its logits) but reports its logits multiplied by `overconfidence`: temperature `overconfidence`
 * undoes exactly that.
 */
function answers(n: number, overconfidence: number, seed = 1) {
  const rng = new Rng(seed);
  const probs = new Float32Array(n * NUM_CLASSES);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const logits = Array.from({ length: NUM_CLASSES }, () => rng.next() * 2);
    logits[Math.floor(rng.next() * NUM_CLASSES)] += 1 + 3 * rng.next();
    const truth = softmax(logits);
    let u = rng.next();
    let label = 0;
    while (label < NUM_CLASSES - 1 && u >= truth[label]) u -= truth[label++];
    labels[i] = label;
    probs.set(softmax(logits.map((l) => l * overconfidence)), i * NUM_CLASSES);
  }
  return { probs, labels };
}

describe('calibration', () => {
  it('ECE is 0 for answers as confident as they are right, and the confidence gap otherwise', () => {
    // Two answers at 100% confidence, both right: perfectly calibrated.
    const sure = new Float32Array(2 * NUM_CLASSES);
    sure[3] = 1;
    sure[NUM_CLASSES + 5] = 1;
    expect(expectedCalibrationError(sure, [3, 5])).toBeCloseTo(0, 6);
    // The same answers with one of them wrong: the bin at 100% is right half the time.
    expect(expectedCalibrationError(sure, [3, 4])).toBeCloseTo(0.5, 6);
  });

  it('temperature 1 changes nothing; above 1 it softens, below 1 it sharpens; rows still sum to 1', () => {
    const p = Float32Array.from(softmax([3, 1, 0, 0, 0, 0, 0, 0, 0, -1]));
    expect(Array.from(applyTemperature(p, 1))).toEqual(Array.from(p).map((v) => expect.closeTo(v, 6)));
    const soft = applyTemperature(p, 2);
    const sharp = applyTemperature(p, 0.5);
    expect(soft[0]).toBeLessThan(p[0]);
    expect(sharp[0]).toBeGreaterThan(p[0]);
    for (const row of [soft, sharp]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // The order of the classes never changes.
    expect(soft.indexOf(Math.max(...soft))).toBe(0);
    expect(() => applyTemperature(p, 0)).toThrow(/positive/);
    expect(() => applyTemperature(p.subarray(0, 7), 1)).toThrow(/rows/);
  });

  it('fits a temperature above 1 for an overconfident model and below 1 for an underconfident one, lowering NLL and ECE', () => {
    const over = answers(3000, 3);
    const tOver = fitTemperature(over.probs, over.labels);
    expect(tOver).toBeGreaterThan(2.5);
    expect(tOver).toBeLessThan(3.5);
    expect(negativeLogLikelihood(over.probs, over.labels, tOver)).toBeLessThan(negativeLogLikelihood(over.probs, over.labels));
    // Judged on other answers of the same model: the fitted temperature generalises.
    const fresh = answers(3000, 3, 2);
    const before = expectedCalibrationError(fresh.probs, fresh.labels);
    const after = expectedCalibrationError(applyTemperature(fresh.probs, tOver), fresh.labels);
    expect(after).toBeLessThan(before / 2);

    const under = answers(3000, 0.5);
    expect(fitTemperature(under.probs, under.labels)).toBeLessThan(0.8);
    // A calibrated model keeps a temperature near 1.
    const calibrated = answers(3000, 1);
    expect(fitTemperature(calibrated.probs, calibrated.labels)).toBeCloseTo(1, 0);
  });
});
