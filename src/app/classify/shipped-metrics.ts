/**
 * What the page reads from a ready-trained model's metrics.json (written by the command line:
 * `npm run train`, `npm run calibrate`, `npm run bench:answers -- --write-metrics`): its test
 * accuracy, how its confidence was calibrated and how it reads sketches and photos. The file is
 * data from the network, so every field is checked before it is believed.
 */
import { formatInt, formatPercent } from '../format.ts';
import { benchmarkWords } from './answering-rule.ts';

export interface ShippedFacts {
  accuracy: number | null;
  /** Accuracy on the sketch and product-photo benchmarks (`npm run bench:answers`), null when not recorded. */
  sketches: number | null;
  photos: number | null;
  /** "reads 39.4% of sketches and 91.0% of product photos in our benchmark of …", or null. */
  scores: string | null;
  /** How its confidence was calibrated, for the model's details. */
  calibration: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

export function shippedFacts(metrics: unknown): ShippedFacts {
  const m = obj(metrics);
  const accuracy = num(obj(m?.test)?.accuracy);
  const answers = obj(m?.answers);
  const sketches = num(answers?.sketchAccuracy);
  const photos = num(answers?.photoAccuracy);
  const scores = benchmarkWords({ test: accuracy, sketches, photos });
  const cal = obj(m?.calibration);
  const t = num(cal?.temperature);
  const ece = obj(cal?.eceTest);
  const before = num(ece?.before);
  const after = num(ece?.after);
  const fitImages = num(cal?.fitImages);
  const where = cal?.fittedOn === 'validation' ? 'held-out validation images' : 'half of the test set';
  const calibration =
    t !== null && before !== null && after !== null
      ? `Confidence calibrated: its scores are divided by a temperature of ${t.toFixed(2)}, fitted on ${fitImages === null ? '' : `${formatInt(fitImages)} `}${where}; ` +
        `expected calibration error on test images ${formatPercent(before)} before, ${formatPercent(after)} after.`
      : 'Confidence not calibrated.';
  return { accuracy, sketches, photos, scores, calibration };
}
