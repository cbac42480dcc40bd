/**
 * A Train run's model handed over to the page's models: kept for next time, its sketches measured
 * on the sketch benchmark (off the main thread, where the page can), and answering if it is at
 * least as good as the answering model on every figure both have (answering-rule.ts), else
 * offered. A later score of the same run (Evaluate) keeps its model and measured sketches; a run
 * whose weights cannot answer is refused, with its later scores. PageModels owns the entries and
 * which model answers; this applies a handover to them through `HandoverHost`.
 */
import { messageOf } from '../format.ts';
import type { TrainedModel } from '../protocol.ts';
import { afterHandover, MEASURING_SKETCHES, UNKNOWN_FIGURES, type AnswerFigures } from './answering-rule.ts';
import type { ModelKey } from './describe-model.ts';
import { figuresOf, type ModelEntry } from './page-models-state.ts';
import type { StoredModel } from './stored-model.ts';
import { recordOf, storedEntry } from './stored-models.ts';
import { unusableModel } from './unusable-model.ts';

/** What a handover reads and changes of PageModels. */
export interface HandoverHost {
  disposed(): boolean;
  /** The page's models. */
  entries(): Partial<Record<ModelKey, ModelEntry>>;
  /** Replaces the 'trained' entry. */
  setTrainedEntry(entry: ModelEntry): void;
  /** True when the person chose a model since the last new run handed one over. */
  chosenSinceHandover(): boolean;
  /** A new run handed its model over: the person's choice is older from now on. */
  newRunHandedOver(): void;
  /** The model that answers, or is about to; null when none does yet. */
  target(): ModelKey | null;
  /** The model that answers now. */
  answering(): ModelKey | null;
  /** `key` is to answer (not the person's choice). */
  want(key: ModelKey): void;
  /** Builds what is to answer and publishes the state. */
  sync(): void;
  /** Says `message` on the page (a refused model, one the browser would not keep). */
  tell(message: string): void;
  store(record: StoredModel): Promise<void>;
  /** The model's accuracy on the sketch benchmark; absent where the page does not measure it. */
  measureSketches?(data: StoredModel['model'], flipTest: boolean): Promise<number>;
}

export class TrainedHandover {
  private adopted: TrainedModel | null = null;
  /** The run whose model was refused (NaN or infinite weights): its later scores are ignored too. */
  private refusedRun: number | null = null;
  /** What is kept of the adopted run's model. */
  private record: StoredModel | null = null;
  /** The run whose model's sketches are being measured. */
  private measuringRun: number | null = null;

  constructor(private readonly host: HandoverHost) {}

  /** Takes a handed-over model: a new run's, or a later score of the same run. */
  take(trained: TrainedModel, savedAt: number): void {
    const host = this.host;
    if (trained === this.adopted) return;
    const newRun = this.adopted?.runId !== trained.runId;
    this.adopted = trained;
    if (!newRun && this.refusedRun === trained.runId) return;
    if (newRun) {
      const unusable = unusableModel(trained.data);
      if (unusable) {
        // A run that diverged: its model would answer NaN for every class.
        this.refusedRun = trained.runId;
        host.tell(`Your trained model cannot answer, so it was not kept: ${unusable}.`);
        return;
      }
    }
    const record = recordOf(trained, savedAt);
    if (!newRun && this.record) record.model = this.record.model;
    if (!newRun && this.record?.answers) record.answers = this.record.answers;
    this.record = record;
    const measure = newRun && host.measureSketches !== undefined;
    const target = host.target();
    // The answering model's figures: read before the entry is replaced (it may be the last run's).
    const targetFigures = this.figuresOf(target);
    const entry = storedEntry(record);
    host.setTrainedEntry(measure ? { ...entry, measuring: true, scores: MEASURING_SKETCHES } : entry);
    // While its sketches are measured, a new model replaces no other model (the figure decides);
    // it answers at once only where none does, or in the place of the last run's.
    const decide = newRun ? !measure || target === null || target === 'trained' : this.measuringRun !== trained.runId;
    this.decide(newRun, decide, targetFigures);
    host.sync();
    this.keep(record);
    if (measure) void this.measure(trained.runId, record);
  }

  /**
   * Measures run `runId`'s model on the sketch benchmark, keeps the figure with it (unknown when it
   * could not be measured), and lets it take over if it is now at least as good as the answering
   * model on every figure both have.
   */
  private async measure(runId: number, record: StoredModel): Promise<void> {
    this.measuringRun = runId;
    const sketches = await this.host.measureSketches!(record.model, record.config?.flipTest === true).catch(() => null);
    if (this.measuringRun !== runId) return;
    this.measuringRun = null;
    if (this.host.disposed() || !this.record || this.adopted?.runId !== runId) return;
    this.record = { ...this.record, answers: { sketchAccuracy: sketches } };
    this.host.setTrainedEntry(storedEntry(this.record));
    this.decide(false, true, this.figuresOf(this.host.target()));
    this.host.sync();
    this.keep(this.record);
  }

  private figuresOf(key: ModelKey | null): AnswerFigures | null {
    return key === null ? null : figuresOf(this.host.entries()[key]);
  }

  /** The answering rule (afterHandover) applied to the trained model against `targetFigures`, when `decide`. */
  private decide(newRun: boolean, decide: boolean, targetFigures: AnswerFigures | null): void {
    const host = this.host;
    const trained = figuresOf(host.entries().trained) ?? UNKNOWN_FIGURES;
    const chosenSinceHandover = host.chosenSinceHandover();
    const next = decide && afterHandover({ newRun, target: host.target(), trained, targetFigures, chosenSinceHandover });
    if (newRun) host.newRunHandedOver();
    if (next) host.want(next);
  }

  /** Keeps the model for the next visit, saying so where this browser will not. */
  private keep(record: StoredModel): void {
    this.host.store(record).catch((error: unknown) => {
      if (this.host.disposed()) return;
      const now = this.host.answering() === 'trained' ? 'answers now' : 'is ready';
      this.host.tell(`Your trained model ${now}, but this browser could not keep it for next time: ${messageOf(error)}`);
    });
  }
}
