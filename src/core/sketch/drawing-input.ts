/**
 * A drawing on the pad as the model's input: the one function the pad's panel and the sketch
 * benchmark both call, so the benchmark measures exactly what the page answers.
 */
import { preprocessImage, type PreprocessOptions, type PreprocessResult } from '../preprocess.ts';

/**
 * How drawings are preprocessed. Closed outlines are not filled (`fillEnclosed` 0): filling them
 * helped a model that never saw an outline but not one trained with outline augmentation, which
 * reads outlines as they are (measured on the sketch benchmark: docs/answers.md). The option stays
 * so the benchmark can measure it again (`--fill`).
 */
export const DRAWING_PREPROCESS: PreprocessOptions = { fillEnclosed: 0 };

/** The 28×28 input of an RGBA drawing (`rgba` as a canvas's ImageData holds it). */
export function drawingInput(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  options: PreprocessOptions = DRAWING_PREPROCESS,
): PreprocessResult {
  return preprocessImage(rgba, width, height, 4, options);
}
