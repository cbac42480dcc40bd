/**
 * What PageModels (page-models.ts) needs from the browser, injected: create-page-models.ts passes
 * the page's fetch, IndexedDB, localStorage and model files; the tests pass fakes.
 */
import type { ModelCard } from '../../core/model-card.ts';
import type { ModelData } from '../../core/model-json.ts';
import type { ClassificationService } from './classification-service.ts';
import type { ModelKey } from './describe-model.ts';
import type { ShippedFacts } from './shipped-metrics.ts';
import type { ShippedKey } from './shipped-models.ts';
import type { StoredModel, StoredSlot } from './stored-model.ts';

export interface PageModelsDeps {
  service: Pick<
    ClassificationService<unknown>,
    'setModel' | 'removeModel' | 'answerWith' | 'classify' | 'inspect' | 'getState' | 'subscribe' | 'dispose'
  >;
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
  /**
   * The model's accuracy on the sketch benchmark (core/answers/sketch-benchmark.ts), measured off
   * the main thread; absent where the page does not measure it.
   */
  measureSketches?(data: ModelData, flipTest: boolean): Promise<number>;
}
