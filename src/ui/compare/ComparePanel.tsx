import { COMPARE_MEMBERS, type CompareMember } from '../../core/compare.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { MODEL_CATALOG, type ModelName } from '../../core/models/catalog.ts';
import { formatDuration, formatInt } from '../components/format.ts';
import type { CompareRun } from '../../app/state/compare-state.ts';
import { CompareCharts, MEMBER_STYLE, memberTitle } from './CompareCharts.tsx';
import './compare.css';

/**
 * Compare mode's controls and live view: Compare / Stop, how far each model is, and both models'
 * learning curves overlaid. The results on the test set are CompareResults, below the columns.
 */
export function ComparePanel(props: {
  run: CompareRun | null;
  /** What Compare would train now. */
  models: Record<CompareMember, ModelName>;
  config: TrainingConfig | null;
  canStart: boolean;
  blockedReason: string | null;
  onCompare: () => void;
  onStop: () => void;
}) {
  const { run } = props;
  const busy = run !== null && (run.status === 'training' || run.status === 'stopping');
  return (
    <>
      <section className="panel train-panel" aria-labelledby="compare-heading">
        <h2 id="compare-heading">
          {MODEL_CATALOG[props.models.dense].title} against {MODEL_CATALOG[props.models.cnn].title}
        </h2>
        <p className="muted small">
          Both networks train on the same images, in the same order and with the same augmentation, from the same seed,
          for the same epochs with the same optimizer, learning rate and schedule (the hyperparameters on the left): only
          the network differs. They take turns by epoch, and each is tested on the 10,000 test images after each of its
          epochs.
        </p>
        {props.config && <SharedSettings config={props.config} />}
        <div className="train-row">
          <button type="button" className="primary" disabled={!props.canStart || busy} onClick={props.onCompare}>
            Compare
          </button>
          <button type="button" disabled={!busy || run?.status === 'stopping'} onClick={props.onStop}>
            Stop
          </button>
        </div>
        {!busy && props.blockedReason && <p className="muted small">{props.blockedReason}</p>}
        {run && <CompareStatus run={run} />}
        {run?.error && (
          <div role="alert" className="alert">
            The comparison stopped with an error: {run.error}. Try again, perhaps with a smaller batch size or the WASM backend.
          </div>
        )}
      </section>
      {run && <CompareCharts run={run} />}
    </>
  );
}

function SharedSettings({ config }: { config: TrainingConfig }) {
  const train = Math.round(config.trainSize * (1 - config.validationSplit));
  const augment = [config.shift ? `shifts up to ${config.shift} px` : '', config.flip ? 'mirroring' : ''].filter(Boolean).join(' and ');
  return (
    <p className="small compare-settings">
      Same for both: {formatInt(train)} training images (of {formatInt(config.trainSize)}, {Math.round(config.validationSplit * 100)}%
      held out), seed {config.seed}, {config.epochs} epoch{config.epochs === 1 ? '' : 's'}, batch {config.batchSize},{' '}
      {config.optimizer} at {config.learningRate} ({config.schedule}), {augment || 'no augmentation'}.
    </p>
  );
}

function CompareStatus({ run }: { run: CompareRun }) {
  let status: string;
  if (run.status === 'training') {
    // Turns go by epoch, dense first: the CNN's turn whenever the dense network is an epoch ahead.
    const now: CompareMember = run.members.dense.epochs.length > run.members.cnn.epochs.length ? 'cnn' : 'dense';
    status = run.started ? `Comparing: the ${memberTitle(run, now)}'s turn` : 'Building the models';
  } else if (run.status === 'stopping') status = 'Stopping after this batch';
  else if (run.error) status = 'Failed';
  else status = run.end?.stopped ? 'Stopped' : 'Done';
  return (
    <div className="run-status compare-status">
      <p aria-live="polite">
        <strong>{status}</strong>
      </p>
      {COMPARE_MEMBERS.map((member) => {
        const m = run.members[member];
        const b = m.lastBatch;
        const total = b ? b.epochs * b.batchesPerEpoch : 0;
        const done = b ? (b.epoch - 1) * b.batchesPerEpoch + b.batch : 0;
        const title = memberTitle(run, member);
        const seconds = m.result?.seconds ?? m.epochs.at(-1)?.trainingSeconds ?? 0;
        return (
          <div key={member} className="compare-member-status" data-member={member}>
            <span className="swatch" style={{ borderColor: MEMBER_STYLE[member].color, borderStyle: MEMBER_STYLE[member].dash ? 'dashed' : 'solid' }} aria-hidden="true" />
            <span className="member-name">{title}</span>
            <progress aria-label={`${title} progress`} max={total || 1} value={b ? done : run.status === 'done' ? 1 : 0} />
            <span className="small member-line">
              {b ? `epoch ${b.epoch} of ${b.epochs}, batch ${formatInt(b.batch)} of ${formatInt(b.batchesPerEpoch)}` : 'waiting for its turn'}
              {m.parameters !== null && ` · ${formatInt(m.parameters)} parameters`}
              {seconds > 0 && ` · trained ${formatDuration(seconds)}`}
            </span>
          </div>
        );
      })}
    </div>
  );
}
