/**
 * The one training loop for every model of the zoo, on every backend, in Node and in the browser.
 * Progress leaves through callbacks as plain numbers; Stop arrives as a StopSignal (an AbortSignal fits).
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config.ts';
import { makeBatch } from '../data/batches.ts';
import type { ImageSet } from '../data/image-set.ts';
import { splitTrainValidation } from '../data/split.ts';
import { Rng } from '../rng.ts';
import { StoppedError, type StopSignal } from '../signal.ts';
import { now, yieldToEventLoop } from '../yield.ts';
import { evaluateModel } from './evaluate.ts';
import { correctCount, crossEntropy } from './loss.ts';
import { createOptimizer, scheduledLearningRate, setLearningRate } from './optimizer.ts';

export interface BatchProgress {
  /** 1-based epoch and batch within it. */
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Mean loss and accuracy over the batches since the previous report. */
  loss: number;
  accuracy: number;
  /** Training images processed in this run so far. */
  imagesSeen: number;
  /** Seconds spent in gradient steps this epoch so far: the same number its EpochResult ends on. */
  epochSeconds: number;
  /** Training throughput of the current epoch, validation excluded. */
  imagesPerSecond: number;
  /** Seconds until the last epoch's training ends, at the current throughput. */
  etaSeconds: number;
}

export interface EpochResult {
  epoch: number;
  /**
   * Mean training loss and accuracy over the epoch (dropout and augmentation active, as Keras
   * reports them); with label smoothing, the loss against the smoothed targets that training minimises.
   */
  loss: number;
  accuracy: number;
  /** Null when the configuration holds out no validation images. */
  valLoss: number | null;
  valAccuracy: number | null;
  /** Seconds spent in gradient steps this epoch. */
  seconds: number;
  imagesPerSecond: number;
}

export interface TrainOptions {
  signal?: StopSignal;
  onBatch?: (progress: BatchProgress) => void;
  /** Awaited, so a caller can evaluate on the test set between epochs before training goes on. */
  onEpoch?: (result: EpochResult) => void | Promise<void>;
  /**
   * Read metrics back from the backend every this many batches. Reading forces the backend to
   * finish its queued work, which stalls a GPU pipeline; between reads, metrics stay on-device.
   */
  reportEvery?: number;
}

export interface TrainResult {
  history: EpochResult[];
  /** True when the signal stopped training early; the model keeps the weights reached so far. */
  stopped: boolean;
  trainImages: number;
  validationImages: number;
  /** Training images the run went through, repeats included (epochs run × trainImages, or less when stopped). */
  imagesSeen: number;
  /** Seconds in gradient steps over the whole run, and the matching throughput. */
  seconds: number;
  imagesPerSecond: number;
}

