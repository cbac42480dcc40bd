/**
 * Starts and stops a run and shows how it goes: the Train tab's panel (one model) and the Compare
 * tab's (two) are this one component with different words.
 */
import type { ReactNode } from 'react';
import { isRunning, type RunState } from '../../app/state/run-state.ts';
import { RunStatus } from './RunStatus.tsx';

export function RunPanel(props: {
  /** The panel's heading; `headingHidden` keeps it for screen readers only. */
  heading: string;
  headingHidden?: boolean;
  /** What the run does, above the buttons. */
  intro?: ReactNode;
  /** The start button's label: Train, Compare. */
  startLabel: string;
  /** Extra controls in the button row (when to evaluate). */
  options?: ReactNode;
  run: RunState | null;
  canStart: boolean;
  /** Why the start button is disabled, if it is. */
  blockedReason: string | null;
  /** How long the run would take ("Expected time: about 4 min …"), shown before it starts. */
  expected?: string | null;
  onStart: () => void;
  onStop: () => void;
  /**
   * Where the run's charts and results are: once a run exists, a link there, shown on narrow
   * screens only, where the settings stand between this panel and them.
   */
  resultsHref?: string;
}) {
  const { run } = props;
  const busy = isRunning(run);
  return (
    <section className="panel train-panel" aria-labelledby="run-heading">
      <h2 id="run-heading" className={props.headingHidden ? 'visually-hidden' : undefined}>
        {props.heading}
      </h2>
      {props.intro}
      <div className="train-row">
        <button type="button" className="primary" disabled={!props.canStart || busy} onClick={props.onStart}>
          {props.startLabel}
        </button>
        <button type="button" disabled={!busy || run?.status === 'stopping'} onClick={props.onStop}>
          Stop
        </button>
        {props.options}
      </div>
      {!busy && props.expected && <p className="small expected-time">{props.expected}</p>}
      {!busy && props.blockedReason && <p className="muted small">{props.blockedReason}</p>}
      {run && <RunStatus run={run} />}
      {run && props.resultsHref && (
        <p className="results-link small">
          <a href={props.resultsHref}>Learning curves and test results ↓</a>
        </p>
      )}
      {run?.error && (
        <div role="alert" className="alert">
          The run stopped with an error: {run.error}. Try again, perhaps with a smaller batch size or the WASM backend.
        </div>
      )}
    </section>
  );
}
