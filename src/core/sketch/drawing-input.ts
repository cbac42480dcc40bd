/**
 * A drawing on the pad as the model's input: the one function the pad's panel and the sketch
 * benchmark both call, so the benchmark measures exactly what the page answers.
 */
import { preprocessImage, type PreprocessOptions, type PreprocessResult } from '../preprocess.ts';

/**
 * How drawings are preprocessed (uploads use the defaults). Filling closed outlines at this
 * fraction of the ink's strength makes an outline read like the filled, shaded items the models
 * learned from, while the inner lines (a collar, a zip) stay brighter than the fill; measured on
 * the sketch benchmark (docs/models.md).
 */
export const DRAWING_PREPROCESS: PreprocessOptions = { fillEnclosed: 0 };

/** The 28×28 input of an RGBA drawing (`rgba` as a canvas's ImageData holds it). */
export function drawingInput(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, options: PreprocessOptions = DRAWING_PREPROCESS): PreprocessResult {
  return preprocessImage(rgba, width, height, 4, options);
}
