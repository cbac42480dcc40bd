/** What the per-class chart is given: plain data, kept apart from React so Node tests can check it. */
import { CLASS_NAMES } from '../../core/classes.ts';

export interface Bar {
  /** The class's name. */
  index: string;
  value: number;
}

/**
 * Accuracy per class in percent, from a confusion matrix (rows the true class): the diagonal over
 * the row's total, which is the class's recall, in the matrix's (the dataset's) class order. A
 * class with no test images gets 0.
 */
export function classAccuracyBars(confusion: number[][]): Bar[] {
  return confusion.map((row, t) => {
    const total = row.reduce((s, x) => s + x, 0);
    return { index: CLASS_NAMES[t], value: total > 0 ? Math.round((row[t] / total) * 1000) / 10 : 0 };
  });
}
