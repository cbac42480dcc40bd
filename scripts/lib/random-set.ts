/**
 * Random training images for the benchmarks (Node and browser alike: no Node or DOM here). Speed
 * does not depend on what the pixels show, and random bytes need no data files.
 */
import { IMAGE_PIXELS } from '../../src/core/classes.ts';
import type { ImageSet } from '../../src/core/data/image-set.ts';
import { Rng } from '../../src/core/rng.ts';

export function randomSet(count: number, seed = 1): ImageSet {
  const rng = new Rng(seed);
  const images = new Uint8Array(count * IMAGE_PIXELS).map(() => rng.int(256));
  const labels = new Uint8Array(count).map(() => rng.int(10));
  return { images, labels, count };
}
