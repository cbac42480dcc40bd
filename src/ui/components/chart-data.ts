/** What the tfjs-vis charts are given: plain data, kept apart from React so Node tests can check it. */
import { CLASS_NAMES } from '../../core/classes.ts';

export interface Bar {
  /** tfjs-vis's barchart types its index as a number; a class name works as an ordinal label too. */
  index: string;
  value: number;
}

/**
 * Accuracy per class in percent, from a confusion matrix (rows the true class): the diagonal over
 * the row's total, which is the class's recall. A class with no test images gets 0.
 */
export function classAccuracyBars(confusion: number[][]): Bar[] {
  return confusion.map((row, t) => {
    const total = row.reduce((s, x) => s + x, 0);
    return { index: CLASS_NAMES[t], value: total > 0 ? Math.round((row[t] / total) * 1000) / 10 : 0 };
  });
}
