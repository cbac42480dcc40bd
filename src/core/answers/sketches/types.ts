/**
 * An authored sketch: strokes drawn by hand on the 280 × 280 pad (y grows downward), the way a
 * person draws that item with a mouse: outlines and the inner lines people add. Coordinates are
 * written by hand, not traced from the dataset's images.
 */
export type StrokePoints = readonly (readonly [number, number])[];

export interface SketchDrawing {
  /** What it shows, e.g. "boot, side view, laces". */
  name: string;
  /** Class index in the dataset's order (0 T-shirt/top … 9 Ankle boot). */
  label: number;
  /** Brush diameter in pad pixels (the pad offers about 8 to 32). */
  brush: number;
  strokes: readonly StrokePoints[];
}
