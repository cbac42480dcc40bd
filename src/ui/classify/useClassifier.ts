/**
 * The page-side classifier: which model answers (the shipped ones, the last trained one, a loaded
 * file), kept across reloads in IndexedDB, and latest-wins predictions on the main thread.
 *
 * A prediction request replaces any that has not started yet, so a fast drawing never queues up
 * work: at most one runs and one waits. Each built model is kept until it is replaced or the panel
 * unmounts, then disposed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ModelCheckError, type ModelData } from '../../core/model-json.ts';
import type { TrainedModelMessage } from '../../app/protocol.ts';
import { describeConfig, describeShipped, describeStored, type ModelKey } from '../../app/classify/describe-model.ts';
import { downloadModel, fetchModel, readModelFiles } from '../../app/classify/browser-model-files.ts';
import { storedModels, storeModel, type StoredModel } from '../../app/classify/model-store.ts';

type ClassifierLib = typeof import('../../app/classify/page-tfjs.ts');
type Model = Awaited<ReturnType<ClassifierLib['buildModel']>>;

export interface ModelEntry {
  key: ModelKey;
  /** What the page says when this model answers. */
  description: string;
  /** Configuration and provenance, for trained models. */
  details: string | null;
  /** Its files; null for a shipped model not fetched yet. */
  data: ModelData | null;
}

export interface Prediction {
  probabilities: Float32Array;
  ms: number;
  /** Tensors alive in the page's tfjs after it. */
  tensors: number;
  /** The model that answered and what the page said about it then. */
  key: ModelKey;
  description: string;
}

export type ClassifierStatus = { kind: 'loading'; message: string } | { kind: 'ready' } | { kind: 'error'; message: string };

const CHOICE_KEY = 'fashion-mnist-playground.answering-model';
const SHIPPED = ['default', 'dense'] as const;

export function shippedUrl(key: 'default' | 'dense'): string {
  return new URL(`${import.meta.env.BASE_URL}models/${key}/`, window.location.href).href;
}

function readChoice(): ModelKey | null {
  try {
    const v = localStorage.getItem(CHOICE_KEY);
    return v === 'default' || v === 'dense' || v === 'trained' || v === 'file' ? v : null;
  } catch {
    return null;
  }
}

function writeChoice(key: ModelKey): void {
  try {
    localStorage.setItem(CHOICE_KEY, key);
  } catch {
    // Private mode without storage: the choice lasts for this visit.
  }
}

function storedEntry(record: StoredModel): ModelEntry {
  return { key: record.slot, description: describeStored(record), details: describeConfig(record), data: record.model };
}

