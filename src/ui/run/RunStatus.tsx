/** How a run is going: its state in words, and per member a progress bar, epoch and batch, speed and time left. */
import { isRunning, runTimes, trainedSeconds, type RunState } from '../../app/state/run-state.ts';
import { memberStyle, memberTitles } from '../charts/member-style.ts';
import { formatDuration, formatInt } from '../../app/format.ts';
import { replayMode } from '../replay-mode.ts';

/** The member whose turn it is: the first that has trained fewest epochs and has some left. */
function turnOf(run: RunState): number {
  let turn = 0;
  run.members.forEach((m, i) => {
    if (m.epochs.length < run.members[turn].epochs.length) turn = i;
  });
  return turn;
}

function statusText(run: RunState, titles: string[]): string {
  const single = run.members.length === 1;
  if (run.status === 'training') {
    if (!run.started) return single ? 'Building the model' : 'Building the models';
    return single ? 'Training' : `Comparing: the ${titles[turnOf(run)]}'s turn`;
  }
  if (run.status === 'stopping') return 'Stopping after this batch';
  if (run.error) return 'Failed';
  return `${run.end?.stopped ? 'Stopped' : 'Done'}${timeText(run)}`;
}

/**
 * " in 9 s from the click: 4 s training, 5 s building and testing": the whole wait, then the part
 * the progress line counts ("trained 4 s") and the rest (building the model, testing it, handing
 * it to the page).
 */
function timeText(run: RunState): string {
  const { sinceClick, training } = runTimes(run);
  const word = run.end?.stopped ? 'after' : 'in';
  if (sinceClick === null) return training > 0 ? ` ${word} ${formatDuration(training)} of training` : '';
  const other = Math.max(0, sinceClick - training);
  return ` ${word} ${formatDuration(sinceClick)} from the click: ${formatDuration(training)} training, ${formatDuration(other)} building and testing`;
}

export function RunStatus({ run }: { run: RunState }) {
  const titles = memberTitles(run);
  const single = run.members.length === 1;
  return (
    <div className="run-status">
      <p aria-live="polite">
        {replayMode && <span className="replay-badge">Replay</span>}
        <strong>{statusText(run, titles)}</strong>
      </p>
      {run.members.map((m, i) => {
        const b = m.lastBatch;
        const total = b ? b.epochs * b.batchesPerEpoch : 0;
        const done = b ? (b.epoch - 1) * b.batchesPerEpoch + b.batch : 0;
        const style = memberStyle(i, run.members.length);
        const seconds = trainedSeconds(m);
        const speed = m.result?.imagesPerSecond ?? b?.imagesPerSecond;
        const running = run.status === 'training' && b && b.epoch <= b.epochs && !m.result;
        return (
          <div key={i} className={single ? 'member-status single' : 'member-status'} data-member={i}>
            {!single && (
              <>
                <span
                  className="swatch"
                  style={{ borderColor: style.color, borderStyle: style.dash ? 'dashed' : 'solid' }}
                  aria-hidden="true"
                />
                <span className="member-name">{titles[i]}</span>
              </>
            )}
            <progress
              aria-label={single ? 'Training progress' : `${titles[i]} progress`}
              max={total || 1}
              value={b ? done : run.status === 'done' ? 1 : undefined}
            />
            <span className="small member-line">
              {b
                ? `epoch ${b.epoch} of ${b.epochs}, batch ${formatInt(b.batch)} of ${formatInt(b.batchesPerEpoch)}`
                : isRunning(run)
                  ? 'waiting for its turn'
                  : 'not started'}
              {m.parameters !== null && ` · ${formatInt(m.parameters)} parameters`}
              {seconds > 0 && ` · trained ${formatDuration(seconds)}`}
              {speed !== undefined && ` · ${formatInt(speed)} images/s`}
              {running && ` · ${formatDuration(b.etaSeconds)} left`}
            </span>
          </div>
        );
      })}
      {run.members.map((m, i) =>
        m.diverged ? (
          <p key={`diverged-${i}`} role="alert" className="alert diverged">
            {single ? 'This run' : titles[i]} went wrong: {m.diverged}.
          </p>
        ) : null,
      )}
    </div>
  );
}
