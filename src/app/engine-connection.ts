/**
 * The shape of the page's connection to the training worker, as engine-client.ts provides it: the
 * page codes against this interface, so the real client and the development fake (`?fake=1`) are
 * interchangeable.
 */
import type { PageToWorker, WorkerToPage } from './protocol.ts';

export interface TrainingClientLike {
  send(msg: PageToWorker): void;
  /** Calls `listener` for every message from the worker; returns the unsubscribe function. */
  subscribe(listener: (msg: WorkerToPage) => void): () => void;
  /** Ends the worker; no message arrives afterwards. */
  dispose(): void;
}
