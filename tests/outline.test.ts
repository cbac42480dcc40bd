import { describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../src/core/classes.ts';
import { batchPixels } from '../src/core/data/batches.ts';
import { THICK_CHANCE, outlineImage } from '../src/core/data/outline.ts';
import { Rng } from '../src/core/rng.ts';

const N = IMAGE_SIZE;
/** A filled rectangle [x0, x1) × [y0, y1) at `level`, with a brighter band (a "collar") across rows cy..cy+2. */
function item(x0: number, y0: number, x1: number, y1: number, level = 0.6, cy = -1): Float32Array {
  const img = new Float32Array(IMAGE_PIXELS);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img[y * N + x] = y >= cy && y < cy + 3 ? 1 : level;
  return img;
}
const at = (img: Float32Array, x: number, y: number) => img[y * N + x];

/** Finds a seed whose draws give a thin (or thick) outline with an empty (or filled) inside. */
function seedFor(thick: boolean, filled: boolean): number {
  for (let seed = 1; ; seed++) {
    const r = new Rng(seed);
    r.next();
    const t = r.next() < THICK_CHANCE;
    r.next();
    if (t === thick && r.next() < 0.5 === filled) return seed;
  }
}

describe('outline augmentation', () => {
  it("keeps the silhouette's rim in ink and empties the inside", () => {
    const img = item(6, 4, 22, 24);
    outlineImage(img, 0, new Rng(seedFor(false, false)));
    // The rim: one pixel wide, inked (0.7 to 1).
    for (const [x, y] of [
      [6, 10],
      [21, 10],
      [12, 4],
      [12, 23],
    ]) {
      expect(at(img, x, y)).toBeGreaterThanOrEqual(0.7);
      expect(at(img, x, y)).toBeLessThanOrEqual(1);
    }
    // Inside and outside are empty.
    expect(at(img, 14, 14)).toBe(0);
    expect(at(img, 7, 10)).toBe(0);
    expect(at(img, 2, 2)).toBe(0);
    // Every pixel is ink or empty.
    expect(new Set(img).size).toBe(2);
  });

  it('draws inner lines where the shading jumps, as a person draws a collar', () => {
    const img = item(6, 4, 22, 24, 0.4, 12);
    outlineImage(img, 0, new Rng(seedFor(false, false)));
    // Rows 11 and 15 border the bright band: inked inside the item, away from the rim.
    expect(at(img, 14, 11)).toBeGreaterThan(0.6);
    expect(at(img, 14, 15)).toBeGreaterThan(0.6);
    expect(at(img, 14, 18)).toBe(0);
  });

  it('a thick outline is two pixels wide; a filled one keeps a faint inside below the ink', () => {
    const thick = item(6, 4, 22, 24);
    outlineImage(thick, 0, new Rng(seedFor(true, false)));
    expect(at(thick, 7, 10)).toBeGreaterThan(0.6);
    expect(at(thick, 5, 10)).toBeGreaterThan(0.6); // grown by one pixel outwards too
    expect(at(thick, 14, 14)).toBe(0);
    const filled = item(6, 4, 22, 24);
    outlineImage(filled, 0, new Rng(seedFor(false, true)));
    const ink = at(filled, 6, 10);
    expect(at(filled, 14, 14)).toBeGreaterThan(0);
    expect(at(filled, 14, 14)).toBeLessThan(ink * 0.61);
    expect(at(filled, 2, 2)).toBe(0);
  });

  it('outlines with the given probability per image, and draws nothing for 0', () => {
    const images = new Uint8Array(400 * IMAGE_PIXELS);
    for (let i = 0; i < 400; i++)
      for (let y = 4; y < 24; y++) images.fill(150, i * IMAGE_PIXELS + y * N + 6, i * IMAGE_PIXELS + y * N + 22);
    const set = { images, labels: new Uint8Array(400), count: 400 };
    const indices = Array.from({ length: 400 }, (_, i) => i);
    const outlined = (p: number, rng: Rng) => {
      const px = batchPixels(set, indices, 0, 400, { shift: 0, flip: false, outline: p, rng });
      return indices.filter((i) => px[i * IMAGE_PIXELS + 14 * N + 14] !== Math.fround(150 / 255)).length;
    };
    expect(outlined(1, new Rng(1))).toBe(400);
    const half = outlined(0.5, new Rng(2));
    expect(half).toBeGreaterThan(160);
    expect(half).toBeLessThan(240);
    const [a, b] = [new Rng(3), new Rng(3)];
    expect(outlined(0, a)).toBe(0);
    batchPixels(set, indices, 0, 400, { shift: 0, flip: false, rng: b });
    expect(a.next()).toBe(b.next());
  });

  it('leaves a blank image blank', () => {
    const img = new Float32Array(IMAGE_PIXELS);
    outlineImage(img, 0, new Rng(1));
    expect(img.every((v) => v === 0)).toBe(true);
  });
});
