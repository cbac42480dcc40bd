/**
 * The two models the side-by-side view shows: the latest comparison's pair, else the two shipped
 * ones (the dense network and the CNN), and what the view says of their answers.
 */
import type { ModelData } from '../../core/model-json.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { MODEL_CATALOG } from '../../core/models/catalog.ts';
import { memberTitles } from '../compare-members.ts';
import type { TrainedModel } from '../protocol.ts';
import { benchmarkWords, MEASURING_SKETCHES } from './answering-rule.ts';
import type { ClassificationState } from './classification-service.ts';
import type { PageModelsState, PairMember } from './page-models-state.ts';
import type { ShippedKey } from './shipped-models.ts';

/** The service's keys of a comparison's pair (the shipped pair answers as 'dense' and 'default'). */
const COMPARED_KEYS = ['compared-baseline', 'compared-challenger'] as const;
const SHIPPED_PAIR: readonly ShippedKey[] = ['dense', 'default'];
const SHIPPED_TITLES = ['Dense network', 'CNN'] as const;

/** A comparison member's sketch figure in words: being measured (undefined), unknown (null), or read. */
const memberScores = (sketches: number | null | undefined): string | null =>
  sketches === undefined ? MEASURING_SKETCHES : benchmarkWords({ test: null, sketches, photos: null });

export class SideBySidePair {
  /** Whether the view is on. */
  on = false;
  /**
   * The latest comparison's pair, by role: index 0 the baseline, 1 the challenger; each with its
   * accuracy on the sketch benchmark (undefined while measured, null when unknown).
   */
  private pair: {
    runId: number;
    titles: string[];
    models: { config: TrainingConfig; data: ModelData; flipTest: boolean; sketches?: number | null }[];
  } | null = null;
  private input: readonly TrainedModel[] | null = null;

  /**
   * @param removeModel frees a comparison member's model in the service once its pair is gone
   * @param measure measures a member on the sketch benchmark (absent: not measured); `measured` is called once each figure is in
   */
  constructor(
    private readonly removeModel: (key: string) => void,
    private readonly measure?: { sketches(data: ModelData, flipTest: boolean): Promise<number>; measured(): void },
  ) {}

  /**
   * The latest comparison's models (0: the baseline, 1: the challenger); a new one turns the view on.
   * @returns whether the models that answer may have changed (false: the same pair again, or a later score of it)
   */
  setPair(pair: readonly TrainedModel[] | null): boolean {
    if (pair === this.input) return false;
    this.input = pair;
    if (!pair || pair.length < 2) {
      if (this.pair) {
        this.pair = null;
        for (const key of COMPARED_KEYS) this.removeModel(key);
      }
      return true;
    }
    // The same comparison again (a later score): its models stay as they are.
    if (this.pair?.runId === pair[0].runId) return false;
    const models = pair.slice(0, 2).map((m) => ({ config: m.config, data: m.data, flipTest: m.config.flipTest === true }));
    // Titled as Compare titles them: two CNNs of an augmentation comparison are not "Dense network" and "CNN".
    const current = { runId: pair[0].runId, titles: memberTitles(models.map((m) => m.config)), models };
    this.pair = current;
    this.on = true;
    void this.measureMembers(current);
    return true;
  }

  /** Each member's sketch accuracy, one after the other (they share the classifier worker). */
  private async measureMembers(pair: NonNullable<SideBySidePair['pair']>): Promise<void> {
    if (!this.measure) return;
    for (const member of pair.models) {
      member.sketches = await this.measure.sketches(member.data, member.flipTest).catch(() => null);
      if (this.pair !== pair) return;
      this.measure.measured();
    }
  }

  /** The service's keys of the two models shown. */
  keys(): readonly string[] {
    return this.pair ? COMPARED_KEYS : SHIPPED_PAIR;
  }

  /** A comparison member's model, when `key` is one (else undefined: the key is a page model's). */
  member(key: string): { data: ModelData; flipTest: boolean } | null | undefined {
    const index = (COMPARED_KEYS as readonly string[]).indexOf(key);
    if (index < 0) return undefined;
    return this.pair?.models[index] ?? null;
  }

  /** The view's state; `loadError` says why a model is not there (null when it is, or coming). */
  state(s: ClassificationState, loadError: (key: string) => string | null): PageModelsState['sideBySide'] {
    const keys = this.keys();
    const members = keys.map((key, i): PairMember => {
      const answer = s.answers[key];
      const name = this.pair ? this.pair.models[i].config.model : SHIPPED_PAIR[i];
      return {
        title: this.pair ? this.pair.titles[i] : SHIPPED_TITLES[i],
        label: `${MODEL_CATALOG[name].title} ${this.pair ? 'from your comparison' : '(ready-trained)'}`,
        scores: this.pair && this.measure ? memberScores(this.pair.models[i].sketches) : null,
        probabilities: s.image && answer?.ok ? answer.probabilities : null,
      };
    });
    let error: string | null = null;
    if (this.on) {
      const failed = keys.map(loadError).find((m) => m !== null);
      const wrong = keys.map((k) => s.answers[k]).find((a) => a && !a.ok);
      if (failed) error = `The side-by-side models could not be loaded: ${failed}`;
      else if (s.image && wrong && !wrong.ok) error = `The side-by-side models could not answer: ${wrong.message}`;
    }
    return { on: this.on, fromComparison: this.pair !== null, members, error };
  }
}
