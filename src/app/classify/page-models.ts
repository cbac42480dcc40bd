/**
 * The page's models for drawings and uploads, without React: which model answers (a shipped one,
 * fetched when first needed; the last trained one; a loaded file), the choice kept in localStorage
 * and the page's own models in IndexedDB; and the dense network and CNN side by side (the latest
 * comparison's pair, else the two shipped ones). Every answer comes from one ClassificationService;
 * this turns its state into what the panel shows (usePageModels renders it).
 *
 * Browser effects (fetch, IndexedDB, localStorage, model files) are injected: create-page-models.ts
 * wires the page's, tests/page-models.test.ts passes fakes.
 */
import { ModelCheckError, type ModelData } from '../../core/model-json.ts';
import { MODEL_CATALOG, type ModelName } from '../../core/models/catalog.ts';
import type { TrainedModel } from '../protocol.ts';
import type { ClassificationService, ClassificationState, Prediction } from './classification-service.ts';
import { describeConfig, describeShipped, describeStored, type ModelKey } from './describe-model.ts';
import type { StoredModel, StoredSlot } from './stored-model.ts';

export type ShippedKey = 'default' | 'dense';
const SHIPPED: readonly ShippedKey[] = ['default', 'dense'];
const isShipped = (key: string): key is ShippedKey => key === 'default' || key === 'dense';

/** The service's keys of a comparison's pair (the shipped pair answers as 'dense' and 'default'). */
const COMPARED_KEYS = ['compared-dense', 'compared-cnn'] as const;
const SHIPPED_PAIR: readonly ShippedKey[] = ['dense', 'default'];
const PAIR_TITLES = ['Dense network', 'CNN'] as const;

export interface ModelEntry {
  key: ModelKey;
  /** What the page says when this model answers. */
  description: string;
  /** Configuration and provenance, for trained models. */
  details: string | null;
  /** Its files; null for a shipped model not fetched yet. */
  data: ModelData | null;
}

export type PanelStatus = { kind: 'loading'; message: string } | { kind: 'ready' } | { kind: 'error'; message: string };

/** The answering model's answer to the current picture (possibly the one before it, until answered). */
export interface ActiveAnswer extends Prediction {
  key: ModelKey;
  description: string;
}

/** One side of the side-by-side view. */
export interface PairMember {
  /** "Dense network" or "CNN". */
  title: string;
  /** Which model it is: "Dense baseline from your comparison", "Default CNN (ready-trained)". */
  label: string;
  probabilities: Float32Array | null;
}

export interface PageModelsState {
  entries: Partial<Record<ModelKey, ModelEntry>>;
  /** The model that answers; null until the stored models have been read. */
  active: ModelKey | null;
  status: PanelStatus;
  answer: ActiveAnswer | null;
  /** Set by Load model (what does not fit) or by the store (could not keep a model). */
  modelError: string | null;
  sideBySide: { on: boolean; fromComparison: boolean; members: PairMember[]; error: string | null };
}

