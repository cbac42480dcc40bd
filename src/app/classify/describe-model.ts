/** What the page says about a model that answers: pure functions of its metadata (no DOM). */
import { isModelName, MODEL_CATALOG } from '../../core/models/catalog.ts';
import { formatInt, formatPercent } from '../format.ts';
import type { StoredModel } from './stored-model.ts';

export type ModelKey = 'default' | 'dense' | 'trained' | 'file';

/**
 * The ready-trained models by their one name, the zoo's (the page calls the Playground CNN that
 * everywhere: its picker, its charts, the answers).
 */
export const SHIPPED_TITLES: Record<'default' | 'dense', string> = {
  default: `ready-trained ${MODEL_CATALOG.default.title}`,
  dense: `ready-trained ${MODEL_CATALOG.dense.title}`,
};

/** A zoo model's one name ("Playground CNN" for `default`); any other name as it is. */
export const modelTitle = (name: string): string => (isModelName(name) ? MODEL_CATALOG[name].title : name);

/** What the page calls each model in a sentence ("The ready-trained Dense baseline could not be downloaded"). */
export const MODEL_TITLES: Record<ModelKey, string> = {
  ...SHIPPED_TITLES,
  trained: 'your trained model',
  file: 'the model you loaded',
};

export const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const isShippedKey = (key: ModelKey): boolean => key === 'default' || key === 'dense';

/** "the ready-trained Dense baseline", "your trained model": a model's name in a sentence. */
export const theModel = (key: ModelKey): string => (isShippedKey(key) ? `the ${MODEL_TITLES[key]}` : MODEL_TITLES[key]);

/** "The ready-trained Playground CNN (93.2% test accuracy)", "Your Dense baseline, …": a model's description starting a sentence. */
export const theDescribedModel = (key: ModelKey, description: string): string =>
  capitalized(isShippedKey(key) ? `the ${description}` : description);

const plural = (n: number, word: string) => `${formatInt(n)} ${word}${n === 1 ? '' : 's'}`;

/** "ready-trained Playground CNN (93.2% test accuracy)" */
export function describeShipped(key: 'default' | 'dense', accuracy: number | null): string {
  return `${SHIPPED_TITLES[key]}${accuracy === null ? '' : ` (${formatPercent(accuracy)} test accuracy)`}`;
}

/** "1 epoch on 540 images", "stopped after 2 epochs": how much a model trained. */
function history(record: StoredModel): string {
  const epochs = record.epochs ?? 0;
  // Stopped before its first epoch ended, it still learned something: say so, not "0 epochs".
  const trained = !record.stopped
    ? plural(epochs, 'epoch')
    : epochs > 0
      ? `stopped after ${plural(epochs, 'epoch')}`
      : 'stopped in its first epoch';
  const images = record.trainImages === null ? '' : ` on ${plural(record.trainImages, 'image')}`;
  return `${trained}${images}`;
}

/**
 * "your Dense baseline, 1 epoch on 540 images (78.4% test accuracy)"; a loaded file by its name,
 * then what its model.json says it is: "model.json, the model you loaded: Dense baseline, 1 epoch
 * on 540 images (78.4% test accuracy when saved)".
 */
export function describeStored(record: StoredModel): string {
  const accuracy = record.evaluation ? `${formatPercent(record.evaluation.accuracy)} test accuracy` : 'not evaluated on the test set';
  if (record.slot === 'file') {
    const title = record.card?.title;
    if (!title) return `${record.name}, the model you loaded (test accuracy unknown)`;
    const trained = record.epochs === null ? '' : `, ${history(record)}`;
    return `${record.name}, the model you loaded: ${title}${trained} (${record.evaluation ? `${accuracy} when saved` : 'test accuracy unknown'})`;
  }
  return `your ${modelTitle(record.name)}, ${history(record)} (${accuracy})`;
}

/** The configuration line of a trained model: "Playground CNN · 5 epochs planned · batch 64 · adam, …". */
export function describeConfig(record: StoredModel): string | null {
  const c = record.config;
  if (!c) return null;
  const parts = [
    modelTitle(c.model),
    `${plural(c.epochs, 'epoch')} planned`,
    `batch ${c.batchSize}`,
    `${c.optimizer}, learning rate ${c.learningRate} (${c.schedule}${c.warmup ? `, ${formatPercent(c.warmup, 0)} warm-up` : ''})`,
    `${formatInt(c.trainSize)} training images, ${formatPercent(c.validationSplit, 0)} held out`,
  ];
  if (c.shift) parts.push(`shift ${c.shift} px`);
  if (c.flip) parts.push('flips');
  // Records kept before these fields existed have none of them: they trained without.
  if (c.erasing) parts.push(`random erasing ${formatPercent(c.erasing, 0)}`);
  if (c.outline) parts.push(`outlines ${formatPercent(c.outline, 0)}`);
  if (c.elastic) parts.push(`elastic distortion ${formatPercent(c.elastic, 0)}`);
  if (c.stroke) parts.push(`stroke width ${formatPercent(c.stroke, 0)}`);
  if (c.labelSmoothing) parts.push(`label smoothing ${c.labelSmoothing}`);
  if (c.weightDecay) parts.push(`weight decay ${c.weightDecay}`);
  if (c.flipTest) parts.push('answers averaged with the mirror image');
  // Records kept before the field existed have no `dropout`: they trained with it.
  if (c.dropout === false) parts.push('no dropout');
  parts.push(`seed ${c.seed}`);
  const saved = new Date(record.savedAt).toLocaleString('en');
  return `${parts.join(' · ')}. Kept in this browser since ${saved}.`;
}
