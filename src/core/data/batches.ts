/**
 * Turns a slice of a shuffled order into one training batch of tensors, with optional shift,
 * mirror, elastic, outline, stroke-width and erasing augmentation.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../classes.ts';
import type { Rng } from '../rng.ts';
import type { ImageSet } from './image-set.ts';
import { elasticDistort } from './elastic.ts';
import { outlineImage } from './outline.ts';
import { changeStrokeWidth } from './stroke-width.ts';

export interface Augmentation {
  /** Largest shift in pixels, in each direction; the uncovered border is background (0). */
  shift: number;
  /** Mirror left-right with probability 1/2. */
  flip: boolean;
  /**
   * Random erasing: the probability (0..1) that an image, once shifted and mirrored, gets a square
   * of ERASE_MIN..ERASE_MAX pixels a side, at a uniformly random place inside it, set to 0.
   * 0 or left out draws nothing, so runs without it keep their random sequence.
   */
  erasing?: number;
  /**
   * The probability (0..1) that an image, once shifted and mirrored, is replaced by its outline
   * (see outline.ts), as a person draws it. 0 or left out draws nothing.
   */
  outline?: number;
  /** The probability (0..1) that an image is bent by a smooth random field (see elastic.ts), before its outline. */
  elastic?: number;
  /** The probability (0..1) that an image's strokes are thickened or thinned by a pixel (see stroke-width.ts), after its outline. */
  stroke?: number;
  rng: Rng;
}

/** The side of an erased square, in pixels: uniform over ERASE_MIN..ERASE_MAX inclusive. */
export const ERASE_MIN = 4;
export const ERASE_MAX = 12;

/** Sets a random square of image `offset` in `out` to 0 (draws the side, then x, then y from `rng`). */
function eraseSquare(out: Float32Array, offset: number, rng: Rng): void {
  const side = ERASE_MIN + rng.int(ERASE_MAX - ERASE_MIN + 1);
  const x0 = rng.int(IMAGE_SIZE - side + 1);
  const y0 = rng.int(IMAGE_SIZE - side + 1);
  for (let y = y0; y < y0 + side; y++) out.fill(0, offset + y * IMAGE_SIZE + x0, offset + y * IMAGE_SIZE + x0 + side);
}

/**
 * Writes image `src` of `set` into `out` at `offset` as floats in [0, 1], shifted by (dx, dy) and
 * optionally mirrored. Done on the CPU in one pass: cheaper than tensor ops per batch and the same
 * on every backend.
 */
function writeImage(set: ImageSet, src: number, out: Float32Array, offset: number, dx: number, dy: number, flip: boolean) {
  const base = src * IMAGE_PIXELS;
  for (let y = 0; y < IMAGE_SIZE; y++) {
    const sy = y - dy;
    for (let x = 0; x < IMAGE_SIZE; x++) {
      let sx = x - dx;
      if (flip) sx = IMAGE_SIZE - 1 - sx;
      const inside = sy >= 0 && sy < IMAGE_SIZE && sx >= 0 && sx < IMAGE_SIZE;
      out[offset + y * IMAGE_SIZE + x] = inside ? set.images[base + sy * IMAGE_SIZE + sx] / 255 : 0;
    }
  }
}

/** Images `indices[start..end)` as a float array [n × 784] in [0, 1], augmented if asked. */
export function batchPixels(set: ImageSet, indices: ArrayLike<number>, start: number, end: number, augment?: Augmentation): Float32Array {
  const n = end - start;
  const out = new Float32Array(n * IMAGE_PIXELS);
  for (let i = 0; i < n; i++) {
    const src = indices[start + i];
    if (!augment || (augment.shift === 0 && !augment.flip)) {
      const base = src * IMAGE_PIXELS;
      for (let p = 0; p < IMAGE_PIXELS; p++) out[i * IMAGE_PIXELS + p] = set.images[base + p] / 255;
    } else {
      const range = 2 * augment.shift + 1;
      const dx = augment.shift ? augment.rng.int(range) - augment.shift : 0;
      const dy = augment.shift ? augment.rng.int(range) - augment.shift : 0;
      const flip = augment.flip && augment.rng.next() < 0.5;
      writeImage(set, src, out, i * IMAGE_PIXELS, dx, dy, flip);
    }
    // Each draws from the generator only when it is on, so runs without it keep their sequence.
    const elastic = augment?.elastic ?? 0;
    if (elastic > 0 && augment!.rng.next() < elastic) elasticDistort(out, i * IMAGE_PIXELS, augment!.rng);
    const outline = augment?.outline ?? 0;
    if (outline > 0 && augment!.rng.next() < outline) outlineImage(out, i * IMAGE_PIXELS, augment!.rng);
    const stroke = augment?.stroke ?? 0;
    if (stroke > 0 && augment!.rng.next() < stroke) changeStrokeWidth(out, i * IMAGE_PIXELS, augment!.rng);
    const erasing = augment?.erasing ?? 0;
    if (erasing > 0 && augment!.rng.next() < erasing) eraseSquare(out, i * IMAGE_PIXELS, augment!.rng);
  }
  return out;
}

/** One batch as tensors: xs [n, 28, 28, 1] and one-hot ys [n, 10]. The caller disposes both. */
export function makeBatch(
  set: ImageSet,
  indices: ArrayLike<number>,
  start: number,
  end: number,
  augment?: Augmentation,
): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const n = end - start;
  const xs = tf.tensor4d(batchPixels(set, indices, start, end, augment), [n, IMAGE_SIZE, IMAGE_SIZE, 1]);
  const ys = tf.tidy(() => {
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = set.labels[indices[start + i]];
    return tf.oneHot(tf.tensor1d(labels, 'int32'), NUM_CLASSES).toFloat() as tf.Tensor2D;
  });
  return { xs, ys };
}
