/**
 * What the map worker does with each message, without the worker: one map at a time (a newer one
 * stops the one before at its next step, and frees its model), frames of the layout as they come,
 * and a picture's nearest test images, answered as soon as the map's features are there. The
 * worker entry (test-set-map-worker.ts) wires it to postMessage; Node tests call it directly.
 */
import type * as tf from '@tensorflow/tfjs';
import { ModelCheckError } from '../../core/model-json.ts';
import { loadCheckedModel } from '../../core/model-check.ts';
import { StoppedError } from '../../core/signal.ts';
import { featuresOf } from '../../core/test-set-map/features.ts';
import { nearestNeighbours } from '../../core/test-set-map/nearest.ts';
import { NEAREST_SHOWN, startTestSetMap, TestSetMapError, type Features } from '../../core/test-set-map/test-set-map.ts';
import type { FromMapWorker, ToMapWorker } from './test-set-map-protocol.ts';

type PlaceRequest = Extract<ToMapWorker, { type: 'place' }>;

interface Job {
  id: number;
  signal: { aborted: boolean };
  /** Its model once built: disposed when the job is stopped. */
  model: tf.LayersModel | null;
  /** The model up to its last dense layer's input: shares the model's layers, never disposed itself. */
  probe: tf.LayersModel | null;
  features: Features | null;
  /** The latest picture asked about before the features were there. */
  waiting: PlaceRequest | null;
}

export class TestSetMapJobs {
  private current: Job | null = null;

  /**
   * @param reply sends a message to the page (with what to transfer)
   * @param prepareBackend readies tfjs before the first model is built
   */
  constructor(
    private readonly reply: (message: FromMapWorker, transfer?: Transferable[]) => void,
    private readonly prepareBackend: () => Promise<void>,
  ) {}

  /** Handles one message; resolves when a map is finished or stopped, or a picture placed. */
  async handle(message: ToMapWorker): Promise<void> {
    switch (message.type) {
      case 'map':
        this.stop();
        return this.map(message);
      case 'place':
        if (this.current?.id === message.job) await this.place(this.current, message);
        return;
      case 'cancel':
        if (this.current?.id === message.job) this.stop();
        return;
    }
  }

  /**
   * Stops the current map. Its model goes at once: the job's steps are awaiting (a read-back, a
   * yield), and each checks the signal before it touches the model again.
   */
  stop(): void {
    if (!this.current) return;
    this.current.signal.aborted = true;
    this.current.model?.dispose();
    this.current = null;
  }

  private async map(message: Extract<ToMapWorker, { type: 'map' }>): Promise<void> {
    const job: Job = { id: message.job, signal: { aborted: false }, model: null, probe: null, features: null, waiting: null };
    this.current = job;
    try {
      await this.prepareBackend();
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
      if (job.waiting) await this.place(job, job.waiting);
      for await (const frame of started.frames)
        this.reply({ type: 'map-frame', job: job.id, ...frame }, [frame.positions.buffer as ArrayBuffer]);
    } catch (error) {
      if (error instanceof StoppedError || job.signal.aborted) return;
      const text = error instanceof Error ? error.message : String(error);
      this.reply({
        type: 'map-failed',
        job: job.id,
        message: text,
        refused: error instanceof ModelCheckError || error instanceof TestSetMapError,
      });
      if (this.current === job) this.stop();
    }
  }

  private async place(job: Job, request: PlaceRequest): Promise<void> {
    if (job.signal.aborted) return;
    if (!job.probe || !job.features) {
      job.waiting = request;
      return;
    }
    const own = await featuresOf(job.probe, request.image, 1);
    const { rows, distances } = nearestNeighbours(job.features, own.values, NEAREST_SHOWN);
    if (!job.signal.aborted) this.reply({ type: 'placed', job: job.id, request: request.request, rows, distances });
  }
}
