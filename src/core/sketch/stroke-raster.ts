/**
 * The drawing pad's ink: strokes of a round brush rasterised into RGBA pixels, dark ink on light
 * paper. The pad paints its canvas from this raster and reports the same pixels to the model, and
 * the sketch benchmark replays authored strokes through it in Node, so what the benchmark measures
 * is what the pad answers: a change to how the pad inks cannot escape it.
 *
 * A segment covers a pixel by how far the pixel's centre lies inside the brush's capsule (round caps
 * and joins, one pixel of anti-aliasing), and overlapping segments take the darker coverage, so a
 * stroke's look does not depend on how finely the pointer was sampled.
 */

/** A pointer position in pad pixels (y grows downward). */
export interface PadPoint {
  x: number;
  y: number;
}

/** One stroke: the brush's diameter in pad pixels and the points the pointer passed through. */
export interface PadStroke {
  size: number;
  points: PadPoint[];
}

/** Paper and ink, as RGB: off-white and near-black, what a person sees on the pad. */
export const PAPER_RGB = [0xfb, 0xfa, 0xf5] as const;
export const INK_RGB = [0x1d, 0x1d, 0x1f] as const;

/** A pixel rectangle [x0, x1) × [y0, y1) that a call changed; empty when x1 <= x0. */
export interface DirtyRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export class StrokeRaster {
  /** Ink coverage of each pixel, 0 (paper) to 255 (full ink). */
  readonly coverage: Uint8Array;
  /** The pixels as RGBA (what a canvas's ImageData holds), kept in step with `coverage`. */
  readonly rgba: Uint8ClampedArray<ArrayBuffer>;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
      throw new RangeError(`a raster needs positive whole sizes, got ${width} × ${height}`);
    }
    this.coverage = new Uint8Array(width * height);
    this.rgba = new Uint8ClampedArray(width * height * 4);
    this.clear();
  }

  /** Blank paper. */
  clear(): void {
    this.coverage.fill(0);
    for (let p = 0; p < this.coverage.length; p++) this.setPixel(p, 0);
  }

  /** Inks every stroke from scratch (Undo, a replay). */
  drawAll(strokes: readonly PadStroke[]): void {
    this.clear();
    for (const s of strokes) this.drawStroke(s, 0);
  }

  /**
   * Inks the part of `stroke` from point `from` on (0: the whole stroke; a later index: the
   * segments added since, joined to the point before). A one-point stroke is a dot.
   * @returns the pixels that may have changed
   */
  drawStroke(stroke: PadStroke, from: number): DirtyRect {
    const pts = stroke.points;
    const r = Math.max(0.5, stroke.size / 2);
    if (pts.length === 0) return { x0: 0, y0: 0, x1: 0, y1: 0 };
    if (pts.length === 1) return this.capsule(pts[0], pts[0], r);
    const dirty: DirtyRect = { x0: this.width, y0: this.height, x1: 0, y1: 0 };
    for (let i = Math.max(1, from); i < pts.length; i++) {
      const d = this.capsule(pts[i - 1], pts[i], r);
      dirty.x0 = Math.min(dirty.x0, d.x0);
      dirty.y0 = Math.min(dirty.y0, d.y0);
      dirty.x1 = Math.max(dirty.x1, d.x1);
      dirty.y1 = Math.max(dirty.y1, d.y1);
    }
    return dirty;
  }

  /** Inks the capsule of radius r around segment a→b. */
  private capsule(a: PadPoint, b: PadPoint, r: number): DirtyRect {
    const reach = r + 1;
    const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - reach));
    const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - reach));
    const x1 = Math.min(this.width, Math.ceil(Math.max(a.x, b.x) + reach));
    const y1 = Math.min(this.height, Math.ceil(Math.max(a.y, b.y) + reach));
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    for (let y = y0; y < y1; y++) {
      const py = y + 0.5 - a.y;
      for (let x = x0; x < x1; x++) {
        const px = x + 0.5 - a.x;
        // Distance from the pixel's centre to the nearest point of the segment.
        const t = len2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / len2)) : 0;
        const ex = px - t * dx;
        const ey = py - t * dy;
        const inside = r + 0.5 - Math.sqrt(ex * ex + ey * ey);
        if (inside <= 0) continue;
        const c = inside >= 1 ? 255 : Math.round(inside * 255);
        const p = y * this.width + x;
        if (c > this.coverage[p]) {
          this.coverage[p] = c;
          this.setPixel(p, c);
        }
      }
    }
    return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
  }

  private setPixel(p: number, c: number): void {
    const i = p * 4;
    for (let k = 0; k < 3; k++) this.rgba[i + k] = PAPER_RGB[k] + Math.round(((INK_RGB[k] - PAPER_RGB[k]) * c) / 255);
    this.rgba[i + 3] = 255;
  }
}
