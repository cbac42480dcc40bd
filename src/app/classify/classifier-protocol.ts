/**
 * The messages between the page and the classifier worker (classifier-worker.ts), which builds the
 * models that answer drawings and uploads and runs their predictions off the main thread, so that
 * a slow model never holds up drawing. Model data and pictures travel as transferred copies.
 */
import type { ModelData } from '../../core/model-json.ts';

/** Page → worker. `id` pairs a request with its reply; `model` names a built model. */
export type ToClassifier =
  | { type: 'build'; id: number; model: number; data: ModelData; flipTest: boolean }
  | { type: 'predict'; id: number; model: number; image: Uint8Array }
  | { type: 'dispose'; model: number };

/** Worker → page: one reply per build or predict request. */
export type FromClassifier =
  | { type: 'built'; id: number }
  | { type: 'predicted'; id: number; probabilities: Float32Array; ms: number; tensors: number }
  /** `refused`: the model does not fit (a ModelCheckError, said to the person as it is). */
  | { type: 'failed'; id: number; message: string; refused: boolean };
