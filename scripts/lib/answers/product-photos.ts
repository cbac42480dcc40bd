/**
 * Product-style photos made from Fashion-MNIST test images, the way people upload clothes: a dark
 * item on a white or tinted background, upscaled, placed off-centre on a canvas of another shape,
 * with sensor noise, saved as JPEG or PNG. The file's bytes then go through a decoder and the
 * upload's own preprocessing (toUploadInput), as an upload on the page does.
 *
 * Which test images: the last PHOTO_POOL of the test set, held out from every tuning decision
 * (levers are chosen on the validation split and the sketch benchmark).
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../../../src/core/classes.ts';
import type { ImageSet } from '../../../src/core/data/image-set.ts';
import { Rng } from '../../../src/core/rng.ts';
import { toUploadInput } from '../../../src/app/classify/upload-input.ts';

/** The held-out pool: test images 8,000 to 9,999. */
export const PHOTO_POOL_START = 8000;

export interface ProductPhoto {
  /** Index in the test set. */
  testIndex: number;
  label: number;
  format: 'JPEG' | 'PNG';
  /** The encoded file. */
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** Bilinear sample of a 28×28 image at (u, v) in its pixel coordinates (pixel centres at .5). */
function sample(image: Uint8Array, offset: number, u: number, v: number): number {
  const x = Math.min(IMAGE_SIZE - 1, Math.max(0, u - 0.5));
  const y = Math.min(IMAGE_SIZE - 1, Math.max(0, v - 0.5));
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(IMAGE_SIZE - 1, x0 + 1);
  const y1 = Math.min(IMAGE_SIZE - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number) => image[offset + yy * IMAGE_SIZE + xx];
  return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
}

/** A standard normal draw (Box-Muller). */
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** One product photo of test image `index`, its look fixed by `rng`. */
export function makeProductPhoto(set: ImageSet, index: number, rng: Rng): ProductPhoto {
  const between = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  const item = Math.round(between(110, 340)); // the item's side in pixels
  const aspect = between(0.6, 1.8); // canvas width over height
  const width = Math.round(Math.max(item * between(1.15, 1.9), item * aspect));
  const height = Math.round(Math.max(item * between(1.15, 1.9), item / aspect));
  const left = Math.round(between(0, width - item));
  const top = Math.round(between(0, height - item));
  // White, or a light tint; a dark item of some colour.
  const tinted = rng.next() < 0.5;
  const paper = [0, 1, 2].map(() => (tinted ? between(205, 250) : between(245, 255)));
  const ink = [0, 1, 2].map(() => between(0, 90));
  const noise = between(0, 6);
  const pixels = new Uint8Array(width * height * 4);
  const offset = index * IMAGE_PIXELS;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= left && x < left + item && y >= top && y < top + item;
      const a = inside
        ? sample(set.images, offset, ((x - left + 0.5) * IMAGE_SIZE) / item, ((y - top + 0.5) * IMAGE_SIZE) / item) / 255
        : 0;
      const n = noise * gaussian(rng);
      const p = (y * width + x) * 4;
      for (let k = 0; k < 3; k++) pixels[p + k] = Math.max(0, Math.min(255, Math.round(paper[k] * (1 - a) + ink[k] * a + n)));
      pixels[p + 3] = 255;
    }
  }
  const asJpeg = rng.next() < 0.5;
  const bytes = asJpeg
    ? new Uint8Array(jpeg.encode({ data: pixels, width, height }, Math.round(between(60, 95))).data)
    : new Uint8Array(PNG.sync.write(Object.assign(new PNG({ width, height }), { data: Buffer.from(pixels) })));
  return { testIndex: index, label: set.labels[index], format: asJpeg ? 'JPEG' : 'PNG', bytes, width, height };
}

/** `perClass` photos of each class from the held-out pool, in pool order; fixed by `seed`. */
export function productPhotos(test: ImageSet, perClass: number, seed: number): ProductPhoto[] {
  const taken = new Array<number>(NUM_CLASSES).fill(0);
  const photos: ProductPhoto[] = [];
  const rng = new Rng(seed);
  for (let i = PHOTO_POOL_START; i < test.labels.length && photos.length < perClass * NUM_CLASSES; i++) {
    const label = test.labels[i];
    if (taken[label] >= perClass) continue;
    taken[label]++;
    photos.push(makeProductPhoto(test, i, rng));
  }
  return photos;
}

/** The photo's file decoded and preprocessed as an upload: the model's 784-byte input. */
export function photoInput(photo: ProductPhoto): Uint8Array {
  let rgba: Uint8ClampedArray;
  let width: number;
  let height: number;
  if (photo.format === 'JPEG') {
    const d = jpeg.decode(photo.bytes, { useTArray: true, formatAsRGBA: true });
    rgba = new Uint8ClampedArray(d.data.buffer, d.data.byteOffset, d.data.byteLength);
    ({ width, height } = d);
  } else {
    const d = PNG.sync.read(Buffer.from(photo.bytes));
    rgba = new Uint8ClampedArray(d.data.buffer, d.data.byteOffset, d.data.byteLength);
    ({ width, height } = d);
  }
  return toUploadInput({ pixels: rgba, width, height, originalWidth: width, originalHeight: height, format: photo.format }).image;
}
