/** Paints 28 × 28 images onto canvases, as clothes (dark on light) or as model input (bright on black). */
import { IMAGE_PIXELS, IMAGE_SIZE } from '../../core/classes.ts';
import { canvas2d } from './canvas-2d.ts';

/**
 * Paints image `index` of `images` (784 bytes each, row-major, 0 = background) onto a 28 × 28
 * canvas: 'paper' draws it dark on light, as the tiles show clothes; 'data' bright on black, exactly
 * the bytes a model reads. A canvas, not a PNG data URL: encoding PNGs for a grid of tiles took
 * hundreds of milliseconds of main thread per evaluation.
 */
export function paintImage(canvas: HTMLCanvasElement, images: Uint8Array, index: number, look: 'paper' | 'data' = 'paper'): void {
  const ctx = canvas2d(canvas, IMAGE_SIZE, IMAGE_SIZE);
  if (!ctx) return;
  const data = ctx.createImageData(IMAGE_SIZE, IMAGE_SIZE);
  const base = index * IMAGE_PIXELS;
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    const byte = images[base + i] ?? 0;
    const v = look === 'paper' ? 255 - byte : byte;
    data.data[4 * i] = data.data[4 * i + 1] = data.data[4 * i + 2] = v;
    data.data[4 * i + 3] = 255;
  }
  ctx.putImageData(data, 0, 0);
}
