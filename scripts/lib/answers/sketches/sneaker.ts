/** Authored sketches of class 7. */
import type { SketchDrawing } from './types.ts';

export const SNEAKER_SKETCHES: readonly SketchDrawing[] = [];
