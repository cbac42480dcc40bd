/**
 * The confusion matrix's colours: two sequential ramps (blue for right answers on the diagonal,
 * orange for mistakes off it), and for each cell the text colour that reads best on it.
 *
 * Text is black or white, whichever contrasts more with the cell: between them, every background
 * gets at least 4.58:1 (WCAG AA asks 4.5:1 for small text), which a softer dark grey could not
 * promise on mid-tone cells.
 */

export type Rgb = readonly [number, number, number];

/** ColorBrewer's nine-class Blues and Oranges, light to dark. */
export const RIGHT_RAMP: readonly Rgb[] = [
  '#f7fbff',
  '#deebf7',
  '#c6dbef',
  '#9ecae1',
  '#6baed6',
  '#4292c6',
  '#2171b5',
  '#08519c',
  '#08306b',
].map(hex);
export const MISTAKE_RAMP: readonly Rgb[] = [
  '#fff5eb',
  '#fee6ce',
  '#fdd0a2',
  '#fdae6b',
  '#fd8d3c',
  '#f16913',
  '#d94801',
  '#a63603',
  '#7f2704',
].map(hex);

/** Where a count of 1 starts on a ramp: visibly tinted, apart from the white of an empty cell. */
export const RAMP_START = 0.12;

export const EMPTY_CELL: Rgb = [255, 255, 255];
/** The text of an empty cell: muted, and still 6:1 on white. */
export const EMPTY_TEXT = '#5d6472';

function hex(value: string): Rgb {
  const n = parseInt(value.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export const css = (c: Rgb) => `rgb(${c.map((v) => Math.round(v)).join(' ')})`;

/** The ramp's colour at t ∈ [0, 1], piecewise linear in sRGB between its stops (as CSS gradients blend). */
export function rampColor(ramp: readonly Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [ramp[i], ramp[i + 1]];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** The part of a ramp a count in 1..max covers (`RAMP_START` at 1, 1 at max). */
export function countPosition(count: number, max: number): number {
  if (max <= 1) return 1;
  return RAMP_START + (1 - RAMP_START) * ((count - 1) / (max - 1));
}

/** WCAG 2 relative luminance of an sRGB colour (channels 0–255). */
export function luminance(c: Rgb): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/** Black or white, whichever contrasts more with `background`. */
export function textOn(background: Rgb): '#000' | '#fff' {
  return contrast(background, BLACK) >= contrast(background, WHITE) ? '#000' : '#fff';
}

/** The tops of the two scales: the largest class (its row's total) and the largest mistake. */
export interface HeatmapScale {
  rightMax: number;
  mistakeMax: number;
}

/** One scale for any number of matrices (Compare shades both on the same one). */
export function heatmapScale(matrices: readonly number[][][]): HeatmapScale {
  let rightMax = 1;
  let mistakeMax = 1;
  for (const m of matrices) {
    m.forEach((row, t) => {
      rightMax = Math.max(
        rightMax,
        row.reduce((s, x) => s + x, 0),
      );
      row.forEach((x, p) => {
        if (p !== t) mistakeMax = Math.max(mistakeMax, x);
      });
    });
  }
  return { rightMax, mistakeMax };
}

export interface CellColours {
  background: string;
  color: string;
}

/**
 * A cell's colours: empty cells white; right answers on the blue ramp up to `rightMax`, mistakes
 * on the orange one up to `mistakeMax` (each scale its own, so a 30-image mistake is not lost
 * next to 900 right answers).
 */
export function cellColours(count: number, diagonal: boolean, { rightMax, mistakeMax }: HeatmapScale): CellColours {
  if (count <= 0) return { background: css(EMPTY_CELL), color: EMPTY_TEXT };
  const bg = rampColor(diagonal ? RIGHT_RAMP : MISTAKE_RAMP, countPosition(count, diagonal ? rightMax : mistakeMax));
  return { background: css(bg), color: textOn(bg) };
}

/** The legend's bar: the ramp from a count of 1 to the maximum, as a CSS gradient. */
export function rampGradient(ramp: readonly Rgb[]): string {
  const steps = 16;
  const stops = Array.from({ length: steps + 1 }, (_, k) => {
    const t = RAMP_START + ((1 - RAMP_START) * k) / steps;
    return `${css(rampColor(ramp, t))} ${((k / steps) * 100).toFixed(1)}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
