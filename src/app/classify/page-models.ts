/**
 * The page's models for drawings and uploads, without React: which model answers (a shipped one,
 * fetched when first needed; the last trained one; a loaded file), the choice kept in localStorage
 * and the page's own models in IndexedDB; and the dense network and CNN side by side (the latest
 * comparison's pair, else the two shipped ones). Every answer comes from one ClassificationService;
 * this turns its state into what the panel shows (usePageModels renders it).
 *
 * Which model answers:
 * - The better model keeps answering. A newly trained model takes over only if its test accuracy
 *   is known and at least the answering model's (a shipped model's comes from its metrics.json);
 *   otherwise it is offered next to the bars, and the person decides.
 * - A choice by the person (the Model menu, "Use it", Load model) always wins and is remembered.
 * - A model answers only once it is there: switching to one that is still being fetched or built
 *   leaves the previous one answering meanwhile (`pending`), and if it cannot be fetched or built
 *   the previous one goes on answering and the page says why, with a Retry (`switchError`).
 * - A model whose weights hold NaN or infinity, or whose answers would cost far more than any
 *   model of the zoo, is refused wherever it comes from (Load model, the model a run hands over,
 *   one kept in IndexedDB: then it is removed, so it does not stay chosen), saying why.
 *
 * Browser effects (fetch, IndexedDB, localStorage, model files) are injected: create-page-models.ts
 * wires the page's, tests/page-models.test.ts passes fakes.
 */
import type { ModelCard } from '../../core/model-card.ts';
import { describeNonFinite, findNonFiniteWeight, ModelCheckError, type ModelData } from '../../core/model-json.ts';
import { MODEL_CATALOG, type ModelName } from '../../core/models/catalog.ts';
import { checkDeclaredWeights } from '../../core/declared-weights.ts';
import { checkPredictionCost } from '../../core/prediction-cost.ts';
import type { TrainedModel } from '../protocol.ts';
import type { InspectRequest } from '../../core/inside/inspector.ts';
import { shownModels, type ShownModel } from '../inside/shown-models.ts';
import type { ClassificationService, ClassificationState, Inspection, Prediction, SetModelResult } from './classification-service.ts';
import { describeConfig, describeShipped, describeStored, MODEL_TITLES, type ModelKey } from './describe-model.ts';
import { fileRecord, shippedCard, storedCard } from './model-cards.ts';
import type { ShippedFacts } from './shipped-metrics.ts';
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
  /** Its test accuracy, null when unknown (not evaluated, a loaded file, metrics not read). */
  accuracy: number | null;
  /** Configuration and provenance, for trained models. */
  details: string | null;
  /** Its files; null for a shipped model not fetched yet. */
  data: ModelData | null;
  /** What Download writes into its model.json about it (null: a loaded file that said nothing). */
  card: ModelCard | null;
  /** How it reads sketches and photos ("reads 87.1% of sketches …"), for a shipped model. */
  scores?: string | null;
  /** Trained with test-time flip averaging: it answers each picture averaged with its mirror. */
  flipTest?: boolean;
}

/**
 * The answering model's state: 'loading' while no model answers yet and one is coming (or one is
 * being switched to), 'ready', 'none' when no model answers (the first could not be loaded), and
 * 'error' when the answering model could not classify the picture.
 */
export type PanelStatus =
  | { kind: 'loading'; message: string }
  | { kind: 'ready' }
  | { kind: 'none'; message: string }
  | { kind: 'error'; message: string };

/** The answering model's answer to the current picture (possibly the one before it, until answered). */
export interface ActiveAnswer extends Prediction {
  key: ModelKey;
  description: string;
}

/** One side of the side-by-side view. */
export interface PairMember {
  /** "Dense network" or "CNN". */
  title: string;
  /** Which model it is: "Dense baseline from your comparison", "Playground CNN (ready-trained)". */
  label: string;
  probabilities: Float32Array | null;
}