/** The trainable weights of `model` only: a bare minimize() would also step every other model. */
function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Trains `model` in place on `trainSet` with the hyperparameters of `config`. */
export async function trainModel(
  model: tf.LayersModel,
  trainSet: ImageSet,
  config: TrainingConfig,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const { signal, onBatch, onEpoch, reportEvery = 10 } = options;
  const split = splitTrainValidation(trainSet.count, config.trainSize, config.validationSplit, config.seed);
  const rng = new Rng(config.seed ^ 0x5eed);
  const order = Int32Array.from(split.train);
  const batchesPerEpoch = Math.ceil(order.length / config.batchSize);
  const optimizer = createOptimizer(config.optimizer, config.learningRate, config.weightDecay);
  const variables = trainableVariables(model);
  const augment =
    config.shift > 0 || config.flip || config.erasing > 0 || config.outline > 0 || config.elastic > 0 || config.stroke > 0
      ? {
          shift: config.shift,
          flip: config.flip,
          erasing: config.erasing,
          outline: config.outline,
          elastic: config.elastic,
          stroke: config.stroke,
          rng,
        }
      : undefined;

  const history: EpochResult[] = [];
  let pending: tf.Scalar[] = [];
  let imagesSeen = 0;
  let totalSeconds = 0;
  let stopped = false;
  let step = 0;
  const totalSteps = config.epochs * batchesPerEpoch;

  try {
    for (let epoch = 1; epoch <= config.epochs && !stopped; epoch++) {
      rng.shuffle(order);
      let epochLoss = 0;
      let epochCorrect = 0;
      let epochImages = 0;
      let windowImages = 0;
      let windowLoss = 0;
      let windowCorrect = 0;
      let epochSeconds = 0;
      let stepStart = now();

      // Reads the pending (loss × n, correct) pairs back and reports them; the read is also where
      // the loop yields, so the page or worker can process a Stop in time.
      const flush = async (batch: number) => {
        const values = await Promise.all(pending.map((t) => t.data()));
        pending.forEach((t) => t.dispose());
        pending = [];
        epochSeconds += (now() - stepStart) / 1000;
        for (let i = 0; i < values.length; i += 2) {
          windowLoss += values[i][0];
          windowCorrect += values[i + 1][0];
        }
        epochLoss += windowLoss;
        epochCorrect += windowCorrect;
        const imagesPerSecond = epochImages / Math.max(epochSeconds, 1e-9);
        const remaining = (config.epochs - epoch) * order.length + (order.length - epochImages);
        onBatch?.({
          epoch,
          epochs: config.epochs,
          batch,
          batchesPerEpoch,
          loss: windowLoss / Math.max(windowImages, 1),
          accuracy: windowCorrect / Math.max(windowImages, 1),
          imagesSeen,
          epochSeconds,
          imagesPerSecond,
          etaSeconds: remaining / Math.max(imagesPerSecond, 1e-9),
        });
        windowImages = windowLoss = windowCorrect = 0;
        await yieldToEventLoop();
        stepStart = now();
      };

      for (let batch = 1; batch <= batchesPerEpoch; batch++) {
        if (signal?.aborted) {
          stopped = true;
          break;
        }
        const start = (batch - 1) * config.batchSize;
        const end = Math.min(start + config.batchSize, order.length);
        const n = end - start;
        if (config.schedule !== 'constant' || config.warmup > 0) {
          const rate = scheduledLearningRate(config.schedule, config.learningRate, step, totalSteps, config.warmup);
          setLearningRate(optimizer, rate);
        }
        step++;
        const { xs, ys } = makeBatch(trainSet, order, start, end, augment);
        try {
          let correct: tf.Scalar | undefined;
          const cost = optimizer.minimize(
            () => {
              const probs = model.apply(xs, { training: true }) as tf.Tensor;
              correct = tf.keep(correctCount(probs, ys));
              return crossEntropy(probs, ys, config.labelSmoothing);
            },
            true,
            variables,
          );
          // Loss is kept as a sum over images so windows of unequal batches average correctly.
          pending.push(
            tf.tidy(() => tf.mul(cost!, n) as tf.Scalar),
            correct!,
          );
          cost!.dispose();
        } finally {
          xs.dispose();
          ys.dispose();
        }
        epochImages += n;
        windowImages += n;
        imagesSeen += n;
        if (batch % reportEvery === 0 || batch === batchesPerEpoch) await flush(batch);
      }
      if (pending.length) await flush(Math.ceil(epochImages / config.batchSize));
      totalSeconds += epochSeconds;
      if (stopped || epochImages === 0) break;

      const validation = split.validation.length
        ? await evaluateModel(model, trainSet, split.validation, signal, { flipTest: config.flipTest })
        : null;
      const result: EpochResult = {
        epoch,
        loss: epochLoss / epochImages,
        accuracy: epochCorrect / epochImages,
        valLoss: validation ? validation.loss : null,
        valAccuracy: validation ? validation.accuracy : null,
        seconds: epochSeconds,
        imagesPerSecond: epochImages / Math.max(epochSeconds, 1e-9),
      };
      history.push(result);
      await onEpoch?.(result);
    }
  } catch (error) {
    // A Stop during validation is a stop, not a failure: the weights are whole.
    if (error instanceof StoppedError) stopped = true;
    else throw error;
  } finally {
    pending.forEach((t) => t.dispose());
    optimizer.dispose();
  }

  return {
    history,
    stopped,
    trainImages: split.train.length,
    validationImages: split.validation.length,
    imagesSeen,
    seconds: totalSeconds,
    imagesPerSecond: imagesSeen / Math.max(totalSeconds, 1e-9),
  };
}
