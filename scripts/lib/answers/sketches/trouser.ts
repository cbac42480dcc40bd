/** Authored sketches of class 1. */
import type { SketchDrawing } from './types.ts';

export const TROUSER_SKETCHES: readonly SketchDrawing[] = [];
