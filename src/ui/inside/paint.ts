/**
 * Paints the "Inside the model" views onto canvases, one canvas pixel per value (CSS enlarges them
 * with crisp pixels): feature maps as tiles on a dark-to-bright heat ramp, kernels and weights on
 * a blue-white-orange ramp centred on 0, heat maps over the dimmed picture.
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from '../../core/classes.ts';
import { canvas2d } from '../components/canvas-2d.ts';
import type { FeatureMaps } from '../../core/inside/inspector.ts';
import type { Filters } from '../../core/inside/weights.ts';

type Rgb = [number, number, number];

/** Dark purple → red → yellow → near white: low values stay dark, strong ones stand out. */
const HEAT: Rgb[] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];
/** Negative blue, zero white, positive orange. */
const NEGATIVE: Rgb = [33, 102, 172];
const ZERO: Rgb = [247, 247, 247];
const POSITIVE: Rgb = [214, 96, 77];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

/** The heat ramp's colour at t in [0, 1]. */
export function heatColour(t: number): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (HEAT.length - 1);
  const i = Math.min(HEAT.length - 2, Math.floor(x));
  return mix(HEAT[i], HEAT[i + 1], x - i);
}

/** The diverging ramp's colour at t in [-1, 1]. */
export function divergingColour(t: number): Rgb {
  const x = Math.min(1, Math.max(-1, t));
  return x < 0 ? mix(ZERO, NEGATIVE, -x) : mix(ZERO, POSITIVE, x);
}

function context(canvas: HTMLCanvasElement, width: number, height: number): { ctx: CanvasRenderingContext2D; data: ImageData } | null {
  const ctx = canvas2d(canvas, width, height);
  if (!ctx) return null;
  return { ctx, data: ctx.createImageData(width, height) };
}

function put(data: ImageData, x: number, y: number, [r, g, b]: Rgb, a = 255): void {
  const i = 4 * (y * data.width + x);
  data.data[i] = r;
  data.data[i + 1] = g;
  data.data[i + 2] = b;
  data.data[i + 3] = a;
}

/** Tiles per row for `count` tiles. */
export const gridColumns = (count: number) => Math.min(8, count);

/**
 * The maps `channels` (strongest first) of a stage as tiles, `columns` a row, with a 1-pixel gap;
 * every tile on one scale (the stage's largest value), so that weak maps look weak.
 */
export function paintMaps(canvas: HTMLCanvasElement, maps: FeatureMaps, channels: number[]): void {
  const { height: h, width: w } = maps;
  const columns = gridColumns(channels.length);
  const rows = Math.ceil(channels.length / columns);
  const target = context(canvas, columns * (w + 1) - 1, rows * (h + 1) - 1);
  if (!target) return;
  let peak = 0;
  for (const v of maps.values) if (v > peak) peak = v;
  channels.forEach((c, k) => {
    const [x0, y0] = [(k % columns) * (w + 1), Math.floor(k / columns) * (h + 1)];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) put(target.data, x0 + x, y0 + y, heatColour(peak > 0 ? maps.values[(c * h + y) * w + x] / peak : 0));
  });
  target.ctx.putImageData(target.data, 0, 0);
}

/** The first convolution's kernels as tiles, on the diverging ramp scaled by the largest weight. */
export function paintFilters(canvas: HTMLCanvasElement, filters: Filters): void {
  const { height: h, width: w, count } = filters;
  const columns = gridColumns(count);
  const rows = Math.ceil(count / columns);
  const target = context(canvas, columns * (w + 1) - 1, rows * (h + 1) - 1);
  if (!target) return;
  for (let f = 0; f < count; f++) {
    const [x0, y0] = [(f % columns) * (w + 1), Math.floor(f / columns) * (h + 1)];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        put(target.data, x0 + x, y0 + y, divergingColour(filters.range > 0 ? filters.values[(f * h + y) * w + x] / filters.range : 0));
  }
  target.ctx.putImageData(target.data, 0, 0);
}

/** A heat map (values in [0, 1], 28 × 28) over the picture, which is dimmed so that the heat shows. */
export function paintHeatOver(canvas: HTMLCanvasElement, image: Uint8Array, heat: Float32Array): void {
  const target = context(canvas, IMAGE_SIZE, IMAGE_SIZE);
  if (!target) return;
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    const ink = (image[i] ?? 0) * 0.45;
    const t = heat[i] ?? 0;
    const [r, g, b] = heatColour(t);
    // The heat covers the picture as it rises: none at 0, all of it at 1.
    const a = Math.min(1, t * 1.25);
    put(target.data, i % IMAGE_SIZE, Math.floor(i / IMAGE_SIZE), [ink + (r - ink) * a, ink + (g - ink) * a, ink + (b - ink) * a]);
  }
  target.ctx.putImageData(target.data, 0, 0);
}

/**
 * Values as vertical bars from a middle line (positive up, negative down), one `barWidth` wide
 * each, on one scale (the largest absolute value), `height` pixels tall.
 */
export function paintBars(canvas: HTMLCanvasElement, values: ArrayLike<number>, barWidth: number, height: number): void {
  const n = values.length;
  const target = context(canvas, n * barWidth, height);
  if (!target) return;
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(values[i]));
  const hasNegative = Array.from(values).some((v) => v < 0);
  const base = hasNegative ? Math.floor(height / 2) : height - 1;
  const room = hasNegative ? Math.floor(height / 2) - 1 : height - 1;
  for (let i = 0; i < n; i++) {
    const len = peak > 0 ? Math.round((Math.abs(values[i]) / peak) * room) : 0;
    const colour = values[i] < 0 ? NEGATIVE : POSITIVE;
    for (let k = 0; k < len; k++)
      for (let x = 0; x < barWidth - (barWidth > 2 ? 1 : 0); x++)
        put(target.data, i * barWidth + x, values[i] < 0 ? base + 1 + k : base - k, colour);
    for (let x = 0; x < barWidth; x++) put(target.data, i * barWidth + x, base, [120, 120, 120]);
  }
  target.ctx.putImageData(target.data, 0, 0);
}

/** A histogram's counts as bars on the diverging ramp (left bins negative weights, right positive). */
export function paintHistogram(canvas: HTMLCanvasElement, counts: number[], height: number): void {
  const target = context(canvas, counts.length * 4, height);
  if (!target) return;
  const peak = Math.max(1, ...counts);
  counts.forEach((count, i) => {
    const len = count > 0 ? Math.max(1, Math.round((count / peak) * (height - 1))) : 0;
    const colour = divergingColour(((i + 0.5) / counts.length) * 2 - 1);
    for (let k = 0; k < len; k++) for (let x = 0; x < 3; x++) put(target.data, i * 4 + x, height - 1 - k, colour);
  });
  target.ctx.putImageData(target.data, 0, 0);
}
