/**
 * Development check of the engine (not part of the app): loads the data through TrainingClient,
 * trains tinyvgg on each requested backend, evaluates, predicts, and prints every message.
 * Open /src/ui/dev/engine-check.html on the dev server; run-engine-check.mjs drives it headless.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type TrainingConfig } from '../../core/config.ts';
import { TrainingClient } from '../worker/client.ts';
import type { BackendChoice, WorkerToPage } from '../worker/protocol.ts';

const params = new URLSearchParams(location.search);
const backends = (params.get('backends') ?? 'wasm,webgl').split(',') as BackendChoice[];
const mainThread = params.get('main') === '1';
const config: TrainingConfig = {
  ...DEFAULT_CONFIG,
  model: (params.get('model') as TrainingConfig['model']) ?? 'tinyvgg',
  epochs: Number(params.get('epochs') ?? 1),
  trainSize: Number(params.get('trainSize') ?? 1000),
};
const dataUrl = params.get('data') ?? new URL('/data/', location.href).href;

const out = document.getElementById('log')!;
const result: Record<string, unknown> = { mode: null, runs: [] as unknown[] };
(window as unknown as { __result: unknown }).__result = result;
function log(line: string): void {
  out.textContent += line + '\n';
  console.log(line);
}

const client = new TrainingClient({ mainThread });
result.mode = client.mode;
log(`engine runs in: ${client.mode}, crossOriginIsolated=${String(crossOriginIsolated)}`);

/** Resolves with the first message matching `pick`. */
function next<T extends WorkerToPage>(pick: (m: WorkerToPage) => m is T, timeoutMs = 300_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error('timed out waiting'))), timeoutMs);
    const off = client.subscribe((m) => {
      if (pick(m)) {
        clearTimeout(timer);
        off();
        resolve(m);
      }
    });
  });
}
const is =
  <K extends WorkerToPage['type']>(...types: K[]) =>
  (m: WorkerToPage): m is Extract<WorkerToPage, { type: K }> =>
    (types as string[]).includes(m.type);

client.subscribe((m) => {
  switch (m.type) {
    case 'data-progress':
      progressCount++;
      lastProgress = m.progress;
      return; // too many to print
    case 'data-ready': {
      const s = m.summary;
      let sum = 0;
      for (const v of s.testImages) sum += v;
      log(`progress messages=${progressCount} last=${JSON.stringify(lastProgress)}`);
      log(`data-ready train=${s.trainCount} test=${s.testCount} testPixelSum=${sum} gallery=${s.gallery.labels.join('')}`);
      return;
    }
    case 'batch':
      log(`batch e${m.progress.epoch} b${m.progress.batch}/${m.progress.batchesPerEpoch} loss=${m.progress.loss.toFixed(3)} ips=${m.progress.imagesPerSecond.toFixed(0)}`);
      return;
    case 'evaluation':
      log(`evaluation run ${m.runId} epoch ${m.epoch}: accuracy=${m.evaluation.accuracy.toFixed(4)} loss=${m.evaluation.loss.toFixed(4)}`);
      return;
    case 'predictions':
      log(`predictions ${m.requestId}: ${Array.from(m.probabilities.slice(0, 10), (p) => p.toFixed(2)).join(' ')}`);
      return;
    default:
      log(JSON.stringify(m));
  }
});

let runId = 0;
let progressCount = 0;
let lastProgress: unknown = null;
async function train(evaluateEachEpoch: boolean): Promise<Extract<WorkerToPage, { type: 'train-end' }>> {
  const id = ++runId;
  client.send({ type: 'train', runId: id, config, evaluateEachEpoch });
  return next((m): m is Extract<WorkerToPage, { type: 'train-end' }> => m.type === 'train-end' && m.runId === id);
}

async function main(): Promise<void> {
  const firstBackend = await next(is('backend'));
  result.defaultBackend = firstBackend.report;
  const t0 = performance.now();
  client.send({ type: 'load-data', baseUrl: dataUrl });
  let loaded = await next(is('data-ready', 'data-error'));
  if (loaded.type === 'data-error' && params.get('retry') === '1') {
    // The driver repairs the file, then calls __retry: Retry must fetch only what failed.
    result.dataError = loaded;
    await new Promise((resolve) => ((window as unknown as { __retry: unknown }).__retry = resolve));
    client.send({ type: 'load-data', baseUrl: dataUrl });
    loaded = await next(is('data-ready', 'data-error'));
  }
  result.loadSeconds = (performance.now() - t0) / 1000;
  log(`load took ${(result.loadSeconds as number).toFixed(1)} s`);
  if (loaded.type === 'data-error') throw new Error(loaded.message);
  const sum = loaded.summary.testImages.reduce((a, b) => a + b, 0);
  result.testPixelSum = sum;

  // Predict before any model: must answer with an error.
  client.send({ type: 'predict', requestId: 1, images: [new Uint8Array(784)] });
  await next(is('error'));

  for (const backend of backends) {
    client.send({ type: 'set-backend', backend });
    const report = (await next(is('backend'))).report;
    const tensorsBefore = mainThread ? tf.memory().numTensors : null;
    const first = train(false);
    // A second 'train' while the first runs must be refused, not start anything.
    client.send({ type: 'train', runId: 999, config, evaluateEachEpoch: false });
    if (params.get('loseContext') === '1' && backend === 'webgl' && mainThread) {
      await next(is('batch'));
      const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGLRenderingContext } }).gpgpu.gl;
      log('losing the WebGL context on purpose');
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
    const end = await first;
    client.send({ type: 'predict', requestId: 2, images: [loaded.summary.testImages.slice(0, 784), loaded.summary.testImages.slice(784, 1568)] });
    const predicted = await next(is('predictions', 'error'));
    // Train again: the first model must be disposed (tensor count flat).
    const second = await train(true);
    const tensorsAfter = mainThread ? tf.memory().numTensors : null;
    // Stop mid-run, then evaluate the partly trained model.
    const third = train(false);
    await next(is('batch'));
    client.send({ type: 'stop', runId });
    const stopped = await third;
    client.send({ type: 'evaluate', runId });
    const evalAfterStop = await next(is('evaluation', 'error'));
    const tensorsEnd = mainThread ? tf.memory().numTensors : null;
    (result.runs as unknown[]).push({
      backend: report,
      first: end,
      second,
      stopped,
      predicted: predicted.type,
      evalAfterStop: evalAfterStop.type === 'evaluation' ? evalAfterStop.evaluation.accuracy : evalAfterStop.message,
      tensors: { before: tensorsBefore, afterSecond: tensorsAfter, end: tensorsEnd },
    });
    log(`tensors before=${tensorsBefore} afterSecond=${tensorsAfter} end=${tensorsEnd}`);
  }
  result.done = true;
  log('DONE');
}

main().catch((error: Error) => {
  result.failed = error.message;
  log(`FAILED: ${error.message}`);
});
