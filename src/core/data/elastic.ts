/**
 * Elastic distortion (after Simard, Steinkraus & Platt, 2003): bends an image by a smooth random
 * displacement field, as a hand bends a shape it draws: a sleeve a little longer, a hem wavier, a
 * sole curved. The field is random on a coarse grid of control points and interpolated bilinearly
 * between them, which makes it smooth without a Gaussian blur per image; pixels are then read
 * back through the field with bilinear sampling (background outside the image).
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from '../classes.ts';
import type { Rng } from '../rng.ts';

const N = IMAGE_SIZE;

/** Control points per side of the displacement grid: 4 × 4 bends a 28-pixel item a few times. */
export const ELASTIC_GRID = 4;
/** The largest displacement of a control point, in pixels, in each direction. */
export const ELASTIC_MAX_SHIFT = 2;

/** Bilinear value of a grid of `g` × `g` values spread over the image, at pixel (x, y). */
function gridAt(grid: Float32Array, g: number, x: number, y: number): number {
  const gx = (x / (N - 1)) * (g - 1);
  const gy = (y / (N - 1)) * (g - 1);
  const x0 = Math.min(Math.floor(gx), g - 2);
  const y0 = Math.min(Math.floor(gy), g - 2);
  const fx = gx - x0;
  const fy = gy - y0;
  const top = grid[y0 * g + x0] * (1 - fx) + grid[y0 * g + x0 + 1] * fx;
  const bottom = grid[(y0 + 1) * g + x0] * (1 - fx) + grid[(y0 + 1) * g + x0 + 1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/** The pixel of `src` at (x, y), bilinearly; 0 outside. */
function sample(src: Float32Array, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const px = (xx: number, yy: number) => (xx >= 0 && xx < N && yy >= 0 && yy < N ? src[yy * N + xx] : 0);
  return (px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx) * (1 - fy) + (px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx) * fy;
}

/**
 * Replaces image `offset` of `out` (floats in [0, 1]) by an elastically distorted copy. Draws from
 * `rng` the x displacements of the grid's points, row by row, then the y displacements.
 */
export function elasticDistort(out: Float32Array, offset: number, rng: Rng): void {
  const g = ELASTIC_GRID;
  const dxs = new Float32Array(g * g);
  const dys = new Float32Array(g * g);
  for (let i = 0; i < g * g; i++) dxs[i] = (2 * rng.next() - 1) * ELASTIC_MAX_SHIFT;
  for (let i = 0; i < g * g; i++) dys[i] = (2 * rng.next() - 1) * ELASTIC_MAX_SHIFT;
  const src = out.slice(offset, offset + IMAGE_PIXELS);
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) out[offset + y * N + x] = sample(src, x + gridAt(dxs, g, x, y), y + gridAt(dys, g, x, y));
}
