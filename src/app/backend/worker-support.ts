/**
 * Whether this browser can run the training engine in a module worker. Its own module, so the page
 * can ask without importing the client (which the page loads lazily).
 */

/**
 * Browsers before module-worker support (Firefox < 114) never read `type` from the options. The
 * probe is an empty script from a blob: URL, which a strict `worker-src 'self' blob:` allows (a
 * data: URL is refused there, with a console error at every load); it is ended and revoked at once.
 */
function supportsModuleWorkers(): boolean {
  let supported = false;
  const probe = {
    get type(): WorkerType {
      supported = true;
      return 'module';
    },
  };
  let url: string | null = null;
  try {
    url = URL.createObjectURL(new Blob([''], { type: 'text/javascript' }));
    new Worker(url, probe).terminate();
  } catch {
    return false;
  } finally {
    if (url) URL.revokeObjectURL(url);
  }
  return supported;
}

let answer: boolean | null = null;

/**
 * True where the engine runs in a worker (the page's own tfjs is then free for the classifier);
 * false where it falls back to the main thread and shares the page's tfjs. Probed once.
 */
export function engineRunsInWorker(): boolean {
  answer ??= typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && supportsModuleWorkers();
  return answer;
}
