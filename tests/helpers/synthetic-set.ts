import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../../src/core/classes.ts';
import type { ImageSet } from '../../src/core/data/image-set.ts';
import { Rng } from '../../src/core/rng.ts';

/**
 * A labelled set a model can learn in a few steps: class k is a bright horizontal bar at row
 * 2 + 2k (plus noise), so tests of training behaviour run in seconds without the real data.
 */
export function syntheticSet(count: number, seed = 7): ImageSet {
  const rng = new Rng(seed);
  const images = new Uint8Array(count * IMAGE_PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % NUM_CLASSES;
    labels[i] = label;
    const row = 2 + 2 * label;
    for (let p = 0; p < IMAGE_PIXELS; p++) images[i * IMAGE_PIXELS + p] = rng.int(40);
    for (let x = 4; x < IMAGE_SIZE - 4; x++) {
      images[i * IMAGE_PIXELS + row * IMAGE_SIZE + x] = 200 + rng.int(56);
      images[i * IMAGE_PIXELS + (row + 1) * IMAGE_SIZE + x] = 200 + rng.int(56);
    }
  }
  return { images, labels, count };
}
