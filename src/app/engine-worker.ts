/**
 * Entry of the training module worker: runs the Engine here so that data decoding and training
 * never block the page. Created by TrainingClient (engine-client.ts).
 */
import { browserPlatform } from './browser-platform.ts';
import { Engine } from './engine.ts';
import type { PageToWorker, WorkerToPage } from './protocol.ts';

/** The dedicated-worker scope, named by what we use (the app is compiled with DOM types, not WebWorker). */
const scope = self as unknown as {
  postMessage(message: WorkerToPage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageToWorker>) => void): void;
};

const engine = new Engine((message, transfer = []) => scope.postMessage(message, transfer), browserPlatform);
scope.addEventListener('message', (event) => engine.handle(event.data));
