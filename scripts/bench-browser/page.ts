/**
 * The benchmark page: gives the Node driver (scripts/bench-browser.ts) two functions on `window`.
 * benchRun starts a fresh worker for the row, relays its progress to the console (the driver
 * prints it) and resolves with the row; the worker is ended either way.
 */
import type { BenchJob, BenchPageApi, BenchRow, PageToWorker, WorkerToPage } from './protocol.ts';

function benchRun(job: BenchJob): Promise<BenchRow> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'bench' });
    const finish = (settle: () => void) => {
      worker.terminate();
      settle();
    };
    worker.addEventListener('message', (event: MessageEvent<WorkerToPage>) => {
      const message = event.data;
      switch (message.type) {
        case 'progress':
          console.log(`[bench] ${message.message}`);
          break;
        case 'result':
          finish(() => resolve(message.row));
          break;
        case 'error':
          finish(() => reject(new Error(message.message)));
          break;
      }
    });
    worker.addEventListener('error', (event) => finish(() => reject(new Error(`worker failed: ${event.message || 'no message'}`))));
    const run: PageToWorker = { type: 'run', job };
    worker.postMessage(run);
  });
}

const api: BenchPageApi = {
  benchInfo: () => ({
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
  }),
  benchRun,
};
Object.assign(window, api);
document.body.dataset.ready = 'true';
