/**
 * The sketch benchmark as one function of a model: the authored sketches (sketches/), each replayed
 * with seeded variation (sketch-replay.ts), inked by the pad's raster and preprocessed as the pad
 * preprocesses a drawing, then answered by the model. `npm run bench:answers` and the page (after a
 * run hands its model over, in the classifier worker) both score models with it, so a trained
 * model's figure compares with the ready-trained models' figures in their metrics.json.
 */
import type * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../classes.ts';
import { accuracy, argmaxRows } from '../metrics.ts';
import type { PreprocessOptions } from '../preprocess.ts';
import { DRAWING_PREPROCESS, drawingInput } from '../sketch/drawing-input.ts';
import { StrokeRaster } from '../sketch/stroke-raster.ts';
import { predictPixels } from '../training/predict.ts';
import { yieldToEventLoop } from '../yield.ts';
import { PAD, sketchReplays, type SketchReplay } from './sketch-replay.ts';
import { SKETCHES } from './sketches/index.ts';

/** Which drawings the benchmark answers: every sketch `replays` times, the replays fixed by `seed`. */
export interface SketchBenchmarkOptions {
  replays: number;
  seed: number;
  /** How drawings are preprocessed (the pad's by default). */
  preprocess?: PreprocessOptions;
}

/** The benchmark's standard run: the figures recorded in the ready-trained models' metrics.json. */
export const SKETCH_BENCHMARK: SketchBenchmarkOptions = { replays: 3, seed: 1 };

/** The benchmark's drawings as model inputs: 784 floats in [0, 1] per replay, and their classes. */
export interface SketchInputs {
  replays: SketchReplay[];
  /** Row-major [count × 784]. */
  pixels: Float32Array;
  labels: Int32Array;
  count: number;
}

/** Drawings inked between two yields: the page's worker answers the pad's drawings in between. */
const INK_BATCH = 16;

/**
 * Inks and preprocesses every replay, as the pad does with a drawing (seconds for the standard
 * run), letting the event loop run every few drawings.
 */
export async function sketchInputs(options: SketchBenchmarkOptions = SKETCH_BENCHMARK): Promise<SketchInputs> {
  if (SKETCHES.length === 0) throw new Error('the sketch benchmark has no sketches');
  const raster = new StrokeRaster(PAD, PAD);
  const replays = sketchReplays(SKETCHES, options.replays, options.seed);
  const pixels = new Float32Array(replays.length * IMAGE_PIXELS);
  for (let i = 0; i < replays.length; i++) {
    if (i > 0 && i % INK_BATCH === 0) await yieldToEventLoop();
    raster.drawAll(replays[i].strokes);
    const input = drawingInput(raster.rgba, PAD, PAD, options.preprocess ?? DRAWING_PREPROCESS).image;
    for (let p = 0; p < IMAGE_PIXELS; p++) pixels[i * IMAGE_PIXELS + p] = input[p] / 255;
  }
  return { replays, pixels, labels: Int32Array.from(replays, (r) => r.sketch.label), count: replays.length };
}

/**
 * The fraction of the benchmark's drawings `model` answers right (in [0, 1]), answering as it
 * answers on the page (`flipTest`: averaged with each drawing's mirror).
 */
export async function sketchAccuracy(model: tf.LayersModel, inputs: SketchInputs, options: { flipTest?: boolean } = {}): Promise<number> {
  const probs = await predictPixels(model, inputs.pixels, inputs.count, { flipTest: options.flipTest === true });
  return accuracy(inputs.labels, argmaxRows(probs).predicted);
}
