/** Authored sketches of class 2. */
import type { SketchDrawing } from './types.ts';

export const PULLOVER_SKETCHES: readonly SketchDrawing[] = [];
