/** Plain-text tables for the terminal: the confusion matrix and the per-class report. */
import { CLASS_NAMES } from '../../src/core/classes.ts';
import type { ClassificationReport } from '../../src/core/metrics.ts';

const pad = (text: string, width: number) => text.padStart(width);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Short column headings: the full names do not fit ten columns in 100 characters. */
const SHORT = ['T-shirt', 'Trouser', 'Pullovr', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Boot'];

export function formatConfusion(confusion: number[][]): string {
  const nameWidth = Math.max(...CLASS_NAMES.map((n) => n.length));
  const lines = [`${'true \\ predicted'.padEnd(nameWidth)} ${SHORT.map((s) => pad(s, 7)).join(' ')}`];
  confusion.forEach((row, i) => {
    lines.push(`${CLASS_NAMES[i].padEnd(nameWidth)} ${row.map((v) => pad(String(v), 7)).join(' ')}`);
  });
  return lines.join('\n');
}

export function formatReport(report: ClassificationReport): string {
  const nameWidth = Math.max(12, ...CLASS_NAMES.map((n) => n.length));
  const header = `${'class'.padEnd(nameWidth)} ${['precision', 'recall', 'f1', 'support'].map((h) => pad(h, 9)).join(' ')}`;
  const row = (name: string, p: number, r: number, f: number, support: number) =>
    `${name.padEnd(nameWidth)} ${[pct(p), pct(r), pct(f), String(support)].map((v) => pad(v, 9)).join(' ')}`;
  return [
    header,
    ...report.perClass.map((c) => row(c.className, c.precision, c.recall, c.f1, c.support)),
    row('macro avg', report.macroAvg.precision, report.macroAvg.recall, report.macroAvg.f1, report.total),
    row('weighted avg', report.weightedAvg.precision, report.weightedAvg.recall, report.weightedAvg.f1, report.total),
    `${'accuracy'.padEnd(nameWidth)} ${pad(pct(report.accuracy), 9)}`,
  ].join('\n');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