export interface PageModelsState {
  entries: Partial<Record<ModelKey, ModelEntry>>;
  /** The model that answers (it is built); null while none does yet. */
  active: ModelKey | null;
  /** A model chosen (or taking over) that is being fetched or built; `active` answers meanwhile. */
  pending: ModelKey | null;
  status: PanelStatus;
  /** Why the last switch to a model failed (it could not be downloaded or built); Retry chooses `key` again. */
  switchError: { key: ModelKey; message: string } | null;
  /** Another model the person may switch to, shown next to the bars ("your model … is ready: use it"). */
  offer: { key: ModelKey; description: string } | null;
  answer: ActiveAnswer | null;
  /** True while the answering model has not answered the latest picture yet (`answer` may be an earlier one's). */
  waiting: boolean;
  /** Set by Load model (what does not fit) or by the store (could not keep a model, removed a bad one). */
  modelError: string | null;
  sideBySide: { on: boolean; fromComparison: boolean; members: PairMember[]; error: string | null };
  /** The models "Inside the model" shows, each with the picture it last answered. */
  inside: ShownModel[];
}

/** What PageModels needs from the browser. */
export interface PageModelsDeps {
  service: Pick<ClassificationService<unknown>, 'setModel' | 'removeModel' | 'answerWith' | 'classify' | 'inspect' | 'getState' | 'subscribe' | 'dispose'>;
  fetchShipped(key: ShippedKey): Promise<ModelData>;
  /** What a shipped model's metrics.json says: test accuracy, benchmark scores, calibration. */
  shippedFacts(key: ShippedKey): Promise<ShippedFacts>;
  loadStored(): Promise<Partial<Record<StoredSlot, StoredModel>>>;
  store(record: StoredModel): Promise<void>;
  /** Removes a kept model that can no longer answer. */
  forget(slot: StoredSlot): Promise<void>;
  readChoice(): ModelKey | null;
  /** Remembers the person's choice for the next visit; throws when this browser will not keep it. */
  writeChoice(key: ModelKey): void;
  /** model.json and its weights, checked for byte counts (browser-model-files.ts). */
  readFiles(files: File[]): Promise<{ name: string; data: ModelData; card: ModelCard | null }>;
  /** Saves the model's files, `card` in its model.json. */
  download(data: ModelData, card: ModelCard | null): void;
  /** A performance mark's clock (performance.now). */
  now(): number;
  /** Records how long an upload's answer took (performance.measure). */
  measure(name: string, start: number, end: number): void;
}

const WAITING_FOR_DATA = 'The ready-trained model comes once the training images are in, or as soon as you draw.';
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** "the ready-trained Dense baseline", "your trained model": a model's name in a sentence. */
const theModel = (key: ModelKey): string => (isShipped(key) ? `the ${MODEL_TITLES[key]}` : MODEL_TITLES[key]);
/** "The ready-trained Playground CNN (93.2% test accuracy)", "Your Dense baseline, …": an entry starting a sentence. */
const theEntry = (entry: ModelEntry): string => capitalized(isShipped(entry.key) ? `the ${entry.description}` : entry.description);

function storedEntry(record: StoredModel): ModelEntry {
  return {
    key: record.slot,
    description: describeStored(record),
    accuracy: record.evaluation?.accuracy ?? null,
    // A loaded file's layers, as its model.json says, before how it was trained.
    details: [record.slot === 'file' ? record.card?.architecture : null, describeConfig(record)].filter(Boolean).join('. ') || null,
    card: storedCard(record),
    data: record.model,
    flipTest: record.config?.flipTest === true,
  };
}

/**
 * Why a model cannot answer, or null when it can: its weights (NaN or infinity, not readable, or
 * fewer than its layers declare), or what one answer would cost (prediction-cost.ts: far more than any model of the zoo, which
 * would hold up the page at every stroke). Checked before a model is built or kept.
 */
function unusableModel(data: ModelData): string | null {
  try {
    const bad = findNonFiniteWeight(data);
    if (bad) return `its weights are not all finite numbers: ${describeNonFinite(bad)}`;
  } catch (error) {
    return `its weights cannot be read: ${messageOf(error)}`;
  }
  try {
    // A model.json that does not belong to its weights says so first: that is what is wrong with it.
    checkDeclaredWeights(data);
    checkPredictionCost(data.modelTopology);
  } catch (error) {
    return messageOf(error);
  }
  return null;
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
  return Object.fromEntries(
    SHIPPED.map((key): [ShippedKey, ModelEntry] => [key, { key, description: describeShipped(key, null), accuracy: null, details: null, data: null, card: shippedCard(key, null) }]),
  );
}