function recordOf(message: TrainedModelMessage): StoredModel {
  return {
    slot: 'trained',
    name: message.config.model,
    savedAt: Date.now(),
    config: message.config,
    epochs: message.epochs,
    stopped: message.stopped,
    trainImages: message.trainImages,
    evaluation: message.evaluation,
    model: message.model,
  };
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export interface Classifier {
  entries: Partial<Record<ModelKey, ModelEntry>>;
  active: ModelKey | null;
  status: ClassifierStatus;
  prediction: Prediction | null;
  /** Set by Load model (what does not fit) or by the store (could not keep a model). */
  modelError: string | null;
  dismissModelError(): void;
  choose(key: ModelKey): void;
  /** Classifies `image` (784 bytes) with the active model, latest request wins; null clears. */
  classify(image: Uint8Array | null): void;
  loadFiles(files: File[]): Promise<void>;
  download(): void;
}

/**
 * @param trainedModel the model the latest run handed over (from the page state)
 * @param ownTfjs true when the page's tfjs is free for the classifier (the engine runs in a worker)
 * @param sharedReady where it is not, true once the engine has chosen its backend
 */
export function useClassifier(trainedModel: TrainedModelMessage | null, ownTfjs: boolean, sharedReady: boolean): Classifier {
  const [entries, setEntries] = useState<Partial<Record<ModelKey, ModelEntry>>>(() => ({
    default: { key: 'default', description: describeShipped('default', null), details: null, data: null },
    dense: { key: 'dense', description: describeShipped('dense', null), details: null, data: null },
  }));
  const [active, setActive] = useState<ModelKey | null>(null);
  const [status, setStatus] = useState<ClassifierStatus>({ kind: 'loading', message: 'Loading the ready-trained model…' });
  const [prediction, setPrediction] = useState<Prediction | null>(null);
  const [modelError, setModelError] = useState<string | null>(null);

  const lib = useRef<Promise<ClassifierLib> | null>(null);
  /** Built models by key, with the data they were built from. */
  const built = useRef(new Map<ModelKey, { data: ModelData; model: Model }>());
  const current = useRef<{ key: ModelKey; model: Model; description: string } | null>(null);
  const lastImage = useRef<Uint8Array | null>(null);
  const pending = useRef<Uint8Array | null>(null);
  const running = useRef(false);
  const entriesRef = useRef(entries);
  entriesRef.current = entries;

  const ready = ownTfjs || sharedReady;
  const getLib = useCallback((): Promise<ClassifierLib> => {
    lib.current ??= import('../../app/classify/page-tfjs.ts').then(async (l) => {
      await l.prepareBackend(ownTfjs);
      return l;
    });
    return lib.current;
  }, [ownTfjs]);

  const choose = useCallback((key: ModelKey) => {
    setActive(key);
    writeChoice(key);
  }, []);

  // Shipped models' accuracies, the stored models, then the model that answers first.
  useEffect(() => {
    let cancelled = false;
    for (const key of SHIPPED) {
      fetch(new URL('metrics.json', shippedUrl(key)))
        .then((r) => (r.ok ? r.json() : null))
        .then((m: { test?: { accuracy?: number } } | null) => {
          const accuracy = m?.test?.accuracy;
          if (cancelled || typeof accuracy !== 'number') return;
          setEntries((e) => ({ ...e, [key]: { ...e[key]!, description: describeShipped(key, accuracy) } }));
        })
        .catch(() => {});
    }
    storedModels()
      .catch(() => ({}) as Awaited<ReturnType<typeof storedModels>>)
      .then((stored) => {
        if (cancelled) return;
        const restored: Partial<Record<ModelKey, ModelEntry>> = {};
        if (stored.trained) restored.trained = storedEntry(stored.trained);
        if (stored.file) restored.file = storedEntry(stored.file);
        setEntries((e) => ({ ...e, ...restored }));
        const choice = readChoice();
        // The page's own model takes over from the shipped one, unless the person chose otherwise.
        setActive((now) => now ?? (choice && (SHIPPED.includes(choice as 'default') || restored[choice]) ? choice : restored.trained ? 'trained' : 'default'));
      });
    return () => {
      cancelled = true;
    };
  }, []);

  /** Runs the waiting request, and the next one if another arrived meanwhile. */
  const pump = useCallback(() => {
    if (running.current) return;
    running.current = true;
    setTimeout(async () => {
      try {
        while (pending.current && current.current) {
          const l = await getLib();
          if (!current.current) break;
          const image = pending.current;
          pending.current = null;
          // No await between reading the model and running it: it cannot be disposed in between.
          const { key, model, description } = current.current;
          const { probabilities, ms, tensors } = await l.predict(model, image);
          // A clear that came in meanwhile wins over this answer.
          if (lastImage.current) setPrediction({ probabilities, ms, tensors, key, description });
          setStatus((s) => (s.kind === 'error' ? { kind: 'ready' } : s));
        }
      } catch (error) {
        setStatus({ kind: 'error', message: `The model could not classify this picture: ${describeError(error)}` });
      } finally {
        running.current = false;
        if (pending.current && current.current) pump();
      }
    }, 0);
  }, [getLib]);

  // Builds the active model (fetching a shipped one first), then answers the last request with it.
  const activeData = active ? entries[active]?.data : undefined;
  useEffect(() => {
    if (!ready || active === null) return;
    let cancelled = false;
    const key = active;
    // Another model was chosen: the previous one stops answering now, not when the new one is ready.
    if (current.current && current.current.key !== key) current.current = null;
    (async () => {
      const l = await getLib();
      let data = entriesRef.current[key]?.data ?? null;
      if (!data) {
        setStatus({ kind: 'loading', message: `Loading the ${describeShipped(key as 'default', null)}…` });
        data = await fetchModel(shippedUrl(key as 'default'));
        const fetched = data;
        if (!cancelled) setEntries((e) => ({ ...e, [key]: { ...e[key]!, data: fetched } }));
        return; // the effect runs again with the data
      }
      let entry = built.current.get(key);
      if (!entry || entry.data !== data) {
        setStatus({ kind: 'loading', message: 'Preparing the model…' });
        const model = await l.buildModel(data);
        const old = built.current.get(key);
        built.current.set(key, { data, model });
        if (old && current.current?.model !== old.model) old.model.dispose();
        entry = built.current.get(key)!;
      }
      if (cancelled) return;
      const previous = current.current;
      current.current = { key, model: entry.model, description: entriesRef.current[key]?.description ?? key };
      // A replaced model of the same key that was answering until now.
      if (previous && previous.key === key && previous.model !== entry.model) previous.model.dispose();
      setStatus({ kind: 'ready' });
      if (lastImage.current) {
        pending.current = lastImage.current;
        pump();
      }
    })().catch((error: unknown) => {
      if (cancelled) return;
      setStatus({ kind: 'error', message: `The model could not be loaded: ${describeError(error)}` });
    });
    return () => {
      cancelled = true;
    };
  }, [ready, active, activeData, getLib, pump]);

  // Keep the description current (the shipped accuracy may arrive after the model).
  const activeDescription = active ? entries[active]?.description : undefined;
  useEffect(() => {
    if (current.current && current.current.key === active && activeDescription) current.current.description = activeDescription;
  }, [active, activeDescription]);

  // Free every model when the panel goes.
  useEffect(() => {
    const models = built.current;
    return () => {
      for (const { model } of models.values()) model.dispose();
      models.clear();
      current.current = null;
    };
  }, []);

  const classify = useCallback(
    (image: Uint8Array | null) => {
      lastImage.current = image;
      pending.current = image;
      if (!image) {
        setPrediction(null);
        return;
      }
      pump();
    },
    [pump],
  );

  // A run ended: its model answers from now on and is kept for next time (with its score, when it
  // is evaluated later).
  const adopted = useRef<TrainedModelMessage | null>(null);
  useEffect(() => {
    if (!trainedModel || adopted.current === trainedModel) return;
    // The same run again is its model with a later test score: keep it, leave the choice alone.
    const newRun = adopted.current?.runId !== trainedModel.runId;
    adopted.current = trainedModel;
    const record = recordOf(trainedModel);
    setEntries((e) => ({ ...e, trained: storedEntry(record) }));
    if (newRun) choose('trained');
    storeModel(record).catch((error: unknown) => {
      setModelError(`Your trained model answers now, but this browser could not keep it for next time: ${describeError(error)}`);
    });
  }, [trainedModel, choose]);

  const loadFiles = useCallback(
    async (files: File[]) => {
      setModelError(null);
      try {
        const { name, data } = await readModelFiles(files);
        // Built here first, so a model that does not fit is refused before it replaces anything.
        const l = await getLib();
        const model = await l.buildModel(data);
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
        const old = built.current.get('file');
        built.current.set('file', { data, model });
        if (old && current.current?.model !== old.model) old.model.dispose();
        setEntries((e) => ({ ...e, file: storedEntry(record) }));
        choose('file');
        storeModel(record).catch(() => {});
      } catch (error) {
        const what = error instanceof ModelCheckError ? error.message : `the files could not be read (${describeError(error)})`;
        setModelError(`This model cannot be used: ${what}.`);
      }
    },
    [getLib, choose],
  );

  const download = useCallback(() => {
    const data = active ? entriesRef.current[active]?.data : null;
    if (data) downloadModel(data);
  }, [active]);

  return {
    entries,
    active,
    status,
    prediction,
    modelError,
    dismissModelError: () => setModelError(null),
    choose,
    classify,
    loadFiles,
    download,
  };
}
