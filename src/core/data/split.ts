/** Splits the training set into the images a run trains on and those it holds out for validation, reproducibly from the seed. */
import { shuffledIndices } from '../rng.ts';

export interface TrainValidationSplit {
  /** Indices into the training set used for gradient steps. */
  train: Int32Array;
  /** Indices held out to measure validation loss and accuracy after each epoch. */
  validation: Int32Array;
}

/**
 * Picks `trainSize` images of a set of `count` in a seeded random order, then holds out
 * `validationSplit` of them. The same seed always gives the same subset and split, so two models
 * (or two runs) compared on the same seed see exactly the same images.
 */
export function splitTrainValidation(count: number, trainSize: number, validationSplit: number, seed: number): TrainValidationSplit {
  if (trainSize > count) throw new Error(`trainSize: ${trainSize} is more than the ${count} images available`);
  const order = shuffledIndices(count, seed).subarray(0, trainSize);
  const held = Math.floor(trainSize * validationSplit);
  if (trainSize - held < 1) throw new Error('validationSplit: leaves no images to train on');
  return { train: order.slice(held), validation: order.slice(0, held) };
}
