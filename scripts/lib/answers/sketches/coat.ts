/** Authored sketches of class 4. */
import type { SketchDrawing } from './types.ts';

export const COAT_SKETCHES: readonly SketchDrawing[] = [];
