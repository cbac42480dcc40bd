/**
 * The card (core/model-card.ts) of each model the page can download, and a loaded file's record
 * built from the card its model.json holds: what goes out with Download comes back with Load.
 */
import type { ModelCard } from '../../core/model-card.ts';
import type { ModelData } from '../../core/model-json.ts';
import { isModelName, MODEL_CATALOG } from '../../core/models/catalog.ts';
import { modelTitle } from './describe-model.ts';
import type { StoredModel } from './stored-model.ts';

/** A ready-trained model's card: its zoo name and layers, and its test accuracy once read. */
export function shippedCard(key: 'default' | 'dense', accuracy: number | null): ModelCard {
  const info = MODEL_CATALOG[key];
  return {
    title: info.title,
    architecture: info.summary,
    parameters: info.parameters,
    config: null,
    epochs: null,
    stopped: false,
    trainImages: null,
    evaluation: accuracy === null ? null : { accuracy, epoch: null, loss: null },
  };
}

/** The card of a model the page keeps: a run's (from its record), or a loaded file's (as it came; null if it had none). */
export function storedCard(record: StoredModel): ModelCard | null {
  if (record.slot === 'file') return record.card ?? null;
  const info = isModelName(record.name) ? MODEL_CATALOG[record.name] : null;
  return {
    title: modelTitle(record.name),
    architecture: info?.summary ?? null,
    parameters: info?.parameters ?? null,
    config: record.config,
    epochs: record.epochs,
    stopped: record.stopped,
    trainImages: record.trainImages,
    evaluation: record.evaluation,
  };
}

/** What the page keeps of a loaded file: its name, and what its card says (nothing without one). */
export function fileRecord(name: string, data: ModelData, card: ModelCard | null, savedAt: number): StoredModel {
  return {
    slot: 'file',
    name,
    card,
    savedAt,
    config: card?.config ?? null,
    epochs: card?.epochs ?? null,
    stopped: card?.stopped ?? false,
    trainImages: card?.trainImages ?? null,
    evaluation: card?.evaluation ?? null,
    model: data,
  };
}
