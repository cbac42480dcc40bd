/** Authored sketches of class 6. */
import type { SketchDrawing } from './types.ts';

export const SHIRT_SKETCHES: readonly SketchDrawing[] = [];
