/** What the page keeps about one of its own models (plain data: IndexedDB stores it as it is). */
import type { TrainingConfig } from '../../core/config.ts';
import type { ModelCard } from '../../core/model-card.ts';
import type { ModelData } from '../../core/model-json.ts';

export type StoredSlot = 'trained' | 'file';

export interface StoredModel {
  slot: StoredSlot;
  /** For 'file': the model.json's file name. For 'trained': the zoo model's name. */
  name: string;
  /** For 'file': what its model.json says the model is (absent or null: it says nothing). */
  card?: ModelCard | null;
  savedAt: number;
  /** The run's configuration, epochs, images and latest test evaluation (a file's: as it says). */
  config: TrainingConfig | null;
  epochs: number | null;
  stopped: boolean;
  trainImages: number | null;
  evaluation: ModelCard['evaluation'];
  /** For 'trained': its accuracy on the sketch benchmark, measured on the page (absent or null: not measured). */
  answers?: { sketchAccuracy: number | null };
  model: ModelData;
}
