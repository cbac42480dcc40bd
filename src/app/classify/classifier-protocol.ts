/**
 * The messages between the page and the classifier worker (classifier-worker.ts), which builds the
 * models that answer drawings and uploads and runs their predictions off the main thread, so that
 * a slow model never holds up drawing. Model data and pictures travel as transferred copies.
 */
import type { InspectRequest } from '../../core/inside/inspector.ts';
import type { InsideResult } from '../../core/inside/look-inside.ts';
import type { ModelData } from '../../core/model-json.ts';

/** Page → worker. `id` pairs a request with its reply; `model` names a built model. */
export type ToClassifier =
  | { type: 'build'; id: number; model: number; data: ModelData; flipTest: boolean }
  | { type: 'predict'; id: number; model: number; image: Uint8Array }
  /** "Inside the model": activations, why maps and weights of a model for one picture. */
  | { type: 'inspect'; id: number; model: number; image: Uint8Array; request: InspectRequest }
  /** The model's accuracy on the sketch benchmark (a trained model's, after its run handed it over). */
  | { type: 'measure-sketches'; id: number; model: number }
  | { type: 'dispose'; model: number };

/** Worker → page: one reply per build, predict, inspect or measure request. */
export type FromClassifier =
  | { type: 'built'; id: number }
  | { type: 'predicted'; id: number; probabilities: Float32Array; ms: number; tensors: number }
  | { type: 'inspected'; id: number; result: InsideResult; ms: number }
  | { type: 'sketches-measured'; id: number; accuracy: number }
  /** `refused`: the model does not fit (a ModelCheckError, said to the person as it is). */
  | { type: 'failed'; id: number; message: string; refused: boolean };
