/**
 * Which model answers the page's drawings and uploads:
 * - The better model keeps answering. A newly trained model takes over only if its test accuracy
 *   is known and at least the answering model's (a shipped model's comes from its metrics.json);
 *   otherwise it is offered next to the bars, and the person decides.
 * - A choice by the person (the Model menu, "Use it", Load model) always wins and is remembered.
 * - A model answers only once it is there: switching to one that is still being fetched or built
 *   leaves the previous one answering meanwhile, and if it cannot be fetched or built the previous
 *   one goes on answering and the page says why, with a Retry.
 * - A model that cannot answer (unusable-model.ts) is refused wherever it comes from.
 * PageModels (page-models.ts) applies these; the decisions themselves are here.
 */
import type { ModelKey } from './describe-model.ts';

/** Whether a model of accuracy `candidate` may replace one of accuracy `bar`: both known, and not worse. */
export function atLeastAsGood(candidate: number | null | undefined, bar: number | null | undefined): boolean {
  return candidate != null && bar != null && candidate >= bar;
}

/** What PageModels knows when a run hands its model over (or a later score of the same run). */
export interface Handover {
  /** A new run's model (false: the same run's, scored again by Evaluate). */
  newRun: boolean;
  /** The model that answers, or is about to (pending); null when none does yet. */
  target: ModelKey | null;
  /** The handed-over model's test accuracy, null when not evaluated. */
  trainedAccuracy: number | null;
  /** `target`'s accuracy, read before the trained entry is replaced (it may be the last run's). */
  targetAccuracy: number | null;
  /** True when the person chose a model since the last new run handed one over. */
  chosenSinceHandover: boolean;
}

/** The model that is to answer after a handover; null: the one that answers stays (the new one is offered). */
export function afterHandover(h: Handover): ModelKey | null {
  if (h.newRun) {
    if (h.target === null || atLeastAsGood(h.trainedAccuracy, h.targetAccuracy)) return 'trained';
    // The trained model that answered is replaced by a worse one: the shipped default answers.
    if (h.target === 'trained') return 'default';
    return null;
  }
  // Its score came later (Evaluate on the test set): it takes over now, unless the person chose meanwhile.
  if (!h.chosenSinceHandover && h.target !== 'trained' && atLeastAsGood(h.trainedAccuracy, h.targetAccuracy)) return 'trained';
  return null;
}

/**
 * The model that answers first on a visit: the remembered choice if that model is there; else the
 * page's own trained model if it is at least as good as the shipped default (whose metrics.json,
 * should it not come within seconds, counts as unknown); else the shipped default.
 * @param ownAccuracy read once the shipped accuracy is in (a run may have handed a model over meanwhile)
 */
export async function firstToAnswer(
  choice: ModelKey | null,
  entries: Partial<Record<ModelKey, { accuracy: number | null }>>,
  shippedAccuracy: Promise<number | null>,
  ownAccuracy: () => number | null,
): Promise<ModelKey> {
  if (choice && entries[choice]) return choice;
  if (entries.trained?.accuracy == null) return 'default';
  const shipped = await Promise.race([shippedAccuracy, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))]);
  return atLeastAsGood(ownAccuracy(), shipped) ? 'trained' : 'default';
}
