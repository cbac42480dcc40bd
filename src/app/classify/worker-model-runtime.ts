/**
 * The classification service's model runtime on the classifier worker (classifier-worker.ts):
 * models are built and predictions run there, so a slow model's answer never blocks drawing on
 * the page. A model here is a handle (its number in the worker). Each request gets one reply;
 * data and pictures are sent as transferred copies (the page keeps its own).
 *
 * A worker that stops (it could not start, or it crashed) fails what was waiting with a message,
 * and the next build starts a fresh one: Retry on the page works. The ClassificationService keeps
 * the page's "latest request first" (one prediction at a time).
 */
import { ModelCheckError, type ModelData } from '../../core/model-json.ts';
import type { FromClassifier, ToClassifier } from './classifier-protocol.ts';
import type { InspectRequest } from '../../core/inside/inspector.ts';
import type { AnswerOptions, Inspection, ModelRuntime, Prediction } from './classification-service.ts';

export interface WorkerModel {
  /** Its number in the worker. */
  readonly id: number;
  /** The worker it lives in: a model outlives no worker. */
  readonly worker: Worker;
}

type Waiting = { resolve: (reply: FromClassifier) => void; reject: (error: Error) => void };

export class WorkerModelRuntime implements ModelRuntime<WorkerModel> {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private closed = false;

  async build(data: ModelData, options?: AnswerOptions): Promise<WorkerModel> {
    const worker = this.start();
    const model = { id: this.nextId++, worker };
    // A copy: the page keeps its data (to store, download, build again).
    const weightData = data.weightData.slice(0);
    await this.request(
      worker,
      (id) => ({ type: 'build', id, model: model.id, data: { ...data, weightData }, flipTest: options?.flipTest === true }),
      [weightData],
    );
    return model;
  }

  async predict(model: WorkerModel, image: Uint8Array): Promise<Prediction> {
    if (model.worker !== this.worker) throw new Error('the classifier stopped; choose the model again');
    const copy = image.slice();
    const reply = await this.request(model.worker, (id) => ({ type: 'predict', id, model: model.id, image: copy }), [copy.buffer]);
    if (reply.type !== 'predicted') throw new Error('the classifier answered out of turn');
    return { probabilities: reply.probabilities, ms: reply.ms, tensors: reply.tensors };
  }

  async inspect(model: WorkerModel, image: Uint8Array, request: InspectRequest): Promise<Inspection> {
    if (model.worker !== this.worker) throw new Error('the classifier stopped; choose the model again');
    const copy = image.slice();
    const reply = await this.request(model.worker, (id) => ({ type: 'inspect', id, model: model.id, image: copy, request }), [copy.buffer]);
    if (reply.type !== 'inspected') throw new Error('the classifier answered out of turn');
    return { ...reply.result, ms: reply.ms };
  }

  async sketchAccuracy(model: WorkerModel): Promise<number> {
    if (model.worker !== this.worker) throw new Error('the classifier stopped; choose the model again');
    const reply = await this.request(model.worker, (id) => ({ type: 'measure-sketches', id, model: model.id }), []);
    if (reply.type !== 'sketches-measured') throw new Error('the classifier answered out of turn');
    return reply.accuracy;
  }

  dispose(model: WorkerModel): void {
    if (model.worker === this.worker) this.post(model.worker, { type: 'dispose', model: model.id });
  }

  /** Ends the worker and every model in it; nothing is built or answered after. */
  close(): void {
    this.closed = true;
    this.stop(new Error('the classifier was closed'));
  }

  private start(): Worker {
    if (this.closed) throw new Error('the classifier was closed');
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./classifier-worker.ts', import.meta.url), { type: 'module', name: 'classifier' });
    worker.addEventListener('message', (event: MessageEvent<FromClassifier>) => {
      const waiting = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      waiting?.resolve(event.data);
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (worker === this.worker) this.stop(new Error(`the classifier stopped: ${event.message || 'its worker could not start'}`));
    });
    this.worker = worker;
    return worker;
  }

  /** Ends the worker; what waited for it fails with `error`. */
  private stop(error: Error): void {
    this.worker?.terminate();
    this.worker = null;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }

  private post(worker: Worker, message: ToClassifier, transfer: Transferable[] = []): void {
    worker.postMessage(message, transfer);
  }

  /** Sends the request `make(id)` and resolves with its reply; a 'failed' reply rejects (a ModelCheckError when refused). */
  private request(worker: Worker, make: (id: number) => ToClassifier, transfer: Transferable[]): Promise<FromClassifier> {
    const id = this.nextId++;
    return new Promise<FromClassifier>((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (reply) =>
          reply.type === 'failed' ? reject(reply.refused ? new ModelCheckError(reply.message) : new Error(reply.message)) : resolve(reply),
        reject,
      });
      this.post(worker, make(id), transfer);
    });
  }
}
