/** Authored sketches of class 0. */
import type { SketchDrawing } from './types.ts';

export const TSHIRT_SKETCHES: readonly SketchDrawing[] = [];
