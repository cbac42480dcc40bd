/**
 * The ready-trained models that ship with the page (public/models/): their entries before and
 * after their metrics.json is read, and their downloads, fetched once each and, when one fails,
 * not tried again until asked.
 */
import type { ModelData } from '../../core/model-json.ts';
import type { AnswerFigures } from './answering-rule.ts';
import { describeShipped, theModel } from './describe-model.ts';
import { shippedCard } from './model-cards.ts';
import type { ModelEntry } from './page-models-state.ts';
import type { ShippedFacts } from './shipped-metrics.ts';
import { messageOf } from '../format.ts';

export type ShippedKey = 'default' | 'dense';
const SHIPPED: readonly ShippedKey[] = ['default', 'dense'];
export const isShipped = (key: string): key is ShippedKey => key === 'default' || key === 'dense';

/** The shipped models' entries before anything about them is read or fetched. */
export function shippedEntries(): Partial<Record<ShippedKey, ModelEntry>> {
  return Object.fromEntries(
    SHIPPED.map((key): [ShippedKey, ModelEntry] => [
      key,
      { key, description: describeShipped(key, null), accuracy: null, details: null, data: null, card: shippedCard(key, null) },
    ]),
  );
}

/** A shipped model's entry once its metrics.json is read: test accuracy, benchmark scores, calibration. */
export function withFacts(entry: ModelEntry, key: ShippedKey, facts: KnownFacts): ModelEntry {
  const { accuracy, sketches, photos, scores, calibration } = facts;
  return {
    ...entry,
    accuracy,
    sketches,
    photos,
    scores,
    details: calibration,
    description: describeShipped(key, accuracy),
    card: shippedCard(key, accuracy),
  };
}

/** What a metrics.json says, once it says the model's test accuracy. */
export type KnownFacts = ShippedFacts & { accuracy: number };

/** The outcome of one download: the model's files, or why they could not be fetched. */
export type ShippedDownload = { key: ShippedKey; data: ModelData } | { key: ShippedKey; error: string };

/**
 * The shipped models' metrics.json, read at once, and their downloads: one at a time per model; a
 * failed one is kept (and said) until retried.
 */
export class ShippedModels {
  /** Each model's figures as its metrics.json says (null: its test accuracy is unknown, or it could not be read). */
  readonly figures: Record<ShippedKey, Promise<AnswerFigures | null>>;
  private readonly fetching = new Set<ShippedKey>();
  private errors: Partial<Record<ShippedKey, string>> = {};

  /**
   * @param read the browser's fetches of a model's files and of its metrics.json
   * @param report `facts` once a metrics.json with a test accuracy is read; `downloaded` when a download ends
   */
  constructor(
    private readonly read: { fetchShipped(key: ShippedKey): Promise<ModelData>; shippedFacts(key: ShippedKey): Promise<ShippedFacts> },
    private readonly report: { facts(key: ShippedKey, facts: KnownFacts): void; downloaded(outcome: ShippedDownload): void },
  ) {
    this.figures = { default: this.readFacts('default'), dense: this.readFacts('dense') };
  }

  private readFacts(key: ShippedKey): Promise<AnswerFigures | null> {
    const read = this.read.shippedFacts(key).catch(() => null);
    return read.then((facts) => {
      if (facts === null || facts.accuracy === null) return null;
      this.report.facts(key, { ...facts, accuracy: facts.accuracy });
      return { test: facts.accuracy, sketches: facts.sketches ?? null, photos: facts.photos ?? null };
    });
  }

  /** Fetches `key` unless it is being fetched or its last download failed. */
  start(key: ShippedKey): void {
    if (this.fetching.has(key) || this.errors[key]) return;
    this.fetching.add(key);
    this.read.fetchShipped(key).then(
      (data) => {
        this.fetching.delete(key);
        this.report.downloaded({ key, data });
      },
      (error: unknown) => {
        this.fetching.delete(key);
        // fetch() rejects with a TypeError ("Failed to fetch") when there is no network at all.
        const offline = error instanceof TypeError;
        const message = `${theModel(key)} could not be downloaded${offline ? ' (are you offline?)' : ''}: ${messageOf(error)}`;
        this.errors = { ...this.errors, [key]: message };
        this.report.downloaded({ key, error: message });
      },
    );
  }

  /** Why the last download of `key` failed; undefined when it did not, or is to be tried again. */
  errorOf(key: ShippedKey): string | undefined {
    return this.errors[key];
  }

  /** The next start(key) fetches again. */
  forgetError(key: ShippedKey): void {
    if (!this.errors[key]) return;
    const rest = { ...this.errors };
    delete rest[key];
    this.errors = rest;
  }
}
