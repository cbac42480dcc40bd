/**
 * The benchmark's module worker: trains where the page trains (a Web Worker), one row per worker,
 * so that every row starts from a fresh backend (empty shader cache, new WASM thread pool).
 */
import { measureJob } from './measure.ts';
import type { PageToWorker, WorkerToPage } from './protocol.ts';

/** The dedicated-worker scope, named by what we use (this file compiles with DOM types, not WebWorker). */
const scope = self as unknown as {
  postMessage(message: WorkerToPage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageToWorker>) => void): void;
};

scope.addEventListener('message', async (event) => {
  const message = event.data;
  switch (message.type) {
    case 'run': {
      const { job } = message;
      const tag = `${job.backend}${job.backend === 'wasm' ? `×${job.threads}` : ''} ${job.model} batch ${job.batch}`;
      try {
        const row = await measureJob(job, (text) => scope.postMessage({ type: 'progress', message: `${tag}: ${text}` }));
        scope.postMessage({ type: 'result', row });
      } catch (error) {
        scope.postMessage({ type: 'error', message: `${tag}: ${error instanceof Error ? error.message : String(error)}` });
      }
      break;
    }
  }
});
