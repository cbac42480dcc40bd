/**
 * What the Classify panel shows of the page's models (PageModels publishes it, usePageModels
 * renders it): the models there are, which answers, its answer, and the side-by-side pair.
 */
import type { ModelCard } from '../../core/model-card.ts';
import type { ModelData } from '../../core/model-json.ts';
import type { Prediction } from './classification-service.ts';
import type { AnswerFigures } from './answering-rule.ts';
import type { ModelKey } from './describe-model.ts';
import type { ShownModel } from '../inside/shown-models.ts';
import { shippedEntries } from './shipped-models.ts';

export interface ModelEntry {
  key: ModelKey;
  /** What the page says when this model answers. */
  description: string;
  /** Its test accuracy, null when unknown (not evaluated, a loaded file, metrics not read). */
  accuracy: number | null;
  /** Configuration and provenance, for trained models. */
  details: string | null;
  /** Its files; null for a shipped model not fetched yet. */
  data: ModelData | null;
  /** What Download writes into its model.json about it (null: a loaded file that said nothing). */
  card: ModelCard | null;
  /** How it reads sketches and photos ("reads 87.1% of sketches …"), or that its sketches are being measured. */
  scores?: string | null;
  /** Its accuracy on the sketch benchmark (a shipped model's from its metrics.json, a trained one's measured on the page); null or absent when unknown. */
  sketches?: number | null;
  /** Its accuracy on the product-photo benchmark (metrics.json only); null or absent when unknown. */
  photos?: number | null;
  /** True while its sketches are being measured. */
  measuring?: boolean;
  /** Trained with test-time flip averaging: it answers each picture averaged with its mirror. */
  flipTest?: boolean;
}

/** What the answering rule compares of an entry. */
export const figuresOf = (entry: ModelEntry | undefined): AnswerFigures | null =>
  entry ? { test: entry.accuracy, sketches: entry.sketches ?? null, photos: entry.photos ?? null } : null;

/**
 * The answering model's state: 'loading' while no model answers yet and one is coming (or one is
 * being switched to), 'ready', 'none' when no model answers (the first could not be loaded), and
 * 'error' when the answering model could not classify the picture.
 */
export type PanelStatus =
  { kind: 'loading'; message: string } | { kind: 'ready' } | { kind: 'none'; message: string } | { kind: 'error'; message: string };

/** The answering model's answer to the current picture (possibly the one before it, until answered). */
export interface ActiveAnswer extends Prediction {
  key: ModelKey;
  description: string;
}

/** One side of the side-by-side view. */
export interface PairMember {
  /** "Dense network" or "CNN" for the ready-trained pair; a comparison's members as Compare titles them. */
  title: string;
  /** Which model it is: "Dense baseline from your comparison", "Playground CNN (ready-trained)". */
  label: string;
  /** How a comparison's member reads sketches ("reads 31.2% of sketches …"), or that it is being measured. */
  scores: string | null;
  probabilities: Float32Array | null;
}

export interface PageModelsState {
  entries: Partial<Record<ModelKey, ModelEntry>>;
  /** The model that answers (it is built); null while none does yet. */
  active: ModelKey | null;
  /** A model chosen (or taking over) that is being fetched or built; `active` answers meanwhile. */
  pending: ModelKey | null;
  status: PanelStatus;
  /** Why the last switch to a model failed (it could not be downloaded or built); Retry chooses `key` again. */
  switchError: { key: ModelKey; message: string } | null;
  /** Another model the person may switch to, shown next to the bars ("your model … is ready: use it"). */
  offer: {
    key: ModelKey;
    description: string;
    /** Where the offered model reads more and where fewer than the answering one ("your model reads more sketches (…) but …"), or that it is being measured. */
    comparison: string | null;
  } | null;
  answer: ActiveAnswer | null;
  /** True while the answering model has not answered the latest picture yet (`answer` may be an earlier one's). */
  waiting: boolean;
  /** Set by Load model (what does not fit) or by the store (could not keep a model, removed a bad one). */
  modelError: string | null;
  sideBySide: { on: boolean; fromComparison: boolean; members: PairMember[]; error: string | null };
  /** The models "Inside the model" shows, each with the picture it last answered. */
  inside: ShownModel[];
}

/** What the panel shows before PageModels exists (the first render). */
export function initialPageModelsState(): PageModelsState {
  return {
    entries: shippedEntries(),
    active: null,
    pending: null,
    status: { kind: 'loading', message: 'Loading the ready-trained model…' },
    switchError: null,
    offer: null,
    answer: null,
    waiting: false,
    modelError: null,
    sideBySide: { on: false, fromComparison: false, members: [], error: null },
    inside: [],
  };
}
