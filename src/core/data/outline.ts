/**
 * Outline augmentation: turns a training image into the kind of picture a person draws on the
 * pad. Fashion-MNIST's items are filled, shaded product photos; drawings are outlines with a few
 * inner lines and, at most, a filled inside. A model that never saw an outline reads an empty boot
 * as a strappy sandal; trained on some outlines it learns the shapes, not only the shading.
 *
 * The outline is the item's silhouette edge plus its strong inner edges (where the shading jumps:
 * a collar, a sole, a zip), one or two pixels wide, in a random ink strength; the inside is left
 * empty or filled faintly, as the pad's closed outlines are.
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from '../classes.ts';
import type { Rng } from '../rng.ts';

const N = IMAGE_SIZE;

/** 3 × 3 maximum (`grow`) or minimum of `src` into `dst`; outside the image counts as 0. */
function morph(src: Float32Array, dst: Float32Array, grow: boolean): void {
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      let v = grow ? 0 : Infinity;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          const s = yy >= 0 && yy < N && xx >= 0 && xx < N ? src[yy * N + xx] : 0;
          v = grow ? Math.max(v, s) : Math.min(v, s);
        }
      dst[y * N + x] = v;
    }
}

/**
 * How often the rim is two pixels wide: a thick brush on an item the size of the pad; most drawings
 * end up about one model pixel wide once scaled to 28 × 28.
 */
export const THICK_CHANCE = 0.3;

/** The item is what is brighter than this fraction of its brightest pixel. */
export const OUTLINE_ITEM_LEVEL = 0.08;

/**
 * Replaces image `offset` of `out` (floats in [0, 1]) by its outline. Draws from `rng`, in order:
 * the inner-edge threshold, the width coin, the ink strength, the fill coin, the fill level.
 */
export function outlineImage(out: Float32Array, offset: number, rng: Rng): void {
  const img = out.subarray(offset, offset + IMAGE_PIXELS);
  let max = 0;
  for (let p = 0; p < IMAGE_PIXELS; p++) max = Math.max(max, img[p]);
  const innerEdge = 0.35 + 0.25 * rng.next();
  const thick = rng.next() < THICK_CHANCE;
  const ink = 0.7 + 0.3 * rng.next();
  const filled = rng.next() < 0.5;
  const fill = 0.2 + 0.4 * rng.next();
  if (max <= 0) return;

  const item = new Float32Array(IMAGE_PIXELS);
  for (let p = 0; p < IMAGE_PIXELS; p++) item[p] = img[p] > OUTLINE_ITEM_LEVEL * max ? 1 : 0;
  const shrunk = new Float32Array(IMAGE_PIXELS);
  morph(item, shrunk, false);
  const hi = new Float32Array(IMAGE_PIXELS);
  const lo = new Float32Array(IMAGE_PIXELS);
  morph(img, hi, true);
  morph(img, lo, false);
  // The silhouette's inner rim (grown outwards by a pixel for a thick brush), and inside it the
  // pixels where the shading jumps, always thin: people draw a few inner lines, not the texture.
  let rim = new Float32Array(IMAGE_PIXELS);
  for (let p = 0; p < IMAGE_PIXELS; p++) rim[p] = item[p] === 1 && shrunk[p] === 0 ? 1 : 0;
  if (thick) {
    const grown = new Float32Array(IMAGE_PIXELS);
    morph(rim, grown, true);
    rim = grown;
  }
  const edge = new Float32Array(IMAGE_PIXELS);
  for (let p = 0; p < IMAGE_PIXELS; p++) edge[p] = rim[p] || (item[p] === 1 && hi[p] - lo[p] > innerEdge * max) ? 1 : 0;
  for (let p = 0; p < IMAGE_PIXELS; p++) img[p] = edge[p] ? ink : filled && item[p] ? fill * ink : 0;
}
