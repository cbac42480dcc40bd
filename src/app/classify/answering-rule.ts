/**
 * Which model answers the page's drawings and uploads:
 * - The better model keeps answering. A newly trained model takes over only if it is at least as
 *   good as the answering model on every figure both have: test accuracy (always required, so it
 *   must be known), sketches and product photos (where both were measured: a shipped model's come
 *   from its metrics.json, a trained model's sketches are measured on the page). Otherwise it is
 *   offered next to the bars, with words that say where each is better, and the person decides.
 * - A choice by the person (the Model menu, "Use it", Load model) always wins and is remembered.
 * - A model answers only once it is there: switching to one that is still being fetched or built
 *   leaves the previous one answering meanwhile, and if it cannot be fetched or built the previous
 *   one goes on answering and the page says why, with a Retry.
 * - A model that cannot answer (unusable-model.ts) is refused wherever it comes from.
 * PageModels (page-models.ts) applies these; the decisions themselves are here.
 */
import { formatPercent } from '../format.ts';
import type { ModelKey } from './describe-model.ts';

/** How well a model answers, each a fraction in [0, 1]; null where it is not known. */
export interface AnswerFigures {
  /** Accuracy on the test set. */
  test: number | null;
  /** Accuracy on the sketch benchmark (authored drawings through the pad's code). */
  sketches: number | null;
  /** Accuracy on the product-photo benchmark. */
  photos: number | null;
}

export const UNKNOWN_FIGURES: AnswerFigures = { test: null, sketches: null, photos: null };

/** The figures, in the order the page names them, with what each counts. */
const FIGURES: readonly { key: keyof AnswerFigures; things: string }[] = [
  { key: 'test', things: 'test images' },
  { key: 'sketches', things: 'sketches' },
  { key: 'photos', things: 'product photos' },
];

/**
 * Whether a model with figures `candidate` may replace one with figures `bar`: both test
 * accuracies known and the candidate's not lower, and not lower on each other figure both have.
 */
export function atLeastAsGood(candidate: AnswerFigures | null | undefined, bar: AnswerFigures | null | undefined): boolean {
  if (candidate?.test == null || bar?.test == null) return false;
  return FIGURES.every(({ key }) => candidate[key] == null || bar[key] == null || candidate[key] >= bar[key]);
}

/**
 * Where `candidate` reads more and where fewer than `bar`, on the figures both have, e.g. "reads
 * more sketches (55.1% against 39.4%) but fewer test images (90.3% against 93.2%)"; null when
 * they have no figure in common that differs.
 */
export function compareFigures(candidate: AnswerFigures, bar: AnswerFigures): string | null {
  const more: string[] = [];
  const fewer: string[] = [];
  for (const { key, things } of FIGURES) {
    const c = candidate[key];
    const b = bar[key];
    if (c == null || b == null || formatPercent(c) === formatPercent(b)) continue;
    (c > b ? more : fewer).push(`${things} (${formatPercent(c)} against ${formatPercent(b)})`);
  }
  const words = (how: string, list: string[]) => `${how} ${list.join(' and ')}`;
  if (more.length && fewer.length) return `reads ${words('more', more)} but ${words('fewer', fewer)}`;
  if (more.length) return `reads ${words('more', more)}`;
  if (fewer.length) return `reads ${words('fewer', fewer)}`;
  return null;
}

/** What the page says of a model whose sketches are being measured. */
export const MEASURING_SKETCHES = 'measuring how it reads sketches…';

/**
 * What a model's benchmark figures say, e.g. "reads 39.4% of sketches and 91.0% of product photos
 * in our benchmark of what people give the page"; null when neither is known.
 */
export function benchmarkWords(f: AnswerFigures): string | null {
  const read = [
    f.sketches == null ? null : `${formatPercent(f.sketches)} of sketches`,
    f.photos == null ? null : `${formatPercent(f.photos)} of product photos`,
  ].filter(Boolean);
  return read.length ? `reads ${read.join(' and ')} in our benchmark of what people give the page` : null;
}

/** What PageModels knows when a run hands its model over (or a later score of the same run). */
export interface Handover {
  /** A new run's model (false: the same run's, scored again by Evaluate). */
  newRun: boolean;
  /** The model that answers, or is about to (pending); null when none does yet. */
  target: ModelKey | null;
  /** The handed-over model's figures (test accuracy null when not evaluated). */
  trained: AnswerFigures;
  /** `target`'s figures, read before the trained entry is replaced (it may be the last run's). */
  targetFigures: AnswerFigures | null;
  /** True when the person chose a model since the last new run handed one over. */
  chosenSinceHandover: boolean;
}

/** The model that is to answer after a handover; null: the one that answers stays (the new one is offered). */
export function afterHandover(h: Handover): ModelKey | null {
  if (h.newRun) {
    if (h.target === null || atLeastAsGood(h.trained, h.targetFigures)) return 'trained';
    // The trained model that answered is replaced by a worse one: the shipped default answers.
    if (h.target === 'trained') return 'default';
    return null;
  }
  // Its score came later (Evaluate on the test set, or its sketches measured): it takes over now,
  // unless the person chose meanwhile.
  if (!h.chosenSinceHandover && h.target !== 'trained' && atLeastAsGood(h.trained, h.targetFigures)) return 'trained';
  return null;
}

/**
 * The model that answers first on a visit: the remembered choice if that model is there; else the
 * page's own trained model if it is at least as good as the shipped default on every figure both
 * have (the shipped default's metrics.json, should it not come within seconds, counts as unknown);
 * else the shipped default.
 * @param ownFigures read once the shipped figures are in (a run may have handed a model over meanwhile)
 */
export async function firstToAnswer(
  choice: ModelKey | null,
  entries: Partial<Record<ModelKey, { accuracy: number | null }>>,
  shippedFigures: Promise<AnswerFigures | null>,
  ownFigures: () => AnswerFigures | null,
): Promise<ModelKey> {
  if (choice && entries[choice]) return choice;
  if (entries.trained?.accuracy == null) return 'default';
  const shipped = await Promise.race([shippedFigures, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))]);
  return atLeastAsGood(ownFigures(), shipped) ? 'trained' : 'default';
}
