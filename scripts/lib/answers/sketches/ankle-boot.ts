/** Authored sketches of class 9. */
import type { SketchDrawing } from './types.ts';

export const ANKLE_BOOT_SKETCHES: readonly SketchDrawing[] = [];
