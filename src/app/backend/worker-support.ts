/**
 * Whether this browser can run the training engine in a module worker. Its own module, so the page
 * can ask without importing the client (which the page loads lazily).
 */

/** Browsers before module-worker support (Firefox < 114) throw on reading `type` here. */
function supportsModuleWorkers(): boolean {
  let supported = false;
  const probe = {
    get type(): WorkerType {
      supported = true;
      return 'module';
    },
  };
  try {
    new Worker('data:text/javascript,', probe).terminate();
  } catch {
    return false;
  }
  return supported;
}

/**
 * True where the engine runs in a worker (the page's own tfjs is then free for the classifier);
 * false where it falls back to the main thread and shares the page's tfjs.
 */
export function engineRunsInWorker(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && supportsModuleWorkers();
}

