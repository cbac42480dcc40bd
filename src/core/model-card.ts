/**
 * What a model file says about itself: its name, layers, how it was trained and how it scored,
 * kept in model.json's `userDefinedMetadata` (tfjs keeps that object as it is, and
 * `model.getUserDefinedMetadata()` returns it), under a key of ours so that other tools' metadata
 * can sit beside it. Download writes it; Load model reads it back, so a downloaded model is still
 * "your Playground CNN, 12 epochs … (92.1% test accuracy)" when it comes back.
 */
import { validateConfig, type TrainingConfig } from './config.ts';

/** Our key in `userDefinedMetadata`. */
export const CARD_KEY = 'fashionMnistPlayground';
const CARD_VERSION = 1;

export interface ModelCard {
  /** The model's one name on the page ("Playground CNN"). */
  title: string;
  /** Its layers in one line (the zoo's summary); null when not known. */
  architecture: string | null;
  /** Trainable and non-trainable weights; null when not known. */
  parameters: number | null;
  /** The configuration it trained with; null when not known (a ready-trained model). */
  config: TrainingConfig | null;
  /** Whole epochs trained. */
  epochs: number | null;
  /** True when its run was stopped before the planned epochs. */
  stopped: boolean;
  /** Images it trained on (the training subset less the validation images). */
  trainImages: number | null;
  /** Its latest score on the 10,000 test images (after which epoch, and its loss, where known). */
  evaluation: { accuracy: number; epoch: number | null; loss: number | null } | null;
}

/** The `userDefinedMetadata` object holding `card`. */
export function cardMetadata(card: ModelCard): Record<string, unknown> {
  return { [CARD_KEY]: { version: CARD_VERSION, ...card } };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() !== '' && v.length <= max ? v : null);

/**
 * The card in a model.json's `userDefinedMetadata`, or null when there is none (a model from
 * elsewhere) or it cannot be read. A card from an unknown hand is checked field by field: a field
 * that does not fit is left out (unknown), never trusted; a card without a name is no card.
 */
export function readCard(metadata: unknown): ModelCard | null {
  const raw = isObject(metadata) ? metadata[CARD_KEY] : undefined;
  if (!isObject(raw) || raw.version !== CARD_VERSION) return null;
  const title = text(raw.title, 200);
  if (title === null) return null;
  let config: TrainingConfig | null;
  try {
    config = raw.config === null || raw.config === undefined ? null : validateConfig(raw.config);
  } catch {
    config = null;
  }
  const e = raw.evaluation;
  const accuracy = isObject(e) && typeof e.accuracy === 'number' && e.accuracy >= 0 && e.accuracy <= 1 ? e.accuracy : null;
  return {
    title,
    architecture: text(raw.architecture, 2000),
    parameters: count(raw.parameters),
    config,
    epochs: count(raw.epochs),
    stopped: raw.stopped === true,
    trainImages: count(raw.trainImages),
    evaluation:
      isObject(e) && accuracy !== null
        ? { accuracy, epoch: count(e.epoch), loss: typeof e.loss === 'number' && Number.isFinite(e.loss) ? e.loss : null }
        : null,
  };
}
