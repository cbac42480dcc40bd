/**
 * The map of the test set for one model, from start to finish: the features of the map's test
 * images, then their layout frame by frame; and where a new picture goes on it, with its nearest
 * test images. The map worker (app/test-set-map/) runs it; so do the Node tests and the benchmark.
 */
import type * as tf from '@tensorflow/tfjs';
import { featureModel, featuresOf, type Features } from './features.ts';
import { layoutFrames, type LayoutFrame, type LayoutOptions } from './layout.ts';
import { nearestNeighbours, type Neighbours } from './nearest.ts';
import { placeAmongNeighbours } from './place.ts';

export { MAP_IMAGES, balancedSample } from './sample.ts';
export { TestSetMapError, type Features } from './features.ts';
export type { LayoutFrame, LayoutOptions } from './layout.ts';

/** Nearest test images shown for a picture. */
export const NEAREST_SHOWN = 6;

export interface TestSetMap {
  /** The model up to its last dense layer's input (shares the model's weights; never dispose it). */
  probe: tf.LayersModel;
  features: Features;
  /** The layout, frame by frame: iterate it to the end, or stop early with the signal in `options`. */
  frames: AsyncGenerator<LayoutFrame>;
}

/** Starts the map of `count` test images (784 bytes each) for `model`: features now, layout as `frames` are pulled. */
export async function startTestSetMap(
  model: tf.LayersModel,
  images: Uint8Array,
  count: number,
  options: LayoutOptions = {},
): Promise<TestSetMap> {
  const probe = featureModel(model);
  const features = await featuresOf(probe, images, count, { signal: options.signal });
  return { probe, features, frames: layoutFrames(features, options) };
}

export interface Placement {
  /** Where the picture goes, in the layout's unit square. */
  position: [number, number];
  /** Its nearest test images (rows of the map), nearest first. */
  nearest: Neighbours;
}

/** Places one picture (784 bytes) on a map laid out as `positions` (x, y per row of `features`). */
export async function placePicture(
  probe: tf.LayersModel,
  features: Features,
  positions: ArrayLike<number>,
  image: Uint8Array,
): Promise<Placement> {
  const own = await featuresOf(probe, image, 1);
  const nearest = nearestNeighbours(features, own.values, NEAREST_SHOWN);
  return { position: placeAmongNeighbours(positions, nearest), nearest };
}
