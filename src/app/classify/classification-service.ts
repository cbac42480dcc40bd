/**
 * The page's one classification service: it holds built models by key (the model that answers
 * drawings and uploads, the side-by-side pair) and answers the latest picture with every model it
 * is asked to answer with, one answer per model key.
 *
 * Latest request wins: at most one prediction (the picture through each asked model in turn) runs
 * and one waits, and a newer picture replaces the waiting one, so a fast drawing never queues up
 * work. A model is disposed when it is replaced or removed, or when the service is, but never while
 * a prediction is using it. Errors come back as values (a model's status, an answer), never thrown;
 * an answer whose probabilities are not all finite numbers (NaN, infinity) is an error too.
 *
 * No React, no DOM, no tfjs: the runtime that builds and runs models is injected (the classifier
 * worker's, worker-model-runtime.ts; the page's own tfjs, tfjs-model-runtime.ts, where the page
 * has no module workers; fakes in tests/classification-service.test.ts).
 */
import { CLASS_NAMES } from '../../core/classes.ts';
import type { InspectRequest } from '../../core/inside/inspector.ts';
import type { InsideResult } from '../../core/inside/look-inside.ts';
import type { ModelData } from '../../core/model-json.ts';
import { messageOf } from '../format.ts';

export interface Prediction {
  /** The ten classes' probabilities. */
  probabilities: Float32Array;
  /** Milliseconds the prediction took. */
  ms: number;
  /** Tensors alive in the runtime afterwards (flat from one prediction to the next, or it leaks). */
  tensors: number;
}

/** What "Inside the model" shows for one picture, and the milliseconds it took. */
export interface Inspection extends InsideResult {
  ms: number;
}

/** How a model answers, besides its weights: a model trained with `flipTest` averages each picture with its mirror. */
export interface AnswerOptions {
  flipTest?: boolean;
}

/** What builds, runs and frees models. */
export interface ModelRuntime<M> {
  /** Builds (and checks) a model from plain data; rejects saying what does not fit. */
  build(data: ModelData, options?: AnswerOptions): Promise<M>;
  /** The prediction for one image of 784 bytes (28×28, row-major, 0 = background). */
  predict(model: M, image: Uint8Array): Promise<Prediction>;
  /** "Inside the model" for one image: activations, why maps, weights (core/inside/look-inside.ts). */
  inspect?(model: M, image: Uint8Array, request: InspectRequest): Promise<Inspection>;
  /** The model's accuracy on the sketch benchmark (core/answers/sketch-benchmark.ts), in [0, 1]. */
  sketchAccuracy?(model: M): Promise<number>;
  dispose(model: M): void;
  /** Frees what the runtime holds besides its models (a worker); called once, when the service is disposed. */
  close?(): void;
}

/**
 * A key's model: 'building' (a model of the key may still answer until its replacement is built),
 * 'ready', or 'error' when it could not be built and no model of the key is there.
 */
export type ModelStatus = { kind: 'building' } | { kind: 'ready' } | { kind: 'error'; message: string };

/** One model's answer to one picture: its prediction, or why it has none. */
export type Answer =
  ({ key: string; image: Uint8Array; ok: true } & Prediction) | { key: string; image: Uint8Array; ok: false; message: string };

/** A snapshot: a new object after every change (for React's useSyncExternalStore). */
export interface ClassificationState {
  /** The latest picture asked about; null after a clear. */
  image: Uint8Array | null;
  /** The keys of the models that answer it. */
  answering: readonly string[];
  models: Readonly<Record<string, ModelStatus>>;
  /**
   * The latest answer of each answering key. It may be for an earlier picture than `image` while
   * the latest is being answered (a drawing's bars do not flicker); a clear removes them all.
   */
  answers: Readonly<Record<string, Answer>>;
}

/** How setModel ended: built and answering, replaced by a later call before it was, or refused. */
export type SetModelResult = { kind: 'ready' } | { kind: 'superseded' } | { kind: 'error'; error: unknown; message: string };

interface Slot<M> {
  /** The model that answers for this key, with the data it was built from. */
  current: { data: ModelData; model: M } | null;
  /** Data being built to replace it (the latest asked for), with how that ends. */
  building: { data: ModelData; options?: AnswerOptions; done: Promise<SetModelResult> } | null;
  /** Why the last build failed, while the key has no model. */
  error: string | null;
}

