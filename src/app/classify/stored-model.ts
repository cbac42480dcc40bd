/** What the page keeps about one of its own models (plain data: IndexedDB stores it as it is). */
import type { TrainingConfig } from '../../core/config.ts';
import type { ModelData } from '../../core/model-json.ts';

export type StoredSlot = 'trained' | 'file';

export interface StoredModel {
  slot: StoredSlot;
  /** For 'file': the model.json's file name. For 'trained': the zoo model's name. */
  name: string;
  savedAt: number;
  /** The run's configuration, epochs, images and latest test evaluation ('trained' only). */
  config: TrainingConfig | null;
  epochs: number | null;
  stopped: boolean;
  trainImages: number | null;
  evaluation: { epoch: number; accuracy: number; loss: number } | null;
  model: ModelData;
}
