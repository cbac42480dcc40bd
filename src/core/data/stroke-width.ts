/**
 * Stroke-width augmentation: thickens or thins an image's strokes by one pixel. People draw with
 * brushes from a hairline to a marker, and once a drawing is scaled to 28 × 28 its lines are one
 * to three model pixels wide; a model that saw only one width reads the others as other things.
 *
 * Thickening is a 3 × 3 grey-level dilation (each pixel takes its neighbourhood's brightest value),
 * thinning a 3 × 3 erosion (its darkest), either with the same chance.
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from '../classes.ts';
import type { Rng } from '../rng.ts';

const N = IMAGE_SIZE;

/**
 * Replaces image `offset` of `out` (floats in [0, 1]) by its 3 × 3 dilation or erosion: one draw
 * from `rng`, the coin (below 1/2 thickens). Outside the image counts as background (0).
 */
export function changeStrokeWidth(out: Float32Array, offset: number, rng: Rng): void {
  const thicken = rng.next() < 0.5;
  const src = out.slice(offset, offset + IMAGE_PIXELS);
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      let v = thicken ? 0 : Infinity;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          const s = yy >= 0 && yy < N && xx >= 0 && xx < N ? src[yy * N + xx] : 0;
          v = thicken ? Math.max(v, s) : Math.min(v, s);
        }
      out[offset + y * N + x] = v;
    }
}