/** What PageModels needs from the browser. */
export interface PageModelsDeps {
  service: Pick<ClassificationService<unknown>, 'setModel' | 'removeModel' | 'answerWith' | 'classify' | 'getState' | 'subscribe' | 'dispose'>;
  fetchShipped(key: ShippedKey): Promise<ModelData>;
  /** A shipped model's test accuracy (its metrics.json), null when unknown. */
  shippedAccuracy(key: ShippedKey): Promise<number | null>;
  loadStored(): Promise<Partial<Record<StoredSlot, StoredModel>>>;
  store(record: StoredModel): Promise<void>;
  readChoice(): ModelKey | null;
  writeChoice(key: ModelKey): void;
  /** model.json and its weights, checked for byte counts (browser-model-files.ts). */
  readFiles(files: File[]): Promise<{ name: string; data: ModelData }>;
  download(data: ModelData): void;
  /** A performance mark's clock (performance.now). */
  now(): number;
  /** Records how long an upload's answer took (performance.measure). */
  measure(name: string, start: number, end: number): void;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function storedEntry(record: StoredModel): ModelEntry {
  return { key: record.slot, description: describeStored(record), details: describeConfig(record), data: record.model };
}

/** What the page keeps of a trained model (IndexedDB's record). */
export function recordOf(trained: TrainedModel, savedAt: number): StoredModel {
  return {
    slot: 'trained',
    name: trained.config.model,
    savedAt,
    config: trained.config,
    epochs: trained.epochs,
    stopped: trained.stopped,
    trainImages: trained.trainImages,
    evaluation: trained.evaluation,
    model: trained.data,
  };
}

function shippedEntries(): Partial<Record<ModelKey, ModelEntry>> {
  return Object.fromEntries(SHIPPED.map((key) => [key, { key, description: describeShipped(key, null), details: null, data: null }]));
}

/** What the panel shows before PageModels exists (the first render). */
export function initialPageModelsState(): PageModelsState {
  return {
    entries: shippedEntries(),
    active: null,
    status: { kind: 'loading', message: 'Loading the ready-trained model…' },
    answer: null,
    modelError: null,
    sideBySide: { on: false, fromComparison: false, members: [], error: null },
  };
}

export class PageModels {
  private readonly deps: PageModelsDeps;
  private readonly service: PageModelsDeps['service'];
  private entries: Partial<Record<ModelKey, ModelEntry>> = shippedEntries();
  private active: ModelKey | null = null;
  private modelError: string | null = null;
  private backendReady = false;
  private sideBySide = false;
  /** The latest comparison's pair, by member: index 0 the dense network, 1 the CNN. */
  private pair: { runId: number; models: { name: ModelName; data: ModelData }[] } | null = null;
  private pairInput: readonly TrainedModel[] | null = null;
  private adopted: TrainedModel | null = null;
  /** A loaded file being built: the 'file' key's data until it is in or refused. */
  private loadingFile: ModelData | null = null;
  private readonly fetching = new Set<ShippedKey>();
  private fetchErrors: Partial<Record<ShippedKey, string>> = {};
  /** An upload waiting for its answer, to measure how long that took. */
  private timed: { image: Uint8Array; name: string; start: number } | null = null;
  private disposed = false;
  private readonly unsubscribe: () => void;
  private state: PageModelsState = initialPageModelsState();
  private readonly listeners = new Set<() => void>();
  /** Resolves once the stored models have been read and the answering model chosen. */
  readonly restored: Promise<void>;

  constructor(deps: PageModelsDeps) {
    this.deps = deps;
    this.service = deps.service;
    this.unsubscribe = this.service.subscribe(() => this.onAnswers());
    this.restored = this.restore();
  }

  getState = (): PageModelsState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The page's tfjs may be used from now on (its own, or the engine's once it chose a backend). */
  setBackendReady(ready: boolean): void {
    if (ready === this.backendReady) return;
    this.backendReady = ready;
    this.sync();
  }

  /** The model a Train run handed over answers from now on and is kept for next time. */
  setTrained(trained: TrainedModel | null): void {
    if (this.disposed || !trained || trained === this.adopted) return;
    // The same run again is its model with a later test score: keep it, leave the choice alone.
    const newRun = this.adopted?.runId !== trained.runId;
    const keptData = newRun ? null : this.entries.trained?.data;
    this.adopted = trained;
    const record = recordOf(trained, Date.now());
    if (keptData) record.model = keptData;
    this.entries = { ...this.entries, trained: storedEntry(record) };
    if (newRun) this.pick('trained');
    this.sync();
    this.deps.store(record).catch((error: unknown) => {
      if (this.disposed) return;
      this.modelError = `Your trained model answers now, but this browser could not keep it for next time: ${messageOf(error)}`;
      this.publish();
    });
  }

  /** The latest comparison's models (0: the dense network, 1: the CNN); a new one turns side by side on. */
  setPair(pair: readonly TrainedModel[] | null): void {
    if (this.disposed || pair === this.pairInput) return;
    this.pairInput = pair;
    if (!pair || pair.length < 2) {
      if (this.pair) {
        this.pair = null;
        for (const key of COMPARED_KEYS) this.service.removeModel(key);
      }
      this.sync();
      return;
    }
    // The same comparison again (a later score): its models stay as they are.
    if (this.pair?.runId === pair[0].runId) return;
    this.pair = { runId: pair[0].runId, models: pair.slice(0, 2).map((m) => ({ name: m.config.model, data: m.data })) };
    this.sideBySide = true;
    this.sync();
  }

