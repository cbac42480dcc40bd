/**
 * The messages between the page and the map worker (test-set-map-worker.ts), which makes the map
 * of the test set for a model and finds a picture's nearest test images. Its own worker, not the
 * classifier's: laying out the map takes seconds, and the classifier answers one request at a time,
 * so drawings would wait for the map. Only plain data crosses; model data and pictures are copies.
 */
import type { ModelData } from '../../core/model-json.ts';

/**
 * Page → worker. `job` names one map (one model on the map's test images); a newer 'map' stops the
 * one before. 'place' asks for a picture's nearest test images on the map of `job`.
 */
export type ToMapWorker =
  | { type: 'map'; job: number; data: ModelData; images: Uint8Array; count: number; epochs?: number }
  | { type: 'place'; job: number; request: number; image: Uint8Array }
  | { type: 'cancel'; job: number };

/** Worker → page, about the map of `job`. */
export type FromMapWorker =
  /** The layout so far (x, y per image in [0, 1]², transferred); `epoch` of `epochs`. */
  | { type: 'map-frame'; job: number; positions: Float32Array; epoch: number; epochs: number }
  /** The picture of `request`'s nearest test images: rows of the map's images, nearest first. */
  | { type: 'placed'; job: number; request: number; rows: number[]; distances: number[] }
  /** `refused`: the model cannot be mapped (no dense layer for the classes, weights that do not fit). */
  | { type: 'map-failed'; job: number; message: string; refused: boolean };
