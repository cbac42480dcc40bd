/**
 * The learning curves of a run, one member or several overlaid: accuracy and loss, each by epoch
 * and by training time. Lines are the batch reports (training data); markers are the test set
 * after each epoch. A single model also shows its validation curve.
 */
import { useMemo } from 'react';
import type { MemberState, RunState } from '../../app/state/run-state.ts';
import { formatPercent } from '../../app/format.ts';
import { memberStyle, memberTitles, VALIDATION_STYLE, type MemberStyle } from './member-style.ts';
import { OverlayChart, type OverlaySeries, type Point } from './OverlayChart.tsx';
import './charts.css';

const MAX_LINE_POINTS = 400;

type Metric = 'accuracy' | 'loss';
type Axis = 'epoch' | 'seconds';

/** The two chart groups: accuracy on a fixed 0–100% axis, loss from 0 to its largest value. */
const METRICS: { metric: Metric; title: string; yLabel: string; yMax?: number; formatY: (y: number) => string }[] = [
  { metric: 'accuracy', title: 'Accuracy', yLabel: 'accuracy', yMax: 1, formatY: (y) => `${Math.round(y * 100)}%` },
  { metric: 'loss', title: 'Loss', yLabel: 'cross-entropy', formatY: (y) => y.toFixed(1) },
];

/** At most MAX_LINE_POINTS points, the last one kept, so a long run still draws quickly. */
function sample<T>(points: T[]): T[] {
  if (points.length <= MAX_LINE_POINTS) return points;
  const step = points.length / MAX_LINE_POINTS;
  const out: T[] = [];
  for (let i = 0; i < MAX_LINE_POINTS - 1; i++) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}

/** Beyond three minutes of training the time axis counts minutes, for round ticks. */
function timeUnit(run: RunState): { divisor: number; label: string } {
  const longest = Math.max(0, ...run.members.flatMap((m) => m.batches.map((p) => p.seconds)));
  return longest > 180 ? { divisor: 60, label: 'min' } : { divisor: 1, label: 's' };
}

function series(name: string, style: MemberStyle, line: Point[], markers: Point[]): OverlaySeries {
  return { name, color: style.color, dash: style.dash, marker: style.marker, line, markers };
}

/** A member's batch line and test markers, and for a single model its validation curve. */
function memberSeries(
  m: MemberState,
  name: string,
  style: MemberStyle,
  metric: Metric,
  axis: Axis,
  scale: number,
  withValidation: boolean,
): OverlaySeries[] {
  const xOfEpoch = (epoch: number) => (axis === 'epoch' ? epoch : m.epochs.find((e) => e.epoch === epoch)?.trainingSeconds);
  const at = (epoch: number, y: number | null): Point[] => {
    const x = xOfEpoch(epoch);
    return x === undefined || y === null ? [] : [{ x: x / scale, y }];
  };
  const line = sample(m.batches).map((p) => ({ x: p[axis] / scale, y: p[metric] }));
  const out = [
    series(
      name,
      style,
      line,
      m.evaluations.flatMap((e) => at(e.epoch, e[metric])),
    ),
  ];
  if (withValidation) {
    const valKey = metric === 'accuracy' ? 'valAccuracy' : 'valLoss';
    const points = m.epochs.flatMap((e) => at(e.epoch, e[valKey]));
    if (points.length > 0) out.push(series('validation', VALIDATION_STYLE, points, points));
  }
  return out;
}

export function LearningCurves({ run }: { run: RunState }) {
  const unit = timeUnit(run);
  const titles = memberTitles(run);
  const single = run.members.length === 1;
  const { members } = run;
  const charts = useMemo(() => {
    const names = memberTitles({ members });
    const make = (metric: Metric, axis: Axis) =>
      members.flatMap((m, i) =>
        memberSeries(m, names[i], memberStyle(i, members.length), metric, axis, axis === 'epoch' ? 1 : unit.divisor, single),
      );
    return {
      accuracy: { epoch: make('accuracy', 'epoch'), seconds: make('accuracy', 'seconds') },
      loss: { epoch: make('loss', 'epoch'), seconds: make('loss', 'seconds') },
    };
    // Recomputed when the members' records change, not on every render of the panel.
    // (run itself changes with them; its other fields do not affect the curves.)
  }, [members, unit.divisor, single]);

  const describe = (metric: Metric) =>
    run.members
      .map((m, i) => {
        const e = m.evaluations.at(-1);
        const value = e ? (metric === 'accuracy' ? formatPercent(e.accuracy) : e.loss.toFixed(3)) : 'not yet tested';
        return `${titles[i]}: test ${metric} ${value}${e ? ` after epoch ${e.epoch}` : ''}`;
      })
      .join('; ');
  const who = single ? 'The model' : 'Each model';
  const time = `training time, ${unit.label}${single ? '' : " (each model's own)"}`;

  return (
    <section className="panel" aria-labelledby="curves-heading">
      <h2 id="curves-heading">{single ? 'Learning curves' : 'Learning curves, overlaid'}</h2>
      <Legend run={run} titles={titles} />
      {METRICS.map(({ metric, title, yLabel, yMax, formatY }) => (
        <div className="chart-group" key={metric}>
          <h3>{title}</h3>
          <div className="charts">
            <OverlayChart
              caption="by epoch"
              xLabel="epoch"
              integerX
              yLabel={yLabel}
              yMax={yMax}
              formatY={formatY}
              series={charts[metric].epoch}
              description={describe(metric)}
              empty={`${who}'s ${metric} appears here as it trains.`}
            />
            <OverlayChart
              caption="by training time"
              xLabel={time}
              yLabel={yLabel}
              yMax={yMax}
              formatY={formatY}
              series={charts[metric].seconds}
              description={describe(metric)}
              empty="The same against training time."
            />
          </div>
        </div>
      ))}
      <p className="muted small">
        Lines: the training batches (each point the mean of the batches since the previous one). Markers: the 10,000 test images after each
        epoch{single ? '; the dashed line: the held-out validation images after each epoch' : ''}.
        {single
          ? ' Time counts gradient steps only, not testing.'
          : " Time counts each model's own gradient steps only, not the other model's turns."}
      </p>
    </section>
  );
}

function Legend({ run, titles }: { run: RunState; titles: string[] }) {
  const entries = run.members.map((_, i) => ({ name: titles[i], style: memberStyle(i, run.members.length) }));
  if (run.members.length === 1) entries.push({ name: 'validation', style: VALIDATION_STYLE });
  return (
    <ul className="curves-legend" aria-label="Legend">
      {entries.map(({ name, style }) => (
        <li key={name}>
          <svg width="46" height="14" aria-hidden="true">
            <line x1="2" x2="30" y1="7" y2="7" stroke={style.color} strokeWidth="2.2" strokeDasharray={style.dash} />
            {style.marker === 'circle' ? (
              <circle cx="38" cy="7" r="4.5" fill="#fff" stroke={style.color} strokeWidth="2" />
            ) : (
              <rect x="34" y="3" width="8" height="8" fill="#fff" stroke={style.color} strokeWidth="2" />
            )}
          </svg>
          {name}{' '}
          <span className="muted small">
            ({style.line} line, {style.marker === 'circle' ? 'circles' : 'squares'})
          </span>
        </li>
      ))}
    </ul>
  );
}