  setSideBySide(on: boolean): void {
    if (on === this.sideBySide) return;
    this.sideBySide = on;
    this.sync();
  }

  /** The model that answers from now on, remembered for the next visit. */
  choose(key: ModelKey): void {
    if (this.disposed) return;
    // A shipped model that could not be fetched is tried again.
    if (isShipped(key) && this.fetchErrors[key]) {
      const rest = { ...this.fetchErrors };
      delete rest[key];
      this.fetchErrors = rest;
    }
    this.pick(key);
    this.sync();
  }

  /**
   * Classifies `image` (784 bytes) with the answering model, and side by side when that is on;
   * latest request wins, null clears. `measure` names a performance measure of the time until the
   * answering model's answer (e.g. 'upload: classify').
   */
  classify(image: Uint8Array | null, measure?: string): void {
    if (this.disposed) return;
    this.timed = image && measure ? { image, name: measure, start: this.deps.now() } : null;
    this.service.classify(image);
  }

  /** Load model: checks and builds the files' model first, so one that does not fit replaces nothing. */
  async loadFiles(files: File[]): Promise<void> {
    if (this.disposed) return;
    this.modelError = null;
    this.publish();
    try {
      const { name, data } = await this.deps.readFiles(files);
      if (this.disposed) return;
      this.loadingFile = data;
      const result = await this.service.setModel('file', data);
      if (this.loadingFile === data) this.loadingFile = null;
      if (result.kind === 'superseded' || this.disposed) return;
      if (result.kind === 'error') throw result.error;
      const record: StoredModel = {
        slot: 'file',
        name,
        savedAt: Date.now(),
        config: null,
        epochs: null,
        stopped: false,
        trainImages: null,
        evaluation: null,
        model: data,
      };
      this.entries = { ...this.entries, file: storedEntry(record) };
      this.pick('file');
      this.sync();
      this.deps.store(record).catch(() => {});
    } catch (error) {
      if (this.disposed) return;
      const what = error instanceof ModelCheckError ? error.message : `the files could not be read (${messageOf(error)})`;
      this.modelError = `This model cannot be used: ${what}.`;
      this.publish();
    }
  }

  /** Download model: the answering model's files. */
  download(): void {
    const data = this.active ? this.dataOf(this.active) : null;
    if (data) this.deps.download(data);
  }

  dismissModelError(): void {
    this.modelError = null;
    this.publish();
  }

  /** Frees every model; nothing answers after. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unsubscribe();
    this.service.dispose();
    this.listeners.clear();
  }

  private pick(key: ModelKey): void {
    this.active = key;
    this.deps.writeChoice(key);
  }

  /** Shipped models' accuracies, the stored models, then the model that answers first. */
  private async restore(): Promise<void> {
    for (const key of SHIPPED) {
      this.deps
        .shippedAccuracy(key)
        .then((accuracy) => {
          const entry = this.entries[key];
          if (this.disposed || accuracy === null || !entry) return;
          this.entries = { ...this.entries, [key]: { ...entry, description: describeShipped(key, accuracy) } };
          this.publish();
        })
        .catch(() => {});
    }
    const stored = await this.deps.loadStored().catch(() => ({}) as Partial<Record<StoredSlot, StoredModel>>);
    if (this.disposed) return;
    // A model handed over or loaded meanwhile is newer than the stored one.
    const entries = { ...this.entries };
    if (stored.trained && !entries.trained) entries.trained = storedEntry(stored.trained);
    if (stored.file && !entries.file) entries.file = storedEntry(stored.file);
    this.entries = entries;
    if (this.active === null) {
      // The page's own model takes over from the shipped one, unless the person chose otherwise.
      const choice = this.deps.readChoice();
      this.active = choice && entries[choice] ? choice : entries.trained ? 'trained' : 'default';
    }
    this.sync();
  }

  private pairKeys(): readonly string[] {
    return this.pair ? COMPARED_KEYS : SHIPPED_PAIR;
  }

  private dataOf(key: string): ModelData | null {
    const member = (COMPARED_KEYS as readonly string[]).indexOf(key);
    if (member >= 0) return this.pair?.models[member]?.data ?? null;
    if (key === 'file' && this.loadingFile) return this.loadingFile;
    return this.entries[key as ModelKey]?.data ?? null;
  }

