/**
 * PageModels (src/app/classify/page-models.ts) with fake browser effects and fake models, for the
 * tests/page-models-*.test.ts files: a fresh PageModels and what it did (fetched, stored, forgot,
 * remembered, measured, downloaded), and the models they hand it.
 */
import { expect, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.ts';
import { ModelCheckError, type ModelData } from '../../src/core/model-json.ts';
import type { ModelCard } from '../../src/core/model-card.ts';
import type { ModelName } from '../../src/core/models/catalog.ts';
import type { TrainedModel } from '../../src/app/protocol.ts';
import { ClassificationService } from '../../src/app/classify/classification-service.ts';
import type { ModelKey } from '../../src/app/classify/describe-model.ts';
import { PageModels } from '../../src/app/classify/page-models.ts';
import type { PageModelsDeps } from '../../src/app/classify/page-models-deps.ts';
import type { StoredModel } from '../../src/app/classify/stored-model.ts';
import { fakeData, FakeRuntime } from './fake-model-runtime.ts';

export function trainedModel(runId: number, model: ModelName, accuracy: number | null, member = 0): TrainedModel {
  return {
    runId,
    member,
    config: { ...DEFAULT_CONFIG, model, epochs: 1, trainSize: 600 },
    epochs: 1,
    stopped: false,
    trainImages: 540,
    evaluation: accuracy === null ? null : { epoch: 1, accuracy, loss: 0.5 },
    data: fakeData(`run-${runId}-${model}`),
  };
}

export interface SetUpOptions {
  stored?: Partial<Record<'trained' | 'file', StoredModel>>;
  choice?: ModelKey | null;
  fetchShipped?: PageModelsDeps['fetchShipped'];
  store?: PageModelsDeps['store'];
  writeChoice?: PageModelsDeps['writeChoice'];
  /** The shipped models' benchmark figures (default: none recorded). */
  shippedFigures?: { sketches: number | null; photos: number | null };
  /** The page's sketch measurement (default: none, as where the page does not measure). */
  measureSketches?: PageModelsDeps['measureSketches'];
}

/**
 * A model.json cheap to load but costly to run: the 28×28 input enlarged 100 times, one 3×3
 * filter, global average pooling, Dense(10) (94 million operations an answer).
 */
export function costlyData(): ModelData {
  const layers = [
    { class_name: 'UpSampling2D', config: { name: 'up', size: [100, 100], batch_input_shape: [null, 28, 28, 1] } },
    {
      class_name: 'Conv2D',
      config: { name: 'conv', filters: 1, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', dilation_rate: [1, 1] },
    },
    { class_name: 'GlobalAveragePooling2D', config: { name: 'pool' } },
    { class_name: 'Dense', config: { name: 'out', units: 10, activation: 'softmax' } },
  ];
  const weightSpecs = [
    { name: 'conv/kernel', shape: [3, 3, 1, 1], dtype: 'float32' as const },
    { name: 'conv/bias', shape: [1], dtype: 'float32' as const },
    { name: 'out/kernel', shape: [1, 10], dtype: 'float32' as const },
    { name: 'out/bias', shape: [10], dtype: 'float32' as const },
  ];
  return { modelTopology: { class_name: 'Sequential', config: { layers } }, weightSpecs, weightData: new Float32Array(30).buffer };
}

/** Model data whose second weight is NaN: a run that diverged. */
export function nanData(name: string): ModelData {
  return {
    modelTopology: { name },
    weightSpecs: [{ name: 'dense/kernel', shape: [3], dtype: 'float32' }],
    weightData: Float32Array.of(1, NaN, 2).buffer,
  };
}

export function setUp(options: SetUpOptions = {}) {
  const runtime = new FakeRuntime();
  runtime.autoFinish = true;
  const fetched: string[] = [];
  const stored: StoredModel[] = [];
  const forgotten: string[] = [];
  const choices: ModelKey[] = [];
  const measures: string[] = [];
  const downloads: ModelData[] = [];
  const cards: (ModelCard | null)[] = [];
  /** The card each file name's model.json holds: what the last download wrote, for 'downloaded.json'. */
  const cardOf = (name: string) => (name === 'downloaded.json' ? (cards.at(-1) ?? null) : null);
  let clock = 0;
  const deps: PageModelsDeps = {
    service: new ClassificationService(runtime),
    fetchShipped: async (key) => {
      if (options.fetchShipped) return options.fetchShipped(key);
      fetched.push(key);
      return fakeData(`shipped-${key}`);
    },
    shippedFacts: async (key) => ({
      accuracy: key === 'default' ? 0.9211 : 0.8675,
      sketches: options.shippedFigures?.sketches ?? null,
      photos: options.shippedFigures?.photos ?? null,
      scores: null,
      calibration: null,
    }),
    loadStored: async () => options.stored ?? {},
    store: async (record) => {
      if (options.store) return options.store(record);
      stored.push(record);
    },
    forget: async (slot) => {
      forgotten.push(slot);
    },
    readChoice: () => options.choice ?? null,
    writeChoice: (key) => {
      options.writeChoice?.(key);
      choices.push(key);
    },
    readFiles: async (files) => {
      const name = files[0].name;
      if (name === 'package.json') throw new ModelCheckError('package.json is not a Keras/tfjs layers model');
      if (name.startsWith('nan')) return { name, data: nanData(name), card: null };
      if (name.startsWith('costly')) return { name, data: costlyData(), card: null };
      return { name, data: fakeData(name.replace('.json', '')), card: cardOf(name) };
    },
    download: (data, card) => {
      downloads.push(data);
      cards.push(card);
    },
    now: () => (clock += 5),
    measure: (name, start, end) => measures.push(`${name}: ${end - start}`),
    measureSketches: options.measureSketches,
  };
  const models = new PageModels(deps);
  return { runtime, models, fetched, stored, forgotten, choices, measures, downloads, cards };
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Restored, the backend ready, and the shipped default answering. */
export async function ready(options: SetUpOptions = {}) {
  const set = setUp(options);
  await set.models.restored;
  set.models.setBackendReady(true);
  await vi.waitFor(() => expect(set.models.getState().status).toEqual({ kind: 'ready' }));
  return set;
}
