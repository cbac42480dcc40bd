/** Authored sketches of class 8. */
import type { SketchDrawing } from './types.ts';

export const BAG_SKETCHES: readonly SketchDrawing[] = [];
