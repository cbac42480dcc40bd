/**
 * What the panel says about the answering model, from what PageModels knows and the service's
 * state: its answer, its status line, the other model worth a click, and why a switch failed.
 * Pure functions of that knowledge.
 */
import type { ClassificationState } from './classification-service.ts';
import { compareFigures } from './answering-rule.ts';
import { theDescribedModel, theModel, type ModelKey } from './describe-model.ts';
import { figuresOf, type ModelEntry, type PageModelsState, type PanelStatus } from './page-models-state.ts';
import { isShipped } from './shipped-models.ts';

const WAITING_FOR_DATA = 'The ready-trained model comes once the training images are in, or as soon as you draw.';

/** What PageModels knows about which model answers. */
export interface AnsweringFacts {
  entries: Partial<Record<ModelKey, ModelEntry>>;
  /** The model that answers; null while none does yet. */
  active: ModelKey | null;
  /** The model being fetched or built to answer next. */
  pending: ModelKey | null;
  /** True until the kept models are read and the first model to answer chosen. */
  restoring: boolean;
  /** True while the ready-trained models wait for the training images to come in. */
  waitingForData: boolean;
}

export function statusOf(f: AnsweringFacts, s: ClassificationState): PanelStatus {
  const { active: key, pending } = f;
  if (key === null) {
    if (f.restoring) return { kind: 'loading', message: 'Loading the ready-trained model…' };
    if (pending && isShipped(pending) && f.waitingForData) return { kind: 'loading', message: WAITING_FOR_DATA };
    if (pending) return { kind: 'loading', message: `Loading ${theModel(pending)}…` };
    return { kind: 'none', message: 'No model answers yet.' };
  }
  if (pending) return { kind: 'loading', message: `Switching to ${theModel(pending)}…` };
  const answer = s.answers[key];
  if (s.image && answer && !answer.ok) return { kind: 'error', message: `The model could not classify this picture: ${answer.message}` };
  return { kind: 'ready' };
}

/**
 * The other model worth a click: the trained one when it does not answer (with where it reads more
 * and where fewer than the answering one), else the shipped default.
 */
export function offerOf(f: AnsweringFacts): PageModelsState['offer'] {
  if (f.restoring) return null;
  const busy = (key: ModelKey) => key === f.active || key === f.pending;
  const trained = f.entries.trained;
  if (trained && !busy('trained')) {
    const answering = f.active ? figuresOf(f.entries[f.active]) : null;
    const words = answering && compareFigures(figuresOf(trained)!, answering);
    const comparison = trained.measuring ? (trained.scores ?? null) : words && `your model ${words}`;
    return { key: 'trained', description: trained.description, comparison };
  }
  const shipped = f.entries.default;
  if (f.active && shipped && !busy('default')) return { key: 'default', description: shipped.description, comparison: null };
  return null;
}

/** Why the last switch failed, and which model answers meanwhile. */
export function switchErrorOf(f: AnsweringFacts, failed: { key: ModelKey; message: string } | null): PageModelsState['switchError'] {
  if (!failed) return null;
  const entry = f.active ? f.entries[f.active] : undefined;
  const now = entry ? `${theDescribedModel(entry.key, entry.description)} keeps answering.` : 'No model answers yet.';
  return { key: failed.key, message: `${failed.message}. ${now}` };
}

/** The answering model's part of the panel's state, from the service's state `s`. */
export function panelState(
  f: AnsweringFacts,
  s: ClassificationState,
  switchError: { key: ModelKey; message: string } | null,
): Omit<PageModelsState, 'modelError' | 'sideBySide' | 'inside'> {
  const key = f.active;
  const answer = key ? s.answers[key] : undefined;
  return {
    entries: f.entries,
    active: key,
    pending: f.pending,
    status: statusOf(f, s),
    switchError: switchErrorOf(f, switchError),
    offer: offerOf(f),
    answer:
      key && s.image && answer?.ok
        ? {
            probabilities: answer.probabilities,
            ms: answer.ms,
            tensors: answer.tensors,
            key,
            description: f.entries[key]?.description ?? key,
          }
        : null,
    waiting: key !== null && s.image !== null && (!answer || answer.image !== s.image),
  };
}
