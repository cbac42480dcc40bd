import type { RunState } from '../../app/state/page-state.ts';
import { formatDuration, formatInt } from './format.ts';

/** Train / Stop, when to evaluate, and how the run is going (progress, images/s, time left). */
export function TrainControls(props: {
  run: RunState | null;
  canTrain: boolean;
  /** Why Train is disabled, if it is. */
  blockedReason: string | null;
  evaluateEachEpoch: boolean;
  onEvaluateEachEpoch: (value: boolean) => void;
  onTrain: () => void;
  onStop: () => void;
}) {
  const { run } = props;
  const busy = run !== null && (run.status === 'training' || run.status === 'stopping');
  return (
    <section className="panel train-panel" aria-labelledby="train-heading">
      <h2 id="train-heading" className="visually-hidden">
        Training
      </h2>
      <div className="train-row">
        <button type="button" className="primary" disabled={!props.canTrain || busy} onClick={props.onTrain}>
          Train
        </button>
        <button type="button" disabled={!busy || run?.status === 'stopping'} onClick={props.onStop}>
          Stop
        </button>
        <fieldset className="segmented" disabled={busy}>
          <legend className="visually-hidden">When to evaluate on the test set</legend>
          <label className={props.evaluateEachEpoch ? 'selected' : ''}>
            <input
              type="radio"
              name="evaluate"
              checked={props.evaluateEachEpoch}
              onChange={() => props.onEvaluateEachEpoch(true)}
            />
            Evaluate after each epoch
          </label>
          <label className={!props.evaluateEachEpoch ? 'selected' : ''}>
            <input
              type="radio"
              name="evaluate"
              checked={!props.evaluateEachEpoch}
              onChange={() => props.onEvaluateEachEpoch(false)}
            />
            At the end
          </label>
        </fieldset>
      </div>
      {!busy && props.blockedReason && <p className="muted small">{props.blockedReason}</p>}
      {run && <RunStatusLine run={run} />}
      {run?.error && (
        <div role="alert" className="alert">
          Training stopped with an error: {run.error}. Try again, perhaps with a smaller batch size or the WASM backend.
        </div>
      )}
    </section>
  );
}

function RunStatusLine({ run }: { run: RunState }) {
  const b = run.lastBatch;
  const totalBatches = b ? b.epochs * b.batchesPerEpoch : 0;
  const doneBatches = b ? (b.epoch - 1) * b.batchesPerEpoch + b.batch : 0;
  let status: string;
  if (run.status === 'training') status = run.started ? 'Training' : 'Building the model';
  else if (run.status === 'stopping') status = 'Stopping after this batch';
  else if (run.error) status = 'Failed';
  else if (run.end?.stopped) status = `Stopped after ${formatDuration(run.end.seconds)}`;
  else status = run.end ? `Done in ${formatDuration(run.end.seconds)}` : 'Done';

  return (
    <div className="run-status">
      <progress aria-label="Training progress" max={totalBatches || 1} value={b ? doneBatches : run.status === 'done' ? 1 : undefined} />
      <p aria-live="polite">
        <strong>{status}</strong>
        {b && (
          <>
            {' '}
            · epoch {b.epoch} of {b.epochs}, batch {formatInt(b.batch)} of {formatInt(b.batchesPerEpoch)}
          </>
        )}
        {run.parameters !== null && <> · {formatInt(run.parameters)} parameters</>}
      </p>
      <p className="stats">
        <span>
          Images/s: <strong>{b || run.end ? formatInt(run.end?.imagesPerSecond ?? b!.imagesPerSecond) : '—'}</strong>
        </span>
        <span>
          ETA: <strong>{run.status === 'training' && b ? formatDuration(b.etaSeconds) : '—'}</strong>
        </span>
      </p>
    </div>
  );
}
