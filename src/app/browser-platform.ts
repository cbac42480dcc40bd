/** The engine's platform in a browser (worker or main thread): fetches, tfjs backends, WebGL. */
import { discardWebgl, selectBackend, watchContextLoss, webglContextLost } from './backend/select-backend.ts';
import { loadDataset } from './data/load-dataset.ts';
import type { EnginePlatform } from './engine-platform.ts';

export const browserPlatform: EnginePlatform = {
  loadDataset,
  selectBackend,
  watchContextLoss,
  contextLost: webglContextLost,
  discardWebgl,
};
