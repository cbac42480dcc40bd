/**
 * Turns an arbitrary picture (a canvas drawing, a photo of a product on a light background) into
 * a 28×28 Fashion-MNIST-style input, following the steps Zalando used to build the dataset: the
 * product bright on black, trimmed to the object, longest side scaled to 28 keeping the aspect
 * ratio, centred.
 *
 * Pipeline: grayscale → background level from the border → invert if light → subtract the
 * background → trim → resample (area average / bilinear) → centre → stretch contrast.
 * Pure TypeScript over typed arrays: runs in a worker or in Node alike.
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from './classes.ts';
import { resampleRect } from './preprocess/resample.ts';

export interface PreprocessOptions {
  /**
   * true / false forces inverting (dark object on light background) or not; undefined (default)
   * decides from the border: a border median above mid-gray means a light background.
   */
  invert?: boolean;
  /**
   * Pixels count as object when their strength (brightness above the background) exceeds this
   * fraction of the strongest pixel. Default 0.05. An absolute floor of NOISE_FLOOR also applies.
   */
  threshold?: number;
  /**
   * 'box' (default): centre the bounding box, as Fashion-MNIST does.
   * 'mass': put the centre of mass at the centre (as MNIST digits do), clamped so nothing is cut.
   */
  centering?: 'box' | 'mass';
  /**
   * Fills the inside of closed outlines: background that cannot reach the picture's edge without
   * crossing the object is set to this fraction (0-1) of the strongest pixel. Drawings are outlines
   * with empty insides, while Fashion-MNIST's items are filled, shaded shapes; a filled boot reads
   * as a boot where its empty outline reads as a sandal. 0 or left out: off.
   */
  fillEnclosed?: number;
}

/** A rectangle in source pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PreprocessResult {
  /** IMAGE_SIZE × IMAGE_SIZE (784) bytes, row-major, 0 = background, 255 = strongest pixel. */
  image: Uint8Array;
  /** True when a light background was detected (or forced) and the picture was inverted. */
  inverted: boolean;
  /** The trimmed object in source pixels; all zeros when `empty`. */
  box: Box;
  /** True when no object was found (e.g. a blank canvas): `image` is all zeros. */
  empty: boolean;
  /** Background gray level (0-255, before inversion): median of the border pixels. */
  background: number;
}

/** Strength (0-255) below which a pixel is always background: sensor / JPEG noise. */
export const NOISE_FLOOR = 8;

/** Luma (BT.601) of 8-bit RGB, in integer arithmetic: 77 + 150 + 29 = 256. */
function luma(r: number, g: number, b: number): number {
  return (77 * r + 150 * g + 29 * b + 128) >> 8;
}

/** Gray level of pixel `p`, alpha composited over white (so transparency reads as light). */
function grayAt(pixels: ArrayLike<number>, p: number, channels: 1 | 3 | 4): number {
  if (channels === 1) return pixels[p];
  const i = p * channels;
  const y = luma(pixels[i], pixels[i + 1], pixels[i + 2]);
  if (channels === 3) return y;
  // 255 - (255 - y) * alpha: full alpha keeps y, zero alpha gives white.
  return 255 - ((((255 - y) * pixels[i + 3] + 127) / 255) | 0);
}

/**
 * Histogram of the gray levels of a ring of border pixels. The ring is ~1% of the short side
 * thick (at least 1 px) so one anti-aliased or JPEG-smeared edge row does not decide alone.
 */
function borderHistogram(pixels: ArrayLike<number>, width: number, height: number, channels: 1 | 3 | 4): Uint32Array {
  const hist = new Uint32Array(256);
  const t = Math.max(1, Math.floor(Math.min(width, height) / 100));
  for (let y = 0; y < height; y++) {
    const inBand = y < t || y >= height - t;
    const row = y * width;
    if (inBand) {
      for (let x = 0; x < width; x++) hist[grayAt(pixels, row + x, channels)]++;
    } else {
      for (let x = 0; x < Math.min(t, width); x++) hist[grayAt(pixels, row + x, channels)]++;
      for (let x = Math.max(t, width - t); x < width; x++) hist[grayAt(pixels, row + x, channels)]++;
    }
  }
  return hist;
}

/** Smallest level whose cumulative count reaches fraction q of the histogram. */
function percentile(hist: Uint32Array, q: number): number {
  let total = 0;
  for (const c of hist) total += c;
  const target = q * total;
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v];
    if (acc >= target && acc > 0) return v;
  }
  return 255;
}

/**
 * Sets every background pixel (strength <= `cut`) that is enclosed by the object, i.e. not
 * 4-connected through background to the picture's edge, to `level`. A flood fill from the edge
 * marks what is outside; whatever background it does not reach is inside a closed outline.
 */
function fillEnclosed(strength: Uint8Array, width: number, height: number, cut: number, level: number): void {
  const n = width * height;
  const outside = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  const push = (p: number) => {
    if (!outside[p] && strength[p] <= cut) {
      outside[p] = 1;
      stack[top++] = p;
    }
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (top > 0) {
    const p = stack[--top];
    const x = p % width;
    if (x > 0) push(p - 1);
    if (x < width - 1) push(p + 1);
    if (p >= width) push(p - width);
    if (p < n - width) push(p + width);
  }
  for (let p = 0; p < n; p++) if (!outside[p] && strength[p] <= cut && strength[p] < level) strength[p] = level;
}

function validate(pixels: ArrayLike<number>, width: number, height: number, channels: number): void {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new RangeError(`channels must be 1, 3 or 4, got ${channels}`);
  }
  const expected = width * height * channels;
  if (pixels.length !== expected) {
    throw new RangeError(
      `pixels has length ${pixels.length}, expected width × height × channels = ${width} × ${height} × ${channels} = ${expected}`,
    );
  }
}

