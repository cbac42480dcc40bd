/**
 * The page's connection to the training engine. Runs the engine in a module worker; where the
 * browser cannot (no module workers or no OffscreenCanvas, which the worker needs for WebGL and
 * for decoding the data), it runs the very same engine on the main thread. The core's training
 * loop yields to the event loop between batches, so the page stays responsive either way.
 */
import type { TrainingClientLike } from './engine-connection.ts';
import type { PageToWorker, WorkerToPage } from './protocol.ts';
import { engineRunsInWorker } from './backend/worker-support.ts';

type Listener = (message: WorkerToPage) => void;

export interface TrainingClientOptions {
  /** Forces the main-thread engine (for testing the fallback). */
  mainThread?: boolean;
}

export class TrainingClient implements TrainingClientLike {
  /** 'worker' or 'main-thread': where the engine runs. */
  readonly mode: 'worker' | 'main-thread';
  private readonly listeners = new Set<Listener>();
  private worker: Worker | null = null;
  private engine: Promise<{ handle(message: PageToWorker): void; dispose(): void }> | null = null;
  private disposed = false;

  constructor(options: TrainingClientOptions = {}) {
    const canUseWorker = !options.mainThread && engineRunsInWorker();
    this.mode = canUseWorker ? 'worker' : 'main-thread';
    if (canUseWorker) {
      this.worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'training' });
      this.worker.addEventListener('message', (event: MessageEvent<WorkerToPage>) => this.emit(event.data));
      this.worker.addEventListener('error', (event) => {
        this.emit({ type: 'error', runId: null, message: `The training worker failed: ${event.message || 'it could not start'}` });
      });
    } else {
      // Loaded only here, so the worker build keeps tfjs out of the page's own bundle.
      this.engine = Promise.all([import('./engine.ts'), import('./browser-platform.ts')]).then(
        ([{ Engine }, { browserPlatform }]) =>
          new Engine((message) => {
            // Asynchronous like a worker's message: listeners never run inside send().
            setTimeout(() => this.emit(message), 0);
          }, browserPlatform),
      );
    }
  }

  /** Sends a message to the engine. It gets a copy: the caller may go on using its arrays. */
  send(message: PageToWorker): void {
    if (this.disposed) return;
    if (this.worker) {
      this.worker.postMessage(message);
      return;
    }
    // structuredClone mirrors postMessage: the engine never shares the page's arrays.
    const copy = structuredClone(message);
    this.engine
      ?.then((engine) => engine.handle(copy))
      .catch((error: Error) => {
        this.emit({ type: 'error', runId: null, message: `The training engine could not start: ${error.message}` });
      });
  }

  /** Calls `listener` for every message from the engine; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the worker (or stops the main-thread engine); no message arrives afterwards. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.worker?.terminate();
    this.worker = null;
    this.engine?.then((engine) => engine.dispose()).catch(() => {});
    this.engine = null;
  }

  private emit(message: WorkerToPage): void {
    if (this.disposed) return;
    for (const listener of [...this.listeners]) listener(message);
  }
}

export function createTrainingClient(options?: TrainingClientOptions): TrainingClient {
  return new TrainingClient(options);
}