/** What the panel shows before PageModels exists (the first render). */
export function initialPageModelsState(): PageModelsState {
  return {
    entries: shippedEntries(),
    active: null,
    pending: null,
    status: { kind: 'loading', message: 'Loading the ready-trained model…' },
    switchError: null,
    offer: null,
    answer: null,
    waiting: false,
    modelError: null,
    sideBySide: { on: false, fromComparison: false, members: [], error: null },
    inside: [],
  };
}

export class PageModels {
  private readonly deps: PageModelsDeps;
  private readonly service: PageModelsDeps['service'];
  private entries: Partial<Record<ModelKey, ModelEntry>> = shippedEntries();
  /** The model that answers: set only once its model is built. */
  private active: ModelKey | null = null;
  /** The model to answer next, being fetched or built; `explicit` when the person chose it. */
  private pending: { key: ModelKey; explicit: boolean } | null = null;
  private switchError: { key: ModelKey; message: string } | null = null;
  /** True from the person's last choice until the next run hands a model over. */
  private chosenSinceHandover = false;
  private restoring = true;
  private modelError: string | null = null;
  /** True once the page has said that this browser does not keep the choice (said once a visit). */
  private choiceNotKeptSaid = false;
  private backendReady = false;
  /** True while the page's training images are still coming: ready-trained models wait, unless needed. */
  private dataLoading = false;
  /** True once answers are needed: a picture to answer, a model chosen, side by side turned on. */
  private needed = false;
  private sideBySide = false;
  /** The latest comparison's pair, by member: index 0 the dense network, 1 the CNN. */
  private pair: { runId: number; models: { name: ModelName; data: ModelData; flipTest: boolean }[] } | null = null;
  private pairInput: readonly TrainedModel[] | null = null;
  private adopted: TrainedModel | null = null;
  /** The run whose model was refused (NaN or infinite weights): its later scores are ignored too. */
  private refusedRun: number | null = null;
  /** A loaded file being built: the 'file' key's data until it is in or refused. */
  private loadingFile: ModelData | null = null;
  private readonly fetching = new Set<ShippedKey>();
  private fetchErrors: Partial<Record<ShippedKey, string>> = {};
  private readonly accuracies: Record<ShippedKey, Promise<number | null>>;
  /** An upload waiting for its answer, to measure how long that took. */
  private timed: { image: Uint8Array; name: string; start: number } | null = null;
  private disposed = false;
  private readonly unsubscribe: () => void;
  private state: PageModelsState = initialPageModelsState();
  private readonly listeners = new Set<() => void>();
  /** Resolves once the stored models have been read and the model to answer first chosen. */
  readonly restored: Promise<void>;

  constructor(deps: PageModelsDeps) {
    this.deps = deps;
    this.service = deps.service;
    this.unsubscribe = this.service.subscribe(() => this.onAnswers());
    this.accuracies = {
      default: this.readAccuracy('default'),
      dense: this.readAccuracy('dense'),
    };
    this.restored = this.restore();
  }

  getState = (): PageModelsState => this.state;

  /**
   * While the training images are coming, the ready-trained models (over a megabyte each) are not
   * fetched, so that they do not hold Train up; they are as soon as an answer is needed, or once
   * the images are in.
   */
  setDataLoading(loading: boolean): void {
    if (loading === this.dataLoading) return;
    this.dataLoading = loading;
    this.sync();
  }

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