/**
 * Converts a picture into a Fashion-MNIST-style 28×28 input.
 * @param pixels row-major interleaved 8-bit pixels, length width × height × channels
 *   (1 = gray, 3 = RGB, 4 = RGBA as from canvas getImageData)
 * @param width source width in pixels, height source height in pixels
 * @returns see PreprocessResult; a blank picture gives `empty: true` and zeros, never throws
 * @throws RangeError naming the argument when sizes or the buffer length are wrong
 */
export function preprocessImage(
  pixels: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  options: PreprocessOptions = {},
): PreprocessResult {
  validate(pixels, width, height, channels);
  const relThreshold = options.threshold ?? 0.05;
  if (!(relThreshold >= 0 && relThreshold < 1)) {
    throw new RangeError(`options.threshold must be in [0, 1), got ${options.threshold}`);
  }

  // 1. Background from the border: median level, and its spread as a noise estimate.
  const hist = borderHistogram(pixels, width, height, channels);
  const background = percentile(hist, 0.5);
  const inverted = options.invert ?? background > 127;
  // In the inverted domain the object is bright and the background dark. Cut above the median by
  // twice the interquartile range, capped so a busy border cannot erase a faint object.
  const p25 = percentile(hist, 0.25);
  const p75 = percentile(hist, 0.75);
  const bgLevel = inverted ? 255 - background : background;
  const cut = Math.min(bgLevel + 2 * (p75 - p25), bgLevel + 48, 254);

  // 2. One pass: gray → strength (object brightness above the background, 0-255) through a LUT.
  const lut = new Uint8Array(256);
  for (let g = 0; g < 256; g++) lut[g] = Math.max(0, (inverted ? 255 - g : g) - cut);
  const n = width * height;
  const strength = new Uint8Array(n);
  let max = 0;
  if (channels === 1) {
    for (let p = 0; p < n; p++) {
      const s = lut[pixels[p]];
      strength[p] = s;
      if (s > max) max = s;
    }
  } else {
    for (let p = 0; p < n; p++) {
      const s = lut[grayAt(pixels, p, channels)];
      strength[p] = s;
      if (s > max) max = s;
    }
  }

  const image = new Uint8Array(IMAGE_PIXELS);
  const emptyResult = (): PreprocessResult => ({
    image,
    inverted,
    box: { x: 0, y: 0, width: 0, height: 0 },
    empty: true,
    background,
  });
  if (max <= NOISE_FLOOR) return emptyResult();
  const fill = options.fillEnclosed ?? 0;
  if (!(fill >= 0 && fill <= 1)) throw new RangeError(`options.fillEnclosed must be in [0, 1], got ${options.fillEnclosed}`);
  if (fill > 0) fillEnclosed(strength, width, height, Math.max(NOISE_FLOOR, relThreshold * max), Math.round(fill * max));

  // 3. Trim: bounding box of pixels above the threshold.
  const t = Math.max(NOISE_FLOOR, relThreshold * max);
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (strength[row + x] > t) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    if (y0 === height) y0 = y;
    y1 = y;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
  }
  if (x1 < 0) return emptyResult();
  const box: Box = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };

  // 4. Scale the longest side to IMAGE_SIZE, keeping the aspect ratio.
  const scale = IMAGE_SIZE / Math.max(box.width, box.height);
  const ow = Math.min(IMAGE_SIZE, Math.max(1, Math.round(box.width * scale)));
  const oh = Math.min(IMAGE_SIZE, Math.max(1, Math.round(box.height * scale)));
  const patch = resampleRect(strength, width, box.x, box.y, box.width, box.height, ow, oh);

  // 5. Centre: the bounding box (Fashion-MNIST) or the centre of mass (optional).
  let ox = (IMAGE_SIZE - ow) >> 1;
  let oy = (IMAGE_SIZE - oh) >> 1;
  let patchMax = 0;
  for (const v of patch) if (v > patchMax) patchMax = v;
  if (patchMax <= 0) return emptyResult();
  if (options.centering === 'mass') {
    let m = 0;
    let mx = 0;
    let my = 0;
    for (let v = 0; v < oh; v++) {
      for (let u = 0; u < ow; u++) {
        const w = patch[v * ow + u];
        m += w;
        mx += w * (u + 0.5);
        my += w * (v + 0.5);
      }
    }
    ox = Math.min(IMAGE_SIZE - ow, Math.max(0, Math.round(IMAGE_SIZE / 2 - mx / m)));
    oy = Math.min(IMAGE_SIZE - oh, Math.max(0, Math.round(IMAGE_SIZE / 2 - my / m)));
  }

  // 6. Stretch contrast so the brightest pixel is 255 (thin strokes averaged down come back up).
  const gain = 255 / patchMax;
  for (let v = 0; v < oh; v++) {
    for (let u = 0; u < ow; u++) {
      image[(oy + v) * IMAGE_SIZE + ox + u] = Math.min(255, Math.round(patch[v * ow + u] * gain));
    }
  }
  return { image, inverted, box, empty: false, background };
}
