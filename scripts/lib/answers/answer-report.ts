/** How a model answers one benchmark: accuracy per class, the commonest confusions, calibration. */
import { expectedCalibrationError } from '../../../src/core/calibration.ts';
import { CLASS_NAMES, NUM_CLASSES } from '../../../src/core/classes.ts';
import { argmaxRows } from '../../../src/core/metrics.ts';

export interface ConfusionPair {
  /** True class and the class answered, by name. */
  truth: string;
  answer: string;
  count: number;
}

export interface AnswerReport {
  items: number;
  accuracy: number;
  /** Accuracy of each class, in class order; null for a class with no items. */
  perClass: (number | null)[];
  /** Wrong answers by (truth, answer), commonest first. */
  confusions: ConfusionPair[];
  /** Expected calibration error (15 bins) of the probabilities as given. */
  ece: number;
}

/** The report of `probs` (n × 10) against `labels`. */
export function answerReport(probs: Float32Array, labels: ArrayLike<number>): AnswerReport {
  const { predicted } = argmaxRows(probs, NUM_CLASSES);
  const total = new Array<number>(NUM_CLASSES).fill(0);
  const right = new Array<number>(NUM_CLASSES).fill(0);
  const wrong = new Map<string, ConfusionPair>();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    total[t]++;
    if (predicted[i] === t) {
      right[t]++;
      correct++;
    } else {
      const key = `${t}>${predicted[i]}`;
      const pair = wrong.get(key) ?? { truth: CLASS_NAMES[t], answer: CLASS_NAMES[predicted[i]], count: 0 };
      pair.count++;
      wrong.set(key, pair);
    }
  }
  return {
    items: labels.length,
    accuracy: labels.length ? correct / labels.length : 0,
    perClass: total.map((n, k) => (n ? right[k] / n : null)),
    confusions: [...wrong.values()].sort((a, b) => b.count - a.count),
    ece: expectedCalibrationError(probs, labels),
  };
}

const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(1)}%`);

/** A Markdown table: one row per class, one column per named report. */
export function perClassTable(columns: Record<string, AnswerReport>): string {
  const names = Object.keys(columns);
  const lines = [`| class | ${names.join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`];
  for (let k = 0; k < NUM_CLASSES; k++) lines.push(`| ${CLASS_NAMES[k]} | ${names.map((n) => pct(columns[n].perClass[k])).join(' | ')} |`);
  lines.push(`| **all** | ${names.map((n) => `**${pct(columns[n].accuracy)}**`).join(' | ')} |`);
  lines.push(`| ECE | ${names.map((n) => pct(columns[n].ece)).join(' | ')} |`);
  return lines.join('\n');
}

/** The commonest confusions, e.g. "Ankle boot → Sandal 12, Coat → Bag 9". */
export function confusionLine(report: AnswerReport, top = 6): string {
  return (
    report.confusions
      .slice(0, top)
      .map((c) => `${c.truth} → ${c.answer} ${c.count}`)
      .join(', ') || 'none'
  );
}