  /**
   * The model a Train run handed over: kept for next time, and answering if it is at least as good
   * as the answering model (else offered). A later score of the same run keeps its model.
   */
  setTrained(trained: TrainedModel | null): void {
    if (this.disposed || !trained || trained === this.adopted) return;
    const newRun = this.adopted?.runId !== trained.runId;
    this.adopted = trained;
    if (!newRun && this.refusedRun === trained.runId) return;
    if (newRun) {
      const unusable = unusableModel(trained.data);
      if (unusable) {
        // A run that diverged: its model would answer NaN for every class.
        this.refusedRun = trained.runId;
        this.modelError = `Your trained model cannot answer, so it was not kept: ${unusable}.`;
        this.publish();
        return;
      }
    }
    const keptData = newRun ? null : this.entries.trained?.data;
    const record = recordOf(trained, Date.now());
    if (keptData) record.model = keptData;
    const target = this.pending?.key ?? this.active;
    // The answering model's accuracy: read before the entry is replaced (it may be the last run's).
    const bar = target === null ? null : this.accuracyOf(target);
    const entry = storedEntry(record);
    this.entries = { ...this.entries, trained: entry };
    if (newRun) {
      this.chosenSinceHandover = false;
      if (target === null || (entry.accuracy !== null && bar !== null && entry.accuracy >= bar)) this.want('trained', false);
      // The trained model that answered is replaced by a worse one: the shipped default answers.
      else if (target === 'trained') this.want('default', false);
    } else if (!this.chosenSinceHandover && target !== 'trained' && entry.accuracy !== null && bar !== null && entry.accuracy >= bar) {
      // Its score came later (Evaluate on the test set): it takes over now, unless the person chose meanwhile.
      this.want('trained', false);
    }
    this.sync();
    this.deps.store(record).catch((error: unknown) => {
      if (this.disposed) return;
      this.modelError = `Your trained model ${this.active === 'trained' ? 'answers now' : 'is ready'}, but this browser could not keep it for next time: ${messageOf(error)}`;
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
    this.pair = { runId: pair[0].runId, models: pair.slice(0, 2).map((m) => ({ name: m.config.model, data: m.data, flipTest: m.config.flipTest === true })) };
    this.sideBySide = true;
    this.sync();
  }

  setSideBySide(on: boolean): void {
    if (on === this.sideBySide) return;
    this.sideBySide = on;
    if (on) this.needed = true;
    this.sync();
  }

  /**
   * The person's choice: `key` answers once its model is there (the answering one until then), and
   * is remembered for the next visit. Choosing a model that could not be loaded tries it again.
   */
  choose(key: ModelKey): void {
    if (this.disposed || !this.entries[key]) return;
    this.needed = true;
    this.chosenSinceHandover = true;
    this.want(key, true);
    this.sync();
  }

  /** Tries again the switch that failed (the same as choosing its model again). */
  retry(): void {
    if (this.switchError) this.choose(this.switchError.key);
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
    if (image && !this.needed) {
      this.needed = true;
      this.sync();
    }
  }

  /** Load model: checks and builds the files' model first, so one that does not fit replaces nothing. */
  async loadFiles(files: File[]): Promise<void> {
    if (this.disposed) return;
    this.modelError = null;
    this.publish();
    try {
      const { name, data, card } = await this.deps.readFiles(files);
      if (this.disposed) return;
      const unusable = unusableModel(data);
      if (unusable) throw new ModelCheckError(unusable);
      this.loadingFile = data;
      const result = await this.service.setModel('file', data, { flipTest: card?.config?.flipTest === true });
      if (this.loadingFile === data) this.loadingFile = null;
      if (result.kind === 'superseded' || this.disposed) return;
      if (result.kind === 'error') throw result.error;
      // What its model.json says it is (a model Download saved): name, layers, training, score.
      const record = fileRecord(name, data, card, Date.now());
      this.entries = { ...this.entries, file: storedEntry(record) };
      this.chosenSinceHandover = true;
      this.want('file', true);
      this.sync();
      this.deps.store(record).catch((error: unknown) => {
        if (this.disposed || this.entries.file?.data !== data) return;
        this.modelError = `The model you loaded answers for this visit, but this browser could not keep it for next time: ${messageOf(error)}`;
        this.publish();
      });
    } catch (error) {
      if (this.disposed) return;
      const what = error instanceof ModelCheckError ? error.message : `the files could not be read (${messageOf(error)})`;
      this.modelError = `This model cannot be used: ${what}.`;
      this.publish();
    }
  }

  /** "Inside the model" of a shown model (by its key in `inside`) for `image`. */
  inspect(key: string, image: Uint8Array, request: InspectRequest): Promise<Inspection> {
    return this.service.inspect(key, image, request);
  }

  /** Download model: the answering model's files. */
  download(): void {
    const data = this.active ? this.dataOf(this.active) : null;
    if (data) this.deps.download(data, this.entries[this.active!]?.card ?? null);
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

  /** `key` answers once its model is there; `explicit` when the person chose it (then remembered). */
  private want(key: ModelKey, explicit: boolean): void {
    // A shipped model that could not be fetched is tried again.
    if (isShipped(key) && this.fetchErrors[key]) {
      const rest = { ...this.fetchErrors };
      delete rest[key];
      this.fetchErrors = rest;
    }
    this.switchError = null;
    if (key === this.active) {
      this.pending = null;
      if (explicit) this.remember(key);
      return;
    }
    this.pending = { key, explicit };
  }

  /**
   * Keeps the person's choice for the next visit. Where this browser will not (storage blocked,
   * private mode), the choice holds for this visit and the page says so, once.
   */
  private remember(key: ModelKey): void {
    try {
      this.deps.writeChoice(key);
    } catch (error) {
      if (this.choiceNotKeptSaid) return;
      this.choiceNotKeptSaid = true;
      this.modelError =
        `${capitalized(theModel(key))} answers for this visit, but this browser does not let the page remember ` +
        `your choice of model (${messageOf(error)}), so the next visit starts with the page's own pick again.`;
    }
  }

  /** Whether the ready-trained models wait for the training images (see setDataLoading). */
  private waitingForData(): boolean {
    return this.dataLoading && !this.needed;
  }

  private accuracyOf(key: ModelKey): number | null {
    return this.entries[key]?.accuracy ?? null;
  }

  private readAccuracy(key: ShippedKey): Promise<number | null> {
    const read = this.deps.shippedFacts(key).catch(() => null);
    void read.then((facts) => {
      const entry = this.entries[key];
      if (this.disposed || facts === null || facts.accuracy === null || !entry) return;
      const { accuracy, scores, calibration } = facts;
      this.entries = {
        ...this.entries,
        [key]: { ...entry, accuracy, scores, details: calibration, description: describeShipped(key, accuracy), card: shippedCard(key, accuracy) },
      };
      this.publish();
    });
    return read.then((facts) => facts?.accuracy ?? null);
  }

  /** The stored models (removing any that cannot answer), then the model that answers first. */
  private async restore(): Promise<void> {
    const stored = await this.deps.loadStored().catch(() => ({}) as Partial<Record<StoredSlot, StoredModel>>);
    if (this.disposed) return;
    // A model handed over or loaded meanwhile is newer than the stored one.
    const entries = { ...this.entries };
    const removed: string[] = [];
    for (const slot of ['trained', 'file'] as const) {
      const record = stored[slot];
      if (!record || entries[slot]) continue;
      const unusable = unusableModel(record.model);
      if (unusable) {
        removed.push(`${capitalized(theModel(slot))} kept in this browser cannot answer and was removed: ${unusable}.`);
        this.deps.forget(slot).catch(() => {});
        continue;
      }
      entries[slot] = storedEntry(record);
    }
    this.entries = entries;
    if (removed.length) this.modelError = removed.join(' ');
    if (this.active === null && this.pending === null) {
      const choice = this.deps.readChoice();
      let first: ModelKey = 'default';
      if (choice && entries[choice]) first = choice;
      else if (entries.trained?.accuracy != null) {
        // The page's own model answers first only if it is at least as good as the shipped one
        // (whose metrics.json, should it not come within seconds, counts as unknown).
        const shipped = await Promise.race([this.accuracies.default, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))]);
        if (this.disposed) return;
        const own = this.entries.trained?.accuracy;
        if (own != null && shipped !== null && own >= shipped) first = 'trained';
      }
      if (this.active === null && this.pending === null) this.want(first, false);
    }
    this.restoring = false;
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

  /** Whether the model of `key` was trained to answer with flip averaging (its configuration says so). */
  private flipTestOf(key: string): boolean {
    const member = (COMPARED_KEYS as readonly string[]).indexOf(key);
    if (member >= 0) return this.pair?.models[member]?.flipTest === true;
    return this.entries[key as ModelKey]?.flipTest === true;
  }

  /** Tells the service which models answer, and builds (fetching shipped ones first) what they and the pending one need. */
  private sync(): void {
    if (this.disposed) return;
    const keys: string[] = [];
    if (this.active) keys.push(this.active);
    if (this.sideBySide) keys.push(...this.pairKeys());
    this.service.answerWith(keys);
    if (this.backendReady) {
      const pending = this.pending?.key;
      for (const key of new Set(pending ? [...keys, pending] : keys)) {
        const data = this.dataOf(key);
        if (data) void this.service.setModel(key, data, { flipTest: this.flipTestOf(key) }).then((result) => this.built(key, data, result));
        else if (isShipped(key) && !this.waitingForData()) this.fetchShipped(key);
      }
    }
    this.publish();
  }

  /** A model is built (or refused): the pending one answers from now on, or its failure is said. */
  private built(key: string, data: ModelData, result: SetModelResult): void {
    const pending = this.pending;
    if (this.disposed || !pending || pending.key !== key || this.dataOf(key) !== data || result.kind === 'superseded') return;
    this.pending = null;
    if (result.kind === 'error') {
      this.switchError = { key: pending.key, message: `${capitalized(theModel(pending.key))} could not be loaded: ${result.message}` };
    } else {
      this.active = pending.key;
      if (pending.explicit) this.remember(pending.key);
    }
    this.sync();
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
        // fetch() rejects with a TypeError ("Failed to fetch") when there is no network at all.
        const offline = error instanceof TypeError;
        const message = `${theModel(key)} could not be downloaded${offline ? ' (are you offline?)' : ''}: ${messageOf(error)}`;
        this.fetchErrors = { ...this.fetchErrors, [key]: message };
        if (this.pending?.key === key) {
          this.pending = null;
          this.switchError = { key, message: capitalized(message) };
        }
        this.sync();
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
    const pending = this.pending?.key;
    if (key === null) {
      if (this.restoring) return { kind: 'loading', message: 'Loading the ready-trained model…' };
      if (pending && isShipped(pending) && this.waitingForData()) return { kind: 'loading', message: WAITING_FOR_DATA };
      if (pending) return { kind: 'loading', message: `Loading ${theModel(pending)}…` };
      return { kind: 'none', message: 'No model answers yet.' };
    }
    if (pending) return { kind: 'loading', message: `Switching to ${theModel(pending)}…` };
    const answer = s.answers[key];
    if (s.image && answer && !answer.ok) return { kind: 'error', message: `The model could not classify this picture: ${answer.message}` };
    return { kind: 'ready' };
  }

  /** The other model worth a click: the trained one when it does not answer, else the shipped default. */
  private offerOf(): PageModelsState['offer'] {
    if (this.restoring) return null;
    const busy = (key: ModelKey) => key === this.active || key === this.pending?.key;
    const trained = this.entries.trained;
    if (trained && !busy('trained')) return { key: 'trained', description: trained.description };
    const shipped = this.entries.default;
    if (this.active && shipped && !busy('default')) return { key: 'default', description: shipped.description };
    return null;
  }

  private switchErrorOf(): PageModelsState['switchError'] {
    const failed = this.switchError;
    if (!failed) return null;
    const entry = this.active ? this.entries[this.active] : undefined;
    const now = entry ? `${theEntry(entry)} keeps answering.` : 'No model answers yet.';
    return { key: failed.key, message: `${failed.message}. ${now}` };
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
      pending: this.pending?.key ?? null,
      status: this.statusOf(s),
      switchError: this.switchErrorOf(),
      offer: this.offerOf(),
      answer:
        key && s.image && answer?.ok
          ? { probabilities: answer.probabilities, ms: answer.ms, tensors: answer.tensors, key, description: this.entries[key]?.description ?? key }
          : null,
      waiting: key !== null && s.image !== null && (!answer || answer.image !== s.image),
      modelError: this.modelError,
      sideBySide: this.sideBySideOf(s),
      inside: shownModels(
        s,
        key ? { key, title: capitalized(this.entries[key]?.description ?? key) } : null,
        this.sideBySide ? this.pairKeys().map((k, i) => ({ key: k, title: PAIR_TITLES[i] })) : null,
      ),
    };
    for (const listener of [...this.listeners]) listener();
  }
}
