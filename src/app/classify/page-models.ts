/**
 * The page's models for drawings and uploads, without React: which model answers (a shipped one,
 * fetched when first needed; the last trained one; a loaded file), the choice kept in localStorage
 * and the page's own models in IndexedDB; and two models side by side. Every answer comes from one
 * ClassificationService; this class wires the models to it and turns its state into what the panel
 * shows (page-models-state.ts; usePageModels renders it).
 *
 * Each job has its file: which model answers (answering-rule.ts), a trained model handed over
 * (trained-handover.ts), the shipped and kept models (shipped-models.ts, stored-models.ts), the check every model passes (unusable-model.ts), the
 * side-by-side pair, the panel's words (panel-status.ts), an answer's timing (answer-timer.ts).
 *
 * Browser effects (fetch, IndexedDB, localStorage, model files) are injected (page-models-deps.ts):
 * create-page-models.ts wires the page's, tests/page-models-*.test.ts pass fakes.
 */
import type { ModelData } from '../../core/model-json.ts';
import type { TrainedModel } from '../protocol.ts';
import { firstToAnswer } from './answering-rule.ts';
import type { ClassificationState, SetModelResult } from './classification-service.ts';
import { shownModels } from '../inside/shown-models.ts';
import { capitalized, theModel, type ModelKey } from './describe-model.ts';
import { loadModelFiles } from './load-model-files.ts';
import { figuresOf, initialPageModelsState, type ModelEntry, type PageModelsState } from './page-models-state.ts';
import { panelState } from './panel-status.ts';
import { isShipped, shippedEntries, ShippedModels, withFacts, type ShippedDownload } from './shipped-models.ts';
import { RememberedChoice } from './remembered-choice.ts';
import { SideBySidePair } from './side-by-side-pair.ts';
import type { StoredModel, StoredSlot } from './stored-model.ts';
import type { PageModelsDeps } from './page-models-deps.ts';
import { restoreStored, storedEntry } from './stored-models.ts';
import { TrainedHandover } from './trained-handover.ts';
import { AnswerTimer } from './answer-timer.ts';
import { messageOf } from '../format.ts';

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
  private readonly choice: RememberedChoice;
  private backendReady = false;
  /** True while the page's training images are still coming: ready-trained models wait, unless needed. */
  private dataLoading = false;
  /** True once answers are needed: a picture to answer, a model chosen, side by side turned on. */
  private needed = false;
  private readonly sideBySide: SideBySidePair;
  /** The page's own trained model: which run's, what is kept of it, and whether it answers. */
  private readonly trained: TrainedHandover;
  /** A loaded file being built: the 'file' key's data until it is in or refused. */
  private loadingFile: ModelData | null = null;
  private readonly shipped: ShippedModels;
  /** An upload waiting for its answer, to measure how long that took. */
  private readonly timer: AnswerTimer;
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
    this.sideBySide = new SideBySidePair(
      (key) => this.service.removeModel(key),
      deps.measureSketches && { sketches: deps.measureSketches, measured: () => this.publish() },
    );
    this.choice = new RememberedChoice(deps.writeChoice);
    this.timer = new AnswerTimer(deps);
    this.shipped = new ShippedModels(deps, {
      facts: (key, facts) => {
        const entry = this.entries[key];
        if (this.disposed || !entry) return;
        this.entries = { ...this.entries, [key]: withFacts(entry, key, facts) };
        this.publish();
      },
      downloaded: (outcome) => this.downloaded(outcome),
    });
    this.trained = new TrainedHandover({
      disposed: () => this.disposed,
      entries: () => this.entries,
      setTrainedEntry: (entry) => {
        this.entries = { ...this.entries, trained: entry };
      },
      chosenSinceHandover: () => this.chosenSinceHandover,
      newRunHandedOver: () => {
        this.chosenSinceHandover = false;
      },
      target: () => this.pending?.key ?? this.active,
      answering: () => this.active,
      want: (key) => this.want(key, false),
      sync: () => this.sync(),
      tell: (message) => {
        this.modelError = message;
        this.publish();
      },
      store: deps.store,
      measureSketches: deps.measureSketches,
    });
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
   * The model a Train run handed over: kept for next time, its sketches measured (when the page
   * can), and answering if it is at least as good as the answering model on every figure both have
   * (else offered). A later score of the same run keeps its model and figures.
   */
  setTrained(trained: TrainedModel | null): void {
    if (!this.disposed && trained) this.trained.take(trained, Date.now());
  }

  /** The latest comparison's models (0: the baseline, 1: the challenger); a new one turns side by side on. */
  setPair(pair: readonly TrainedModel[] | null): void {
    if (this.disposed) return;
    if (this.sideBySide.setPair(pair)) this.sync();
  }

  setSideBySide(on: boolean): void {
    if (on === this.sideBySide.on) return;
    this.sideBySide.on = on;
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
    this.timer.request(image, measure);
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
    const loaded = await loadModelFiles(files, this.deps.readFiles, async (data, options) => {
      if (this.disposed) return { kind: 'superseded' };
      this.loadingFile = data;
      const result = await this.service.setModel('file', data, options);
      if (this.loadingFile === data) this.loadingFile = null;
      return result;
    });
    if (this.disposed || loaded.kind === 'superseded') return;
    if (loaded.kind === 'refused') {
      this.modelError = loaded.message;
      this.publish();
      return;
    }
    const { record } = loaded;
    this.entries = { ...this.entries, file: storedEntry(record) };
    this.chosenSinceHandover = true;
    this.want('file', true);
    this.sync();
    this.deps.store(record).catch((error: unknown) => {
      if (this.disposed || this.entries.file?.data !== record.model) return;
      this.modelError = `The model you loaded answers for this visit, but this browser could not keep it for next time: ${messageOf(error)}`;
      this.publish();
    });
  }

  /** "Inside the model" of a shown model (by its key in `inside`) for a picture. */
  readonly inspect: PageModelsDeps['service']['inspect'] = (key, image, request) => this.service.inspect(key, image, request);

  /** The files of a shown model (by its key in `inside`), for the map of the test set; null while it has none. */
  modelData(key: string): ModelData | null {
    return this.modelOf(key)?.data ?? null;
  }

  /** Download model: the answering model's files. */
  download(): void {
    const data = this.active ? this.modelOf(this.active)?.data : null;
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
    if (isShipped(key)) this.shipped.forgetError(key);
    this.switchError = null;
    if (key === this.active) {
      this.pending = null;
      if (explicit) this.remember(key);
      return;
    }
    this.pending = { key, explicit };
  }

  /** Keeps the person's choice for the next visit, saying so (once) where this browser will not. */
  private remember(key: ModelKey): void {
    const notKept = this.choice.remember(key);
    if (notKept) this.modelError = notKept;
  }

  /** Whether the ready-trained models wait for the training images (see setDataLoading). */
  private waitingForData(): boolean {
    return this.dataLoading && !this.needed;
  }

  /** The stored models (removing any that cannot answer), then the model that answers first. */
  private async restore(): Promise<void> {
    const stored = await this.deps.loadStored().catch(() => ({}) as Partial<Record<StoredSlot, StoredModel>>);
    if (this.disposed) return;
    // A model handed over or loaded meanwhile is newer than the stored one.
    const restored = restoreStored(stored, (slot) => this.entries[slot] !== undefined, this.deps.forget);
    const entries = { ...this.entries, ...restored.entries };
    this.entries = entries;
    if (restored.removed) this.modelError = restored.removed;
    if (this.active === null && this.pending === null) {
      const first = await firstToAnswer(this.deps.readChoice(), entries, this.shipped.figures.default, () =>
        figuresOf(this.entries.trained),
      );
      if (this.disposed) return;
      if (this.active === null && this.pending === null) this.want(first, false);
    }
    this.restoring = false;
    this.sync();
  }

  /** The model of `key` to build: its files, and whether it answers with flip averaging (its configuration says so). */
  private modelOf(key: string): { data: ModelData; flipTest: boolean } | null {
    const member = this.sideBySide.member(key);
    if (member !== undefined) return member;
    const data = key === 'file' && this.loadingFile ? this.loadingFile : this.entries[key as ModelKey]?.data;
    return data ? { data, flipTest: this.entries[key as ModelKey]?.flipTest === true } : null;
  }

  /** Tells the service which models answer, and builds (fetching shipped ones first) what they and the pending one need. */
  private sync(): void {
    if (this.disposed) return;
    const keys: string[] = [];
    if (this.active) keys.push(this.active);
    if (this.sideBySide.on) keys.push(...this.sideBySide.keys());
    this.service.answerWith(keys);
    if (this.backendReady) {
      const pending = this.pending?.key;
      for (const key of new Set(pending ? [...keys, pending] : keys)) {
        const model = this.modelOf(key);
        if (model)
          void this.service.setModel(key, model.data, { flipTest: model.flipTest }).then((result) => this.built(key, model.data, result));
        else if (isShipped(key) && !this.waitingForData()) this.shipped.start(key);
      }
    }
    this.publish();
  }

  /** A model is built (or refused): the pending one answers from now on, or its failure is said. */
  private built(key: string, data: ModelData, result: SetModelResult): void {
    const pending = this.pending;
    if (this.disposed || !pending || pending.key !== key || this.modelOf(key)?.data !== data || result.kind === 'superseded') return;
    this.pending = null;
    if (result.kind === 'error') {
      this.switchError = { key: pending.key, message: `${capitalized(theModel(pending.key))} could not be loaded: ${result.message}` };
    } else {
      this.active = pending.key;
      if (pending.explicit) this.remember(pending.key);
    }
    this.sync();
  }

  /** A shipped model's download ended: it is there to build, or the switch to it failed. */
  private downloaded(outcome: ShippedDownload): void {
    if (this.disposed) return;
    const { key } = outcome;
    if ('data' in outcome) {
      const entry = this.entries[key];
      if (!entry) return;
      this.entries = { ...this.entries, [key]: { ...entry, data: outcome.data } };
    } else if (this.pending?.key === key) {
      this.pending = null;
      this.switchError = { key, message: capitalized(outcome.error) };
    }
    this.sync();
  }

  private onAnswers(): void {
    if (this.active) this.timer.answered(this.service.getState().answers[this.active]?.image);
    this.publish();
  }

  /** Why `key`'s model is not there: it could not be fetched or built (null when it is, or coming). */
  private loadError(key: string, s: ClassificationState): string | null {
    const model = s.models[key];
    return (isShipped(key) && !this.entries[key]?.data && this.shipped.errorOf(key)) || (model?.kind === 'error' ? model.message : null);
  }

  private publish(): void {
    if (this.disposed) return;
    const s = this.service.getState();
    const facts = {
      entries: this.entries,
      active: this.active,
      pending: this.pending?.key ?? null,
      restoring: this.restoring,
      waitingForData: this.waitingForData(),
    };
    const sideBySide = this.sideBySide.state(s, (k) => this.loadError(k, s));
    const answering = this.active && { key: this.active, title: capitalized(this.entries[this.active]?.description ?? this.active) };
    this.state = {
      ...panelState(facts, s, this.switchError),
      modelError: this.modelError,
      sideBySide,
      inside: shownModels(s, answering, sideBySide, this.sideBySide.keys()),
    };
    for (const listener of [...this.listeners]) listener();
  }
}