/** Why a prediction is not ten probabilities (NaN or infinity for some class), or null when it is. */
export function unusablePrediction(probabilities: ArrayLike<number>): string | null {
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!Number.isFinite(p)) return `it answered ${String(p)} for ${CLASS_NAMES[i] ?? `class ${i}`} instead of a probability`;
  }
  return null;
}

export class ClassificationService<M> {
  private readonly runtime: ModelRuntime<M>;
  private readonly defer: (run: () => void) => void;
  private readonly slots = new Map<string, Slot<M>>();
  private answering: string[] = [];
  private image: Uint8Array | null = null;
  private answers: Record<string, Answer> = {};
  /** The picture and model of each key's answer: a key answers again when either changes. */
  private readonly answeredWith = new Map<string, { image: Uint8Array; model: M }>();
  /** True from scheduling a prediction until no request is left. */
  private running = false;
  /** Models predicting or being looked into now, with how many uses; retired ones are disposed when their last use ends. */
  private readonly inUse = new Map<M, number>();
  private retired: M[] = [];
  private disposed = false;
  private state: ClassificationState = { image: null, answering: [], models: {}, answers: {} };
  private readonly listeners = new Set<() => void>();

  /**
   * @param runtime builds, runs and frees the models
   * @param defer starts a prediction later (default: the next macrotask), so that requests made
   *   in the same task (a render, an event) collapse into the latest
   */
  constructor(runtime: ModelRuntime<M>, defer: (run: () => void) => void = (run) => setTimeout(run, 0)) {
    this.runtime = runtime;
    this.defer = defer;
  }

