/**
 * Replays an authored sketch the way another person might draw it: scaled, squashed or stretched,
 * a little rotated, shifted, with a wobbling hand and another brush size. Each replay is fixed by
 * its seed, so a benchmark run is repeatable; the strokes then go through the pad's own raster.
 */
import type { PadPoint, PadStroke } from '../sketch/stroke-raster.ts';
import { Rng } from '../rng.ts';
import type { SketchDrawing } from './sketches/index.ts';

/** The drawing pad's size in pixels (the page's pad: 10 × the model's 28). */
export const PAD = 280;

/** How far a replay may move from the authored sketch. */
export interface Variation {
  /** Overall scale about the pad's centre. */
  scale: number;
  /** Width over height factor: x × aspect, y ÷ aspect. */
  aspect: number;
  /** Rotation in degrees, clockwise on the pad. */
  rotation: number;
  /** Shift in pad pixels. */
  dx: number;
  dy: number;
  /** Largest hand wobble in pad pixels (smooth, along each stroke). */
  wobble: number;
  /** Brush size factor. */
  brush: number;
}

export const IDENTITY: Variation = { scale: 1, aspect: 1, rotation: 0, dx: 0, dy: 0, wobble: 0, brush: 1 };

/** A random variation within the ranges a person's sketches span. */
export function randomVariation(rng: Rng): Variation {
  const between = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  return {
    scale: between(0.7, 1.1),
    aspect: between(0.85, 1.15),
    rotation: between(-12, 12),
    dx: between(-30, 30),
    dy: between(-30, 30),
    wobble: between(0, 4),
    brush: between(0.65, 1.4),
  };
}

/** Points every `step` pixels along a polyline (its corners kept), so wobble bends it smoothly. */
function resample(points: readonly PadPoint[], step: number): PadPoint[] {
  if (points.length < 2) return points.map((p) => ({ ...p }));
  const out: PadPoint[] = [{ ...points[0] }];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / step));
    for (let k = 1; k <= n; k++) out.push({ x: a.x + ((b.x - a.x) * k) / n, y: a.y + ((b.y - a.y) * k) / n });
  }
  return out;
}

/** The sketch's strokes under `v`; `rng` draws the wobble's phases. */
export function replaySketch(sketch: SketchDrawing, v: Variation, rng: Rng): PadStroke[] {
  const c = PAD / 2;
  const rad = (v.rotation * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const size = Math.min(40, Math.max(4, Math.round(sketch.brush * v.brush)));
  return sketch.strokes.map((stroke) => {
    const points = resample(
      stroke.map(([x, y]) => ({ x, y })),
      6,
    );
    // Two sine waves per axis with random phases and wavelengths of 40-120 px: a hand's slow drift.
    const waves = [0, 1, 2, 3].map(() => ({ phase: rng.next() * 2 * Math.PI, length: 40 + 80 * rng.next() }));
    let along = 0;
    return {
      size,
      points: points.map((p, i) => {
        if (i > 0) along += Math.hypot(p.x - points[i - 1].x, p.y - points[i - 1].y);
        const wx =
          (v.wobble / 2) *
          (Math.sin((along / waves[0].length) * 2 * Math.PI + waves[0].phase) +
            Math.sin((along / waves[1].length) * 2 * Math.PI + waves[1].phase));
        const wy =
          (v.wobble / 2) *
          (Math.sin((along / waves[2].length) * 2 * Math.PI + waves[2].phase) +
            Math.sin((along / waves[3].length) * 2 * Math.PI + waves[3].phase));
        const x = (p.x + wx - c) * v.scale * v.aspect;
        const y = ((p.y + wy - c) * v.scale) / v.aspect;
        return { x: c + x * cos - y * sin + v.dx, y: c + x * sin + y * cos + v.dy };
      }),
    };
  });
}

/** One replay of the benchmark: which sketch, and its strokes. */
export interface SketchReplay {
  sketch: SketchDrawing;
  replay: number;
  strokes: PadStroke[];
}

/**
 * `replays` seeded replays of every sketch (replay r of sketch i always draws the same strokes for
 * the same seed).
 */
export function sketchReplays(sketches: readonly SketchDrawing[], replays: number, seed: number): SketchReplay[] {
  const out: SketchReplay[] = [];
  sketches.forEach((sketch, i) => {
    for (let r = 0; r < replays; r++) {
      const rng = new Rng(seed * 1_000_003 + i * 101 + r);
      out.push({ sketch, replay: r, strokes: replaySketch(sketch, randomVariation(rng), rng) });
    }
  });
  return out;
}
