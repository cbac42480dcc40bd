/**
 * Honest confidence: how far a model's stated probabilities are from how often it is right, and
 * temperature scaling (Guo et al., 2017) to bring them together. A temperature T divides the
 * logits before the softmax; with probabilities p in hand that is p_k^(1/T) renormalised, since
 * log p_k = z_k − logsumexp(z). T > 1 softens an overconfident model, T < 1 sharpens a timid one;
 * the ranking of the classes, and so the accuracy, never changes.
 */
import { NUM_CLASSES } from './classes.ts';

/** The bins of the expected calibration error, as the literature reports it. */
export const ECE_BINS = 15;
/** The temperatures a fit may choose from. */
export const TEMPERATURE_RANGE = [0.05, 20] as const;

function checkRows(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (probs.length !== labels.length * NUM_CLASSES) {
    throw new RangeError(`probs has ${probs.length} values, expected labels.length × ${NUM_CLASSES} = ${labels.length * NUM_CLASSES}`);
  }
  return labels.length;
}

/**
 * Expected calibration error: the rows are put in `bins` equal-width bins by their top
 * probability, and the gap between each bin's mean confidence and its accuracy is averaged,
 * weighted by the bin's share of rows. 0 is perfect; 0.1 means confidences are off by 10 points.
 * @param probs n × 10 probabilities, row-major
 * @param labels n true classes
 */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = ECE_BINS): number {
  const n = checkRows(probs, labels);
  if (n === 0) return 0;
  const count = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  const correct = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    let top = 0;
    for (let k = 1; k < NUM_CLASSES; k++) if (probs[i * NUM_CLASSES + k] > probs[i * NUM_CLASSES + top]) top = k;
    const p = probs[i * NUM_CLASSES + top];
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]++;
    confidence[b] += p;
    if (top === labels[i]) correct[b]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += Math.abs(confidence[b] - correct[b]) / n;
  return ece;
}

/** Row `offset` of `probs` at temperature `t`, written into `out` at `outOffset`. */
function scaleRow(probs: ArrayLike<number>, offset: number, t: number, out: Float32Array | Float64Array, outOffset: number): void {
  // Work in logs, shifted by the largest, so tiny probabilities neither underflow nor divide by 0.
  let max = -Infinity;
  const logs = new Float64Array(NUM_CLASSES);
  for (let k = 0; k < NUM_CLASSES; k++) {
    logs[k] = Math.log(Math.max(probs[offset + k], 1e-30)) / t;
    if (logs[k] > max) max = logs[k];
  }
  let sum = 0;
  for (let k = 0; k < NUM_CLASSES; k++) sum += Math.exp(logs[k] - max);
  for (let k = 0; k < NUM_CLASSES; k++) out[outOffset + k] = Math.exp(logs[k] - max) / sum;
}

/**
 * The probabilities the model would give with its logits divided by `temperature`.
 * @param probs n × 10 probabilities, row-major (one row is fine: a single answer)
 */
export function applyTemperature(probs: ArrayLike<number>, temperature: number): Float32Array {
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  if (probs.length % NUM_CLASSES !== 0)
    throw new RangeError(`probs has ${probs.length} values, not a whole number of rows of ${NUM_CLASSES}`);
  const out = new Float32Array(probs.length);
  for (let o = 0; o < probs.length; o += NUM_CLASSES) scaleRow(probs, o, temperature, out, o);
  return out;
}

/** Mean negative log-likelihood of the true classes at temperature `t`. */
export function negativeLogLikelihood(probs: ArrayLike<number>, labels: ArrayLike<number>, t = 1): number {
  const n = checkRows(probs, labels);
  const row = new Float64Array(NUM_CLASSES);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    scaleRow(probs, i * NUM_CLASSES, t, row, 0);
    sum -= Math.log(Math.max(row[labels[i]], 1e-30));
  }
  return n > 0 ? sum / n : 0;
}

/**
 * The temperature that minimises the negative log-likelihood of `labels` (a held-out validation
 * split, never the test set), by golden-section search over log T in TEMPERATURE_RANGE: the NLL
 * is convex in 1/T, so the search cannot stop in a false minimum.
 */
export function fitTemperature(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = checkRows(probs, labels);
  if (n === 0) return 1;
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(TEMPERATURE_RANGE[0]);
  let hi = Math.log(TEMPERATURE_RANGE[1]);
  const f = (logT: number) => negativeLogLikelihood(probs, labels, Math.exp(logT));
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < 60 && hi - lo > 1e-4; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = f(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}