  getState = (): ClassificationState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Builds `data` as the model of `key`; once built it replaces the key's model (disposed when no
   * prediction uses it) and the latest picture is answered again. The same data again is a no-op.
   * A build that fails leaves the key's model as it was.
   */
  setModel(key: string, data: ModelData, options?: AnswerOptions): Promise<SetModelResult> {
    if (this.disposed) return Promise.resolve({ kind: 'superseded' });
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { current: null, building: null, error: null };
      this.slots.set(key, slot);
    }
    if (slot.building?.data === data) return slot.building.done;
    if (slot.current?.data === data) {
      // Back to the model already there: a build under way for other data is dropped on arrival.
      if (slot.building) {
        slot.building = null;
        this.publish();
      }
      return Promise.resolve({ kind: 'ready' });
    }
    const building: Slot<M>['building'] = { data, options, done: Promise.resolve({ kind: 'superseded' }) };
    slot.building = building;
    slot.error = null;
    building.done = this.build(key, slot, building);
    this.publish();
    return building.done;
  }

  /** Removes the model of `key` (and its answer); a build under way is disposed when it ends. */
  removeModel(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    if (slot.current) this.retire(slot.current.model);
    this.answeredWith.delete(key);
    if (key in this.answers) {
      const rest = { ...this.answers };
      delete rest[key];
      this.answers = rest;
    }
    this.publish();
  }

  /** Which models answer from now on, by key (a key with no model yet answers once it is built). */
  answerWith(keys: readonly string[]): void {
    if (this.disposed) return;
    const next = [...new Set(keys)];
    if (next.length === this.answering.length && next.every((k, i) => k === this.answering[i])) return;
    this.answering = next;
    // Only asked keys' answers are shown: one asked again shows nothing until it has answered.
    this.answers = Object.fromEntries(Object.entries(this.answers).filter(([k]) => next.includes(k)));
    for (const k of [...this.answeredWith.keys()]) if (!next.includes(k)) this.answeredWith.delete(k);
    this.publish();
    this.kick();
  }

  /** Asks every answering model about `image` (784 bytes); latest request wins. null clears. */
  classify(image: Uint8Array | null): void {
    if (this.disposed) return;
    this.image = image;
    if (!image) {
      this.answers = {};
      this.answeredWith.clear();
    }
    this.publish();
    this.kick();
  }

  /**
   * "Inside the model" of `key`'s current model for `image` (784 bytes). The model is not disposed
   * while this runs. Rejects when the key has no model or its runtime cannot look inside models.
   * Callers keep their own "latest request first" (app/inside/inside-views.ts).
   */
  async inspect(key: string, image: Uint8Array, request: InspectRequest = {}): Promise<Inspection> {
    const model = this.slots.get(key)?.current?.model;
    if (this.disposed || model === undefined) throw new Error('that model is not ready');
    if (!this.runtime.inspect) throw new Error('this page cannot look inside models');
    this.use(model);
    try {
      return await this.runtime.inspect(model, image, request);
    } finally {
      this.release(model);
    }
  }

  /** Frees every model (one predicting now once it is done); the service answers nothing after. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const slot of this.slots.values()) if (slot.current) this.retire(slot.current.model);
    this.slots.clear();
    this.answeredWith.clear();
    this.answering = [];
    this.answers = {};
    this.image = null;
    this.publish();
    this.listeners.clear();
    this.runtime.close?.();
  }

  private async build(key: string, slot: Slot<M>, building: NonNullable<Slot<M>['building']>): Promise<SetModelResult> {
    const stillWanted = () => !this.disposed && this.slots.get(key) === slot && slot.building === building;
    let model: M;
    try {
      model = await this.runtime.build(building.data, building.options);
    } catch (error) {
      if (!stillWanted()) return { kind: 'superseded' };
      slot.building = null;
      const message = messageOf(error);
      if (!slot.current) slot.error = message;
      this.publish();
      return { kind: 'error', error, message };
    }
    if (!stillWanted()) {
      this.runtime.dispose(model);
      return { kind: 'superseded' };
    }
    slot.building = null;
    const old = slot.current;
    slot.current = { data: building.data, model };
    if (old) this.retire(old.model);
    this.publish();
    this.kick();
    return { kind: 'ready' };
  }

  /** Disposes a model no key holds any more: now, or when the prediction using it is done. */
  private retire(model: M): void {
    if (this.inUse.has(model)) this.retired.push(model);
    else this.runtime.dispose(model);
  }

  private use(model: M): void {
    this.inUse.set(model, (this.inUse.get(model) ?? 0) + 1);
  }

  /** Ends one use of `model`; a retired model whose last use this was is disposed. */
  private release(model: M): void {
    const uses = (this.inUse.get(model) ?? 1) - 1;
    if (uses > 0) {
      this.inUse.set(model, uses);
      return;
    }
    this.inUse.delete(model);
    const [done, waiting] = [this.retired.filter((m) => m === model), this.retired.filter((m) => m !== model)];
    this.retired = waiting;
    for (const m of done) this.runtime.dispose(m);
  }

  /** True when `key` has a model that has not answered `image` yet. */
  private needs(key: string, image: Uint8Array): boolean {
    const current = this.slots.get(key)?.current;
    if (!current) return false;
    const done = this.answeredWith.get(key);
    return !done || done.image !== image || done.model !== current.model;
  }

  private kick(): void {
    if (this.running || this.disposed) return;
    const image = this.image;
    if (!image || !this.answering.some((k) => this.needs(k, image))) return;
    this.running = true;
    this.defer(() => void this.run());
  }

  /** Answers the latest picture with every answering model that has not, until none is left. */
  private async run(): Promise<void> {
    try {
      for (;;) {
        const image = this.image;
        if (this.disposed || !image) return;
        const keys = this.answering.filter((k) => this.needs(k, image));
        if (keys.length === 0) return;
        for (const key of keys) {
          // Read at its turn: a model replaced meanwhile answers with its replacement.
          const slot = this.slots.get(key);
          if (this.disposed || !slot?.current) continue;
          const { model } = slot.current;
          this.use(model);
          let answer: Answer;
          try {
            const prediction = await this.runtime.predict(model, image);
            const unusable = unusablePrediction(prediction.probabilities);
            answer = unusable === null ? { key, image, ok: true, ...prediction } : { key, image, ok: false, message: unusable };
          } catch (error) {
            answer = { key, image, ok: false, message: messageOf(error) };
          } finally {
            this.release(model);
          }
          // A clear, a key no longer asked for or a model removed meanwhile drops the answer.
          if (this.disposed || !this.image || !this.answering.includes(key) || this.slots.get(key) !== slot) continue;
          this.answeredWith.set(key, { image, model });
          this.answers = { ...this.answers, [key]: answer };
          this.publish();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private publish(): void {
    const models: Record<string, ModelStatus> = {};
    for (const [key, slot] of this.slots) {
      models[key] = slot.building
        ? { kind: 'building' }
        : slot.current
          ? { kind: 'ready' }
          : { kind: 'error', message: slot.error ?? 'the model was not built' };
    }
    this.state = { image: this.image, answering: this.answering, models, answers: this.answers };
    for (const listener of [...this.listeners]) listener();
  }
}
