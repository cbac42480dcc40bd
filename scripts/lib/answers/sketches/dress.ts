/** Authored sketches of class 3. */
import type { SketchDrawing } from './types.ts';

export const DRESS_SKETCHES: readonly SketchDrawing[] = [];
