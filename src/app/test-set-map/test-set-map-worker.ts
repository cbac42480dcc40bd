/**
 * Entry of the map worker: builds the model it is sent (on tfjs's WebAssembly backend, else `cpu`),
 * computes the features of the map's test images, then the layout, sending a frame every few
 * epochs; meanwhile it answers which test images are nearest to a picture. A newer map stops the
 * one before at its next step. Created by TestSetMapService (test-set-map-service.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { ModelCheckError } from '../../core/model-json.ts';
import { loadCheckedModel } from '../../core/model-check.ts';
import { StoppedError } from '../../core/signal.ts';
import { nearestNeighbours } from '../../core/test-set-map/nearest.ts';
import { featuresOf } from '../../core/test-set-map/features.ts';
import { NEAREST_SHOWN, startTestSetMap, TestSetMapError, type Features } from '../../core/test-set-map/test-set-map.ts';
import { activateWasm } from '../backend/wasm-setup.ts';
import type { FromMapWorker, ToMapWorker } from './test-set-map-protocol.ts';

/** The dedicated-worker scope, named by what we use (the app is compiled with DOM types, not WebWorker). */
const scope = self as unknown as {
  postMessage(message: FromMapWorker, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToMapWorker>) => void): void;
};
const reply = (message: FromMapWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

interface Job {
  id: number;
  signal: { aborted: boolean };
  /** Its model once built: disposed when the job is stopped (nothing of the job uses it after). */
  model: tf.LayersModel | null;
  probe: tf.LayersModel | null;
  features: Features | null;
  /** The latest picture asked about before the features were there. */
  waiting: Extract<ToMapWorker, { type: 'place' }> | null;
}

let current: Job | null = null;
let backend: Promise<void> | null = null;

/** WebAssembly computes the features several times faster than `cpu`; `cpu` where it does not start. */
function prepareBackend(): Promise<void> {
  backend ??= activateWasm().then(
    () => undefined,
    async () => {
      await tf.setBackend('cpu');
      await tf.ready();
    },
  );
  return backend;
}

async function place(job: Job, request: Extract<ToMapWorker, { type: 'place' }>): Promise<void> {
  if (job.signal.aborted) return;
  if (!job.probe || !job.features) {
    job.waiting = request;
    return;
  }
  const own = await featuresOf(job.probe, request.image, 1);
  const { rows, distances } = nearestNeighbours(job.features, own.values, NEAREST_SHOWN);
  if (!job.signal.aborted) reply({ type: 'placed', job: job.id, request: request.request, rows, distances });
}

async function map(message: Extract<ToMapWorker, { type: 'map' }>): Promise<void> {
  const job: Job = { id: message.job, signal: { aborted: false }, model: null, probe: null, features: null, waiting: null };
  current = job;
  try {
    await prepareBackend();
    if (job.signal.aborted) return;
    const model = await loadCheckedModel(message.data);
    if (job.signal.aborted) {
      model.dispose();
      return;
    }
    job.model = model;
    const started = await startTestSetMap(model, message.images, message.count, { signal: job.signal, epochs: message.epochs });
    job.probe = started.probe;
    job.features = started.features;
    if (job.waiting) await place(job, job.waiting);
    for await (const frame of started.frames) reply({ type: 'map-frame', job: job.id, ...frame }, [frame.positions.buffer]);
  } catch (error) {
    if (error instanceof StoppedError || job.signal.aborted) return;
    const message = error instanceof Error ? error.message : String(error);
    reply({ type: 'map-failed', job: job.id, message, refused: error instanceof ModelCheckError || error instanceof TestSetMapError });
  }
}

async function handle(message: ToMapWorker): Promise<void> {
  switch (message.type) {
    case 'map':
      stop();
      await map(message);
      return;
    case 'place':
      if (current?.id === message.job) await place(current, message);
      return;
    case 'cancel':
      if (current?.id === message.job) stop();
      return;
  }
}

/**
 * Stops the current map. Its model goes at once: the job's steps are awaiting (a read-back, a
 * yield), and each checks the signal before it touches the model again. The probe shares the
 * model's layers and is never disposed itself.
 */
function stop(): void {
  if (!current) return;
  current.signal.aborted = true;
  current.model?.dispose();
  current = null;
}

scope.addEventListener('message', (event) => void handle(event.data));
