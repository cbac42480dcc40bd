/**
 * Which test images the map shows: the same ones for every model, so that two maps (before and
 * after training, Compare's two members) place the same pictures.
 */
import { NUM_CLASSES } from '../classes.ts';

/** Test images on the map by default: enough to show each class's cloud, few enough to lay out in seconds. */
export const MAP_IMAGES = 2000;

/**
 * `count` indices into a set whose labels are `labels`, as evenly balanced by class as the set
 * allows: the first images of each class in the set's own order (Fashion-MNIST's test set comes
 * shuffled), ascending. A class with too few images gives its share to the others.
 * @throws RangeError when count is not a whole number from 1 to the set's size
 */
export function balancedSample(labels: ArrayLike<number>, count = MAP_IMAGES): Int32Array {
  if (!Number.isInteger(count) || count < 1 || count > labels.length) {
    throw new RangeError(`the map needs a whole number of images from 1 to ${labels.length}, got ${count}`);
  }
  const byClass: number[][] = Array.from({ length: NUM_CLASSES }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]]?.push(i);
  // Round-robin over the classes: each round takes one more image of every class that has one.
  const taken: number[] = [];
  for (let round = 0; taken.length < count; round++) {
    for (const members of byClass) {
      if (round < members.length && taken.length < count) taken.push(members[round]);
    }
  }
  return Int32Array.from(taken).sort();
}
