import { IMAGE_PIXELS, IMAGE_SIZE } from '../../core/classes.ts';

let canvas: HTMLCanvasElement | null = null;
const cache = new WeakMap<Uint8Array, Map<number, string>>();

/**
 * A PNG data URL of image `index` of `images` (784 bytes each, row-major, 0 = background), drawn
 * dark on light. Cached per array and index, so tiles re-render cheaply.
 */
export function imageUrl(images: Uint8Array, index: number): string {
  let perArray = cache.get(images);
  if (!perArray) cache.set(images, (perArray = new Map()));
  const hit = perArray.get(index);
  if (hit) return hit;
  canvas ??= document.createElement('canvas');
  canvas.width = canvas.height = IMAGE_SIZE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  const data = ctx.createImageData(IMAGE_SIZE, IMAGE_SIZE);
  const base = index * IMAGE_PIXELS;
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    const v = 255 - (images[base + i] ?? 0);
    data.data[4 * i] = data.data[4 * i + 1] = data.data[4 * i + 2] = v;
    data.data[4 * i + 3] = 255;
  }
  ctx.putImageData(data, 0, 0);
  const url = canvas.toDataURL();
  perArray.set(index, url);
  return url;
}
