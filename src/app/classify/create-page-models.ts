/**
 * The page's PageModels, wired to the browser: one ClassificationService whose models run in the
 * classifier worker (worker-model-runtime.ts), or on the page's own tfjs (imported on first use)
 * where the page has no module workers; shipped models from public/models/, IndexedDB
 * (model-store.ts), localStorage for the choice, model files in and out (browser-model-files.ts).
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { ModelData } from '../../core/model-json.ts';
import { downloadModel, fetchModel, readModelFiles } from './browser-model-files.ts';
import { ClassificationService, type ModelRuntime } from './classification-service.ts';
import type { ModelKey } from './describe-model.ts';
import { forgetModel, storedModels, storeModel } from './model-store.ts';
import { PageModels } from './page-models.ts';
import type { ShippedKey } from './shipped-models.ts';
import { WorkerModelRuntime } from './worker-model-runtime.ts';
import { shippedFacts, type ShippedFacts } from './shipped-metrics.ts';

const CHOICE_KEY = 'fashion-mnist-playground.answering-model';

export function shippedUrl(key: ShippedKey): string {
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

/** Throws where this browser keeps nothing for the page (storage blocked, a full quota): PageModels says so. */
function writeChoice(key: ModelKey): void {
  let storage: Storage;
  try {
    storage = localStorage;
  } catch {
    // Reading localStorage itself throws where the browser blocks site data.
    throw new Error('its local storage is blocked');
  }
  try {
    storage.setItem(CHOICE_KEY, key);
  } catch (error) {
    throw new Error(`its local storage refused it: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function readShippedFacts(key: ShippedKey): Promise<ShippedFacts> {
  const response = await fetch(new URL('metrics.json', shippedUrl(key)));
  return shippedFacts(response.ok ? ((await response.json()) as unknown) : null);
}

/**
 * tfjs-model-runtime.ts on the page's main thread, imported (with tfjs) when a model is first
 * built, on the backend the training engine chose: where the page has no module workers, the
 * engine trains on this thread too.
 */
function pageTfjsRuntime(): ModelRuntime<LayersModel> {
  let lib: Promise<typeof import('./tfjs-model-runtime.ts')> | null = null;
  const load = () =>
    (lib ??= import('./tfjs-model-runtime.ts').then(async (l) => {
      await l.prepareBackend(null);
      return l;
    }));
  return {
    build: async (data, options) => (await load()).tfjsModelRuntime.build(data, options),
    predict: async (model, image) => (await load()).tfjsModelRuntime.predict(model, image),
    inspect: async (model, image, request) => (await load()).tfjsModelRuntime.inspect!(model, image, request),
    sketchAccuracy: async (model) => (await load()).tfjsModelRuntime.sketchAccuracy!(model),
    dispose: (model) => model.dispose(),
  };
}

/**
 * @param inWorker true where the page has module workers (the engine trains in one): models run
 *   in the classifier worker, on its own tfjs (`cpu`), so no answer holds up the page; false:
 *   on the page's tfjs, which the engine shares
 */
/**
 * A model's accuracy on the sketch benchmark, measured on a copy of it built in `runtime` (the
 * classifier worker, off the main thread), freed after.
 */
async function measureSketches<M>(runtime: ModelRuntime<M>, data: ModelData, flipTest: boolean): Promise<number> {
  const model = await runtime.build(data, { flipTest });
  try {
    return await runtime.sketchAccuracy!(model);
  } finally {
    runtime.dispose(model);
  }
}

export function createPageModels(inWorker: boolean): PageModels {
  const runtime: ModelRuntime<unknown> = inWorker ? new WorkerModelRuntime() : pageTfjsRuntime();
  return new PageModels({
    service: new ClassificationService(runtime),
    measureSketches: (data, flipTest) => measureSketches(runtime, data, flipTest),
    fetchShipped: (key) => fetchModel(shippedUrl(key)),
    shippedFacts: readShippedFacts,
    loadStored: storedModels,
    store: storeModel,
    forget: forgetModel,
    readChoice,
    writeChoice,
    readFiles: readModelFiles,
    download: downloadModel,
    now: () => performance.now(),
    measure: (name, start, end) => {
      // For DevTools' performance panel (and the browser tests): where an upload's time goes.
      performance.measure(name, { start, end });
    },
  });
}
