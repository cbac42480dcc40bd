/**
 * Kernel helper threads in the browser: a classic Web Worker made from the helper's script as a
 * Blob URL (src/core/kernels/threads/kernel-threads.ts). Works from a dedicated worker (where the
 * page trains) and from a page; both need cross-origin isolation for the shared memory.
 */
import type { HelperThread, SpawnHelper } from '../../core/kernels/threads/kernel-threads.ts';

export const spawnBrowserHelper: SpawnHelper = (source: string): HelperThread => {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: 'kernel-helper' });
  let revoked = false;
  const revoke = (): void => {
    if (!revoked) URL.revokeObjectURL(url);
    revoked = true;
  };
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) =>
      worker.addEventListener('message', (event) => {
        revoke(); // the script has loaded: its URL is no longer needed
        listener(event.data);
      }),
    onError: (listener) => worker.addEventListener('error', listener),
    terminate: () => {
      revoke();
      worker.terminate();
    },
  };
};
