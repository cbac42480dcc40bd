/**
 * The person's choice of answering model, kept for the next visit (localStorage, injected). Where
 * this browser will not keep it (storage blocked, private mode), the choice holds for this visit
 * and the page says so, once.
 */
import { capitalized, theModel, type ModelKey } from './describe-model.ts';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class RememberedChoice {
  /** True once the page has said that this browser does not keep the choice (said once a visit). */
  private notKeptSaid = false;

  /** @param write throws when this browser will not keep the choice */
  constructor(private readonly write: (key: ModelKey) => void) {}

  /** Keeps `key`; returns what the page says when it could not (only the first time), else null. */
  remember(key: ModelKey): string | null {
    try {
      this.write(key);
      return null;
    } catch (error) {
      if (this.notKeptSaid) return null;
      this.notKeptSaid = true;
      return (
        `${capitalized(theModel(key))} answers for this visit, but this browser does not let the page remember ` +
        `your choice of model (${messageOf(error)}), so the next visit starts with the page's own pick again.`
      );
    }
  }
}
