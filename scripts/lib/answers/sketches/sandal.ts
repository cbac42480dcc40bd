/** Authored sketches of class 5. */
import type { SketchDrawing } from './types.ts';

export const SANDAL_SKETCHES: readonly SketchDrawing[] = [];
