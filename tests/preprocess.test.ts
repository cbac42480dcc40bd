import { describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../src/core/classes.ts';
import { preprocessImage } from '../src/core/preprocess.ts';

/** A width × height picture with `channels` channels, every pixel set to `fill`. */
function picture(width: number, height: number, channels: number, fill: number[]): Uint8ClampedArray {
  const px = new Uint8ClampedArray(width * height * channels);
  px.set(fill);
  // Double the filled prefix each step: fast even for a 48 MB picture.
  for (let len = channels; len < px.length; len *= 2) px.copyWithin(len, 0, Math.min(len, px.length - len));
  return px;
}

function fillRect(
  px: Uint8ClampedArray,
  width: number,
  channels: number,
  x: number,
  y: number,
  w: number,
  h: number,
  value: number[],
): void {
  for (let yy = y; yy < y + h; yy++) {
    for (let xx = x; xx < x + w; xx++) {
      for (let c = 0; c < channels; c++) px[(yy * width + xx) * channels + c] = value[c];
    }
  }
}

/** Bounding box of the non-zero output pixels (above `min`). */
function outputBox(image: Uint8Array, min = 0): { x: number; y: number; width: number; height: number } {
  let x0 = IMAGE_SIZE,
    x1 = -1,
    y0 = IMAGE_SIZE,
    y1 = -1;
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      if (image[y * IMAGE_SIZE + x] > min) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

const max = (a: Uint8Array): number => a.reduce((m, v) => Math.max(m, v), 0);

describe('preprocessImage', () => {
  it('inverts, trims, scales and centres a dark rectangle on a light RGBA background', () => {
    // 200×150 light gray with mild noise, a 40×20 dark rectangle near the top right.
    const w = 200,
      h = 150;
    const px = picture(w, h, 4, [235, 235, 235, 255]);
    for (let p = 0; p < w * h; p++) px[p * 4] = 230 + (p % 7); // noise in red only: luma 233-238
    fillRect(px, w, 4, 140, 10, 40, 20, [30, 40, 50, 255]);
    const r = preprocessImage(px, w, h, 4);
    expect(r.empty).toBe(false);
    expect(r.inverted).toBe(true);
    expect(r.box).toEqual({ x: 140, y: 10, width: 40, height: 20 });
    expect(r.image).toHaveLength(IMAGE_PIXELS);
    // 40×20 → 28×14, centred vertically: rows 7..20, full width.
    expect(outputBox(r.image)).toEqual({ x: 0, y: 7, width: 28, height: 14 });
    expect(r.image[14 * IMAGE_SIZE + 14]).toBe(255);
    expect(r.image[3 * IMAGE_SIZE + 14]).toBe(0);
    expect(r.image[24 * IMAGE_SIZE + 14]).toBe(0);
  });

  it('centres an off-centre dark shape of a light photo, inverted, keeping its aspect ratio', () => {
    // A 640×480 "photo": light, slightly uneven background; a dark 60×120 shape (a boot-like L:
    // a shaft and a foot to the right) in the bottom-left corner, far from the centre.
    const w = 640,
      h = 480;
    const px = picture(w, h, 4, [228, 226, 222, 255]);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[(y * w + x) * 4 + 1] = 222 + ((x + y) % 9);
    fillRect(px, w, 4, 40, 330, 30, 120, [45, 40, 38, 255]); // shaft 30×120
    fillRect(px, w, 4, 70, 410, 30, 40, [45, 40, 38, 255]); // foot, 30×40 to its right
    const r = preprocessImage(px, w, h, 4);
    expect(r.inverted).toBe(true);
    expect(r.box).toEqual({ x: 40, y: 330, width: 60, height: 120 });
    // 60×120 → 14×28: full height, 14 columns centred (7..20): aspect 1:2 kept.
    expect(outputBox(r.image)).toEqual({ x: 7, y: 0, width: 14, height: 28 });
    // Inverted: the object is bright (the shaft's middle), the background black.
    expect(r.image[10 * IMAGE_SIZE + 9]).toBe(255);
    expect(r.image[10 * IMAGE_SIZE + 18]).toBe(0); // right of the shaft, above the foot
    expect(r.image[25 * IMAGE_SIZE + 18]).toBeGreaterThan(200); // the foot
    expect(r.image[14 * IMAGE_SIZE + 2]).toBe(0);
    expect(r.image[14 * IMAGE_SIZE + 25]).toBe(0);
  });

  it('keeps a bright shape on a dark RGB background as it is (no inversion)', () => {
    const w = 60,
      h = 60;
    const px = picture(w, h, 3, [10, 10, 10]);
    fillRect(px, w, 3, 5, 20, 14, 28, [200, 220, 210]); // 14 wide × 28 tall
    const r = preprocessImage(px, w, h, 3);
    expect(r.inverted).toBe(false);
    expect(r.box).toEqual({ x: 5, y: 20, width: 14, height: 28 });
    // Already 28 tall: scale 1, centred horizontally at columns 7..20.
    expect(outputBox(r.image)).toEqual({ x: 7, y: 0, width: 14, height: 28 });
    expect(max(r.image)).toBe(255);
  });

  it('accepts one-channel gray input', () => {
    const w = 100,
      h = 50;
    const px = picture(w, h, 1, [255]);
    fillRect(px, w, 1, 10, 10, 20, 20, [0]); // a 20×20 black square on white
    const r = preprocessImage(px, w, h, 1);
    expect(r.inverted).toBe(true);
    expect(r.background).toBe(255);
    expect(r.box).toEqual({ x: 10, y: 10, width: 20, height: 20 });
    // Enlarged 20 → 28: fills the whole output, uniformly.
    expect(r.image.every((v) => v === 255)).toBe(true);
  });

  it('treats transparent pixels as a light background (alpha over white)', () => {
    // A transparent PNG: RGB is black everywhere, only alpha says where the object is.
    const w = 80,
      h = 80;
    const px = picture(w, h, 4, [0, 0, 0, 0]);
    fillRect(px, w, 4, 30, 20, 10, 40, [0, 0, 0, 255]);
    const r = preprocessImage(px, w, h, 4);
    expect(r.inverted).toBe(true);
    expect(r.box).toEqual({ x: 30, y: 20, width: 10, height: 40 });
    expect(outputBox(r.image)).toEqual({ x: 10, y: 0, width: 7, height: 28 });
  });

  it('returns empty and all zeros for a blank picture, light or dark', () => {
    for (const fill of [
      [255, 255, 255, 255],
      [0, 0, 0, 255],
      [0, 0, 0, 0],
    ]) {
      const r = preprocessImage(picture(50, 40, 4, fill), 50, 40, 4);
      expect(r.empty).toBe(true);
      expect(r.box).toEqual({ x: 0, y: 0, width: 0, height: 0 });
      expect(r.image).toHaveLength(IMAGE_PIXELS);
      expect(max(r.image)).toBe(0);
    }
    // Faint noise below the noise floor is still blank.
    const noisy = picture(50, 40, 1, [250]);
    for (let p = 0; p < noisy.length; p++) noisy[p] = 246 + ((p * 7919) % 10);
    expect(preprocessImage(noisy, 50, 40, 1).empty).toBe(true);
    // A barely visible smudge (5 gray levels) on a clean white canvas is not an object.
    const smudged = picture(50, 40, 1, [255]);
    fillRect(smudged, 50, 1, 20, 10, 5, 5, [250]);
    expect(preprocessImage(smudged, 50, 40, 1).empty).toBe(true);
  });

  it('converts colour to gray with luma weights', () => {
    // Green and blue squares on black: luma 150/256 vs 29/256 of full scale → 255 and ~49 after
    // the contrast stretch (blue looks much darker than green, as the eye sees it).
    const px = picture(40, 20, 3, [0, 0, 0]);
    fillRect(px, 40, 3, 5, 5, 10, 10, [0, 255, 0]);
    fillRect(px, 40, 3, 25, 5, 10, 10, [0, 0, 255]);
    const r = preprocessImage(px, 40, 20, 3);
    expect(r.box).toEqual({ x: 5, y: 5, width: 30, height: 10 });
    expect(r.image[14 * IMAGE_SIZE + 3]).toBe(255);
    expect(r.image[14 * IMAGE_SIZE + 24]).toBeGreaterThan(40);
    expect(r.image[14 * IMAGE_SIZE + 24]).toBeLessThan(60);
  });

  it('keeps a 1-pixel stroke visible after shrinking a large picture', () => {
    // 2000×1500 white, a 1-px black rectangle outline 1400×700: shrink factor 50.
    const w = 2000,
      h = 1500;
    const px = picture(w, h, 4, [255, 255, 255, 255]);
    const ink = [0, 0, 0, 255];
    fillRect(px, w, 4, 300, 400, 1400, 1, ink);
    fillRect(px, w, 4, 300, 1099, 1400, 1, ink);
    fillRect(px, w, 4, 300, 400, 1, 700, ink);
    fillRect(px, w, 4, 1699, 400, 1, 700, ink);
    const r = preprocessImage(px, w, h, 4);
    expect(r.box).toEqual({ x: 300, y: 400, width: 1400, height: 700 });
    const top = 7; // 700/1400 × 28 = 14 rows, centred from row 7
    // The outline survives as bright edges, the inside stays black.
    expect(r.image[top * IMAGE_SIZE + 14]).toBeGreaterThan(100);
    expect(r.image[(top + 13) * IMAGE_SIZE + 14]).toBeGreaterThan(100);
    expect(r.image[(top + 7) * IMAGE_SIZE + 0]).toBeGreaterThan(100);
    expect(r.image[(top + 7) * IMAGE_SIZE + 27]).toBeGreaterThan(100);
    expect(r.image[(top + 7) * IMAGE_SIZE + 14]).toBe(0);
    expect(outputBox(r.image)).toEqual({ x: 0, y: top, width: 28, height: 14 });
  });

  it('leaves an already centred 28×28 Fashion-MNIST-like image nearly unchanged', () => {
    // A "trouser": two legs joined at the waist, full height, centred on black, max 255.
    const src = new Uint8Array(IMAGE_PIXELS);
    for (let y = 0; y < 28; y++) {
      for (let x = 8; x < 20; x++) {
        const leg = y < 8 || x < 13 || x > 14;
        if (leg) src[y * 28 + x] = 120 + ((x * 13 + y * 7) % 136);
      }
    }
    const r = preprocessImage(src, 28, 28, 1);
    expect(r.inverted).toBe(false);
    expect(r.box).toEqual({ x: 8, y: 0, width: 12, height: 28 });
    let maxDiff = 0;
    for (let i = 0; i < IMAGE_PIXELS; i++) maxDiff = Math.max(maxDiff, Math.abs(r.image[i] - src[i]));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('enlarges with bilinear interpolation (smooth edges, no overshoot)', () => {
    // A 14×14 object in a black 18×18 frame: left 7 columns 255, right 7 columns 127. Enlarged ×2,
    // output column o samples source position (o + 0.5) / 2 - 0.5: o = 13 → 6.25 →
    // 0.75·255 + 0.25·127 = 223, o = 14 → 6.75 → 0.25·255 + 0.75·127 = 159.
    const px = picture(18, 18, 1, [0]);
    fillRect(px, 18, 1, 2, 2, 7, 14, [255]);
    fillRect(px, 18, 1, 9, 2, 7, 14, [127]);
    const r = preprocessImage(px, 18, 18, 1);
    expect(r.box).toEqual({ x: 2, y: 2, width: 14, height: 14 });
    const row = Array.from(r.image.subarray(10 * IMAGE_SIZE, 11 * IMAGE_SIZE));
    expect(row.slice(0, 13)).toEqual(new Array(13).fill(255));
    expect(row[13]).toBe(223);
    expect(row[14]).toBe(159);
    expect(row.slice(15)).toEqual(new Array(13).fill(127));
  });

  it('can centre the centre of mass instead of the box', () => {
    // An "L": heavy vertical bar on the left, thin foot. Box centring leaves mass left of centre.
    const w = 28,
      h = 28;
    const px = picture(w, h, 1, [0]);
    fillRect(px, w, 1, 0, 0, 6, 28, [255]);
    fillRect(px, w, 1, 0, 26, 20, 2, [255]);
    const box = preprocessImage(px, w, h, 1);
    const mass = preprocessImage(px, w, h, 1, { centering: 'mass' });
    expect(outputBox(box.image).x).toBe(4); // (28 - 20) / 2
    expect(outputBox(mass.image).x).toBeGreaterThan(4);
  });

  // Its speed is measured by `npm run bench`, not asserted here: shared machines make timings noisy.
  it('handles a 4000×3000 RGBA photo', () => {
    const w = 4000,
      h = 3000;
    const px = picture(w, h, 4, [240, 240, 240, 255]);
    fillRect(px, w, 4, 1000, 500, 2000, 2200, [60, 50, 40, 255]);
    const r = preprocessImage(px, w, h, 4);
    expect(r.box).toEqual({ x: 1000, y: 500, width: 2000, height: 2200 });
    expect(r.inverted).toBe(true);
  });

  it('rejects bad arguments, naming them', () => {
    const px = new Uint8Array(12);
    expect(() => preprocessImage(px, 0, 3, 4)).toThrow(/width/);
    expect(() => preprocessImage(px, 3, -1, 4)).toThrow(/height/);
    expect(() => preprocessImage(px, 1.5, 2, 4)).toThrow(/width/);
    expect(() => preprocessImage(px, 3, 1, 2 as 1)).toThrow(/channels/);
    expect(() => preprocessImage(px, 2, 2, 4)).toThrow(/pixels has length 12.*16/);
    expect(() => preprocessImage(px, 1, 2, 4)).toThrow(/pixels has length 12.*8/);
    expect(() => preprocessImage(px, 3, 1, 4, { threshold: 1.5 })).toThrow(/threshold/);
  });
});
