/**
 * The page's own models kept in IndexedDB (model-store.ts): the last trained one and the last
 * loaded file. What is kept of each, its entry, and reading them back at the start of a visit,
 * removing any that can no longer answer.
 */
import type { TrainedModel } from '../protocol.ts';
import { benchmarkWords } from './answering-rule.ts';
import { describeConfig, describeStored, theModel, capitalized } from './describe-model.ts';
import { storedCard } from './model-cards.ts';
import type { ModelEntry } from './page-models-state.ts';
import type { StoredModel, StoredSlot } from './stored-model.ts';
import { unusableModel } from './unusable-model.ts';

export function storedEntry(record: StoredModel): ModelEntry {
  const sketches = record.answers?.sketchAccuracy ?? null;
  return {
    key: record.slot,
    description: describeStored(record),
    accuracy: record.evaluation?.accuracy ?? null,
    // A loaded file's layers, as its model.json says, before how it was trained.
    details: [record.slot === 'file' ? record.card?.architecture : null, describeConfig(record)].filter(Boolean).join('. ') || null,
    card: storedCard(record),
    data: record.model,
    flipTest: record.config?.flipTest === true,
    sketches,
    scores: benchmarkWords({ test: null, sketches, photos: null }),
  };
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

/** What reading the kept models gave: their entries, and what the page says of those it removed. */
export interface RestoredModels {
  entries: Partial<Record<StoredSlot, ModelEntry>>;
  removed: string | null;
}

/**
 * The entries of the kept models read from the store, except for slots in `newer` (a model handed
 * over or loaded meanwhile is newer than the kept one). A kept model that cannot answer is removed
 * (`forget`), so that it does not stay chosen; the page says why.
 */
export function restoreStored(
  stored: Partial<Record<StoredSlot, StoredModel>>,
  newer: (slot: StoredSlot) => boolean,
  forget: (slot: StoredSlot) => Promise<void>,
): RestoredModels {
  const entries: RestoredModels['entries'] = {};
  const removed: string[] = [];
  for (const slot of ['trained', 'file'] as const) {
    const record = stored[slot];
    if (!record || newer(slot)) continue;
    const unusable = unusableModel(record.model);
    if (unusable) {
      removed.push(`${capitalized(theModel(slot))} kept in this browser cannot answer and was removed: ${unusable}.`);
      forget(slot).catch(() => {});
      continue;
    }
    entries[slot] = storedEntry(record);
  }
  return { entries, removed: removed.length ? removed.join(' ') : null };
}
