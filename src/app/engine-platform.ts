/**
 * What the engine needs from the machine it runs on, as one injectable object: loading the
 * dataset, choosing and starting a tfjs backend, and watching the WebGL context. The browser's
 * (a worker's, or the main thread's) is in browser-platform.ts; Node tests pass their own.
 */
import type { LoadedDataset, LoadOptions } from './data/load-dataset.ts';
import type { BackendChoice, BackendReport } from './protocol.ts';

export interface EnginePlatform {
  /** Streams the dataset from `baseUrl`; fails with a DatasetFileError naming a bad file. */
  loadDataset(baseUrl: string, options: LoadOptions): Promise<LoadedDataset>;
  /** Starts `choice`, or the best backend here when null (see backend/select-backend.ts). */
  selectBackend(choice: BackendChoice | null): Promise<BackendReport>;
  /** Calls `onLost` when the WebGL context in use is lost; returns the unwatch function. */
  watchContextLoss(onLost: () => void): () => void;
  /** True when the WebGL context in use has been lost. */
  contextLost(): boolean;
  /** Forgets the lost WebGL backend, so the next selection starts afresh. */
  discardWebgl(): void;
}
