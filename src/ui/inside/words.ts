/** Words the "Inside the model" views share. */
import { CLASS_NAMES } from '../../core/classes.ts';

/** "Convolution 1" from "convolution 1": a layer's label starting a caption. */
export const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A class's name by its index ("Ankle boot"), or "class 12" for a model with more classes. */
export const className = (c: number) => CLASS_NAMES[c] ?? `class ${c}`;
