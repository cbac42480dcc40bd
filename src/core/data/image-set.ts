/** A split of the dataset as bytes in memory: images and labels, from which batches are made. */
import { IMAGE_PIXELS, NUM_CLASSES } from '../classes.ts';

/**
 * A split of Fashion-MNIST kept as bytes on the CPU: images row-major, IMAGE_PIXELS bytes each
 * (0 = background, 255 = brightest), one label byte (0-9) per image. Tensors are built per batch
 * from it, never for the whole set: 60,000 images as one float tensor is 188 MB and exceeds
 * WebGL's largest texture.
 */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** Checks the byte lengths agree with the count, so a bad set fails here, not mid-training. */
export function checkImageSet(set: ImageSet, name = 'image set'): ImageSet {
  if (!Number.isInteger(set.count) || set.count < 0) throw new Error(`${name}: count must be a whole number`);
  if (set.images.length !== set.count * IMAGE_PIXELS) {
    throw new Error(`${name}: ${set.images.length} image bytes for ${set.count} images (expected ${set.count * IMAGE_PIXELS})`);
  }
  if (set.labels.length !== set.count) {
    throw new Error(`${name}: ${set.labels.length} labels for ${set.count} images`);
  }
  for (let i = 0; i < set.count; i++) {
    if (set.labels[i] >= NUM_CLASSES) throw new Error(`${name}: label ${set.labels[i]} of image ${i} is not a class`);
  }
  return set;
}

/** The images at `indices`, copied into a new compact set (e.g. a subset for a quick run). */
export function selectImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const images = new Uint8Array(indices.length * IMAGE_PIXELS);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i];
    images.set(set.images.subarray(src * IMAGE_PIXELS, (src + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
    labels[i] = set.labels[src];
  }
  return { images, labels, count: indices.length };
}
