/** Evaluates a model on a labelled set: accuracy, loss, confusion matrix, classification report and the mistakes. */
import type * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../classes.ts';
import type { ImageSet } from '../data/image-set.ts';
import {
  argmaxRows,
  classificationReport,
  confusionMatrix,
  misclassified,
  type ClassificationReport,
  type Misclassification,
} from '../metrics.ts';
import type { StopSignal } from '../signal.ts';
import { predictProbabilities, type PredictOptions } from './predict.ts';

/** `flipTest`: score the mean of each image's and its mirror's probabilities (config.flipTest). */
export type EvaluateOptions = PredictOptions;

/** Everything the CLI and the page show about a model on a labelled set; plain numbers only. */
export interface Evaluation {
  count: number;
  accuracy: number;
  /** Mean cross-entropy, with probabilities clipped like Keras (1e-7). */
  loss: number;
  /** confusion[true][predicted] = number of images. */
  confusion: number[][];
  report: ClassificationReport;
  /** Predicted class and its probability, per image, in the set's order. */
  predicted: number[];
  confidence: number[];
  /** Every mistake, the most confident first. */
  misclassified: Misclassification[];
}

/** Mean cross-entropy of flat [n × 10] probabilities against integer labels. */
export function meanCrossEntropy(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    sum -= Math.log(Math.min(1, Math.max(1e-7, probs[i * NUM_CLASSES + labels[i]])));
  }
  return labels.length ? sum / labels.length : 0;
}

/** Evaluates `model` on `set` (or on the images at `indices` of it), flip-averaged if asked. */
export async function evaluateModel(
  model: tf.LayersModel,
  set: ImageSet,
  indices?: ArrayLike<number>,
  signal?: StopSignal,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const probs = await predictProbabilities(model, set, indices, signal, options);
  const labels = indices ? Array.from(indices, (i) => set.labels[i]) : set.labels;
  const { predicted, confidence } = argmaxRows(probs);
  const confusion = confusionMatrix(labels, predicted);
  const report = classificationReport(confusion);
  return {
    count: labels.length,
    accuracy: report.accuracy,
    loss: meanCrossEntropy(probs, labels),
    confusion,
    report,
    predicted: Array.from(predicted),
    confidence: Array.from(confidence),
    misclassified: misclassified(labels, probs),
  };
}
