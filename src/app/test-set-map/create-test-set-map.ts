/** The page's TestSetMapService, with its map worker (test-set-map-worker.ts) started on demand. */
import { TestSetMapService, type MapWorkerLike } from './test-set-map-service.ts';

export function createTestSetMapService(): TestSetMapService {
  return new TestSetMapService(
    () =>
      new Worker(new URL('./test-set-map-worker.ts', import.meta.url), {
        type: 'module',
        name: 'test-set-map',
      }) as unknown as MapWorkerLike,
  );
}
