/** Every authored sketch, in class order. Each class's sketches live in their own file. */
import type { SketchDrawing } from './types.ts';
import { TSHIRT_SKETCHES } from './tshirt.ts';
import { TROUSER_SKETCHES } from './trouser.ts';
import { PULLOVER_SKETCHES } from './pullover.ts';
import { DRESS_SKETCHES } from './dress.ts';
import { COAT_SKETCHES } from './coat.ts';
import { SANDAL_SKETCHES } from './sandal.ts';
import { SHIRT_SKETCHES } from './shirt.ts';
import { SNEAKER_SKETCHES } from './sneaker.ts';
import { BAG_SKETCHES } from './bag.ts';
import { ANKLE_BOOT_SKETCHES } from './ankle-boot.ts';

export type { SketchDrawing, StrokePoints } from './types.ts';

export const SKETCHES: readonly SketchDrawing[] = [
  ...TSHIRT_SKETCHES,
  ...TROUSER_SKETCHES,
  ...PULLOVER_SKETCHES,
  ...DRESS_SKETCHES,
  ...COAT_SKETCHES,
  ...SANDAL_SKETCHES,
  ...SHIRT_SKETCHES,
  ...SNEAKER_SKETCHES,
  ...BAG_SKETCHES,
  ...ANKLE_BOOT_SKETCHES,
];