  /** Tells the service which models answer, and builds (fetching shipped ones first) what they need. */
  private sync(): void {
    if (this.disposed) return;
    const keys: string[] = [];
    if (this.active) keys.push(this.active);
    if (this.sideBySide) keys.push(...this.pairKeys());
    this.service.answerWith(keys);
    if (this.backendReady) {
      for (const key of new Set(keys)) {
        const data = this.dataOf(key);
        if (data) void this.service.setModel(key, data);
        else if (isShipped(key)) this.fetchShipped(key);
      }
    }
    this.publish();
  }

  private fetchShipped(key: ShippedKey): void {
    if (this.fetching.has(key) || this.fetchErrors[key]) return;
    this.fetching.add(key);
    this.deps.fetchShipped(key).then(
      (data) => {
        this.fetching.delete(key);
        const entry = this.entries[key];
        if (this.disposed || !entry) return;
        this.entries = { ...this.entries, [key]: { ...entry, data } };
        this.sync();
      },
      (error: unknown) => {
        this.fetching.delete(key);
        if (this.disposed) return;
        this.fetchErrors = { ...this.fetchErrors, [key]: messageOf(error) };
        this.publish();
      },
    );
  }

  private onAnswers(): void {
    const timed = this.timed;
    if (timed && this.active) {
      const answer = this.service.getState().answers[this.active];
      if (answer?.image === timed.image) {
        this.timed = null;
        this.deps.measure(timed.name, timed.start, this.deps.now());
      }
    }
    this.publish();
  }

  /** Why `key`'s model is not there: it could not be fetched or built (null when it is, or coming). */
  private loadError(key: string, s: ClassificationState): string | null {
    if (isShipped(key) && !this.entries[key]?.data && this.fetchErrors[key]) return this.fetchErrors[key]!;
    const model = s.models[key];
    return model?.kind === 'error' ? model.message : null;
  }

  private statusOf(s: ClassificationState): PanelStatus {
    const key = this.active;
    if (key === null) return { kind: 'loading', message: 'Loading the ready-trained model…' };
    const failed = this.loadError(key, s);
    if (failed) return { kind: 'error', message: `The model could not be loaded: ${failed}` };
    if (isShipped(key) && !this.entries[key]?.data) return { kind: 'loading', message: `Loading the ${describeShipped(key, null)}…` };
    const model = s.models[key];
    if (!model || model.kind === 'building') return { kind: 'loading', message: 'Preparing the model…' };
    const answer = s.answers[key];
    if (s.image && answer && !answer.ok) return { kind: 'error', message: `The model could not classify this picture: ${answer.message}` };
    return { kind: 'ready' };
  }

  private sideBySideOf(s: ClassificationState): PageModelsState['sideBySide'] {
    const keys = this.pairKeys();
    const members = keys.map((key, i): PairMember => {
      const answer = s.answers[key];
      const name = this.pair ? this.pair.models[i].name : SHIPPED_PAIR[i];
      return {
        title: PAIR_TITLES[i],
        label: `${MODEL_CATALOG[name].title} ${this.pair ? 'from your comparison' : '(ready-trained)'}`,
        probabilities: s.image && answer?.ok ? answer.probabilities : null,
      };
    });
    let error: string | null = null;
    if (this.sideBySide) {
      const failed = keys.map((k) => this.loadError(k, s)).find((m) => m !== null);
      const wrong = keys.map((k) => s.answers[k]).find((a) => a && !a.ok);
      if (failed) error = `The side-by-side models could not be loaded: ${failed}`;
      else if (s.image && wrong && !wrong.ok) error = `The side-by-side models could not answer: ${wrong.message}`;
    }
    return { on: this.sideBySide, fromComparison: this.pair !== null, members, error };
  }

  private publish(): void {
    if (this.disposed) return;
    const s = this.service.getState();
    const key = this.active;
    const answer = key ? s.answers[key] : undefined;
    this.state = {
      entries: this.entries,
      active: key,
      status: this.statusOf(s),
      answer:
        key && s.image && answer?.ok
          ? { probabilities: answer.probabilities, ms: answer.ms, tensors: answer.tensors, key, description: this.entries[key]?.description ?? key }
          : null,
      modelError: this.modelError,
      sideBySide: this.sideBySideOf(s),
    };
    for (const listener of [...this.listeners]) listener();
  }
}
