import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE } from '../src/core/classes.ts';
import { preprocessImage } from '../src/core/preprocess.ts';
import { drawingInput } from '../src/core/sketch/drawing-input.ts';
import { INK_RGB, PAPER_RGB, StrokeRaster, type PadStroke } from '../src/core/sketch/stroke-raster.ts';
import { IDENTITY, PAD, replaySketch, sketchReplays } from '../src/core/answers/sketch-replay.ts';
import { SKETCHES, type SketchDrawing } from '../src/core/answers/sketches/index.ts';
import { Rng } from '../src/core/rng.ts';

const rgbAt = (r: StrokeRaster, x: number, y: number) => Array.from(r.rgba.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 3));
const square = (x0: number, y0: number, x1: number, y1: number) => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
  { x: x0, y: y0 },
];

describe("the pad's stroke raster", () => {
  it('inks a round brush: full ink on the line, paper beyond its radius, anti-aliased at the edge', () => {
    const r = new StrokeRaster(200, 200);
    const dirty = r.drawStroke(
      {
        size: 10,
        points: [
          { x: 50, y: 100.25 },
          { x: 150, y: 100.25 },
        ],
      },
      0,
    );
    expect(rgbAt(r, 100, 99)).toEqual([...INK_RGB]);
    expect(rgbAt(r, 100, 120)).toEqual([...PAPER_RGB]);
    expect(rgbAt(r, 10, 10)).toEqual([...PAPER_RGB]);
    // Round caps: ink reaches 5 px past the end points, not further.
    expect(r.coverage[99 * 200 + 153]).toBe(255);
    expect(r.coverage[99 * 200 + 158]).toBe(0);
    // The edge row (its centre 4.75 px from the line) is part-inked, between paper and ink.
    const edge = r.coverage[95 * 200 + 100];
    expect(edge).toBeGreaterThan(0);
    expect(edge).toBeLessThan(255);
    // Every inked pixel lies in the dirty rectangle the call returned.
    for (let p = 0; p < r.coverage.length; p++) {
      if (!r.coverage[p]) continue;
      const x = p % 200,
        y = Math.floor(p / 200);
      expect(x >= dirty.x0 && x < dirty.x1 && y >= dirty.y0 && y < dirty.y1).toBe(true);
    }
  });

  it('draws the same pixels whether a stroke arrives at once or point by point, as a pointer sends it', () => {
    const points = Array.from({ length: 40 }, (_, i) => ({ x: 30 + i * 4, y: 60 + 40 * Math.sin(i / 5) }));
    const whole = new StrokeRaster(220, 140);
    whole.drawAll([{ size: 14, points }]);
    const live = new StrokeRaster(220, 140);
    const stroke: PadStroke = { size: 14, points: [] };
    for (const p of points) {
      const from = stroke.points.length;
      stroke.points.push(p);
      live.drawStroke(stroke, from);
    }
    expect(live.coverage).toEqual(whole.coverage);
    expect(live.rgba).toEqual(whole.rgba);
  });

  it("a single click is a dot of the brush's size; clear() gives blank paper back", () => {
    const r = new StrokeRaster(50, 50);
    r.drawStroke({ size: 20, points: [{ x: 25, y: 25 }] }, 0);
    expect(r.coverage[25 * 50 + 25]).toBe(255);
    expect(r.coverage[25 * 50 + 33]).toBe(255);
    expect(r.coverage[25 * 50 + 37]).toBe(0);
    r.clear();
    expect(r.coverage.every((c) => c === 0)).toBe(true);
    expect(rgbAt(r, 25, 25)).toEqual([...PAPER_RGB]);
  });
});

describe('filling closed outlines (preprocessing option fillEnclosed)', () => {
  const drawn = (strokes: PadStroke[]) => {
    const r = new StrokeRaster(PAD, PAD);
    r.drawAll(strokes);
    return r.rgba;
  };
  const centre = (image: Uint8Array) => image[14 * IMAGE_SIZE + 14];

  it('fills the inside of a closed outline at the given fraction of the ink, and leaves it empty when off', () => {
    const closed = drawn([{ size: 10, points: square(60, 60, 220, 220) }]);
    const plain = preprocessImage(closed, PAD, PAD, 4);
    expect(centre(plain.image)).toBe(0);
    const filled = preprocessImage(closed, PAD, PAD, 4, { fillEnclosed: 0.5 });
    expect(centre(filled.image)).toBeGreaterThan(110);
    expect(centre(filled.image)).toBeLessThan(145);
    // The outline itself stays at full strength, brighter than the fill.
    expect(filled.image[14 * IMAGE_SIZE + 0]).toBeGreaterThan(200);
  });

  it('leaves an open shape (a U with its top open) empty: its inside reaches the edge', () => {
    const open = drawn([
      {
        size: 10,
        points: [
          { x: 60, y: 60 },
          { x: 60, y: 220 },
          { x: 220, y: 220 },
          { x: 220, y: 60 },
        ],
      },
    ]);
    expect(centre(preprocessImage(open, PAD, PAD, 4, { fillEnclosed: 0.5 }).image)).toBe(0);
  });

  it('refuses a fraction outside 0–1', () => {
    const closed = drawn([{ size: 10, points: square(60, 60, 220, 220) }]);
    expect(() => preprocessImage(closed, PAD, PAD, 4, { fillEnclosed: 1.5 })).toThrow(/fillEnclosed/);
  });

  it("the pad's input is the drawing preprocessed with the drawing options", () => {
    const closed = drawn([{ size: 10, points: square(60, 60, 220, 220) }]);
    expect(drawingInput(closed, PAD, PAD).image).toEqual(preprocessImage(closed, PAD, PAD, 4, { fillEnclosed: 0 }).image);
  });
});

describe('sketch replays', () => {
  const sketch: SketchDrawing = {
    name: 'box',
    label: 8,
    brush: 12,
    strokes: [
      [
        [60, 60],
        [220, 60],
        [220, 220],
        [60, 220],
        [60, 60],
      ],
    ],
  };

  it('the identity replay keeps the authored points and brush', () => {
    const [stroke] = replaySketch(sketch, IDENTITY, new Rng(1));
    expect(stroke.size).toBe(12);
    // Resampled along the outline: every authored corner is still there.
    for (const [x, y] of sketch.strokes[0])
      expect(stroke.points.some((p) => Math.abs(p.x - x) < 1e-9 && Math.abs(p.y - y) < 1e-9)).toBe(true);
  });

  it('replays are fixed by the seed and differ from one another', () => {
    const a = sketchReplays([sketch], 3, 7);
    const b = sketchReplays([sketch], 3, 7);
    expect(a).toEqual(b);
    expect(a[0].strokes).not.toEqual(a[1].strokes);
    expect(sketchReplays([sketch], 1, 8)[0].strokes).not.toEqual(a[0].strokes);
  });

  it('every authored sketch lies on the pad and has a class and a brush the pad offers', () => {
    for (const s of SKETCHES) {
      expect(s.label, s.name).toBeGreaterThanOrEqual(0);
      expect(s.label, s.name).toBeLessThan(10);
      expect(s.brush, s.name).toBeGreaterThanOrEqual(4);
      expect(s.brush, s.name).toBeLessThanOrEqual(40);
      for (const stroke of s.strokes) for (const [x, y] of stroke) expect(x >= 0 && x <= PAD && y >= 0 && y <= PAD, s.name).toBe(true);
    }
  });
});
