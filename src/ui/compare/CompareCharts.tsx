import { useMemo } from 'react';
import { COMPARE_MEMBERS, type CompareMember } from '../../core/compare.ts';
import { MODEL_CATALOG } from '../../core/models/catalog.ts';
import { formatPercent } from '../components/format.ts';
import type { CompareRun, ComparePoint } from '../../app/state/compare-state.ts';
import { OverlayChart, type OverlaySeries, type Point } from './OverlayChart.tsx';

/** The two models' colours and line styles, everywhere in Compare mode. */
export const MEMBER_STYLE: Record<CompareMember, { color: string; dash?: string; marker: 'circle' | 'square'; line: string }> = {
  dense: { color: '#c0622b', dash: '6 4', marker: 'square', line: 'dashed' },
  cnn: { color: '#2f5fa7', marker: 'circle', line: 'solid' },
};

const MAX_LINE_POINTS = 400;

/** At most MAX_LINE_POINTS points, the last one kept, so a long run still draws quickly. */
function sample(points: ComparePoint[]): ComparePoint[] {
  if (points.length <= MAX_LINE_POINTS) return points;
  const step = points.length / MAX_LINE_POINTS;
  const out: ComparePoint[] = [];
  for (let i = 0; i < MAX_LINE_POINTS - 1; i++) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}

export function memberTitle(run: CompareRun, member: CompareMember): string {
  return MODEL_CATALOG[run.members[member].model].title;
}

/** Beyond three minutes of training the time axis counts minutes, for round ticks. */
function timeUnit(run: CompareRun): { divisor: number; label: string } {
  const longest = Math.max(0, ...COMPARE_MEMBERS.flatMap((m) => run.members[m].batches.map((p) => p.seconds)));
  return longest > 180 ? { divisor: 60, label: 'min' } : { divisor: 1, label: 's' };
}

/**
 * The two models' learning curves overlaid: accuracy and loss, each by epoch and by training time.
 * Lines are the batch reports (training data); markers are the test set after each epoch.
 */
export function CompareCharts({ run }: { run: CompareRun }) {
  const unit = timeUnit(run);
  const charts = useMemo(() => {
    const make = (metric: 'accuracy' | 'loss', axis: 'epoch' | 'seconds'): OverlaySeries[] =>
      COMPARE_MEMBERS.map((member) => {
        const m = run.members[member];
        const style = MEMBER_STYLE[member];
        const scale = axis === 'epoch' ? 1 : unit.divisor;
        const line: Point[] = sample(m.batches).map((p) => ({ x: p[axis] / scale, y: p[metric] }));
        const markers: Point[] = m.evaluations.flatMap((e) => {
          const epoch = m.epochs.find((x) => x.epoch === e.epoch);
          const x = axis === 'epoch' ? e.epoch : epoch?.trainingSeconds;
          return x === undefined ? [] : [{ x: x / scale, y: e[metric] }];
        });
        return { name: memberTitle(run, member), color: style.color, dash: style.dash, marker: style.marker, line, markers };
      });
    return {
      accuracyByEpoch: make('accuracy', 'epoch'),
      accuracyByTime: make('accuracy', 'seconds'),
      lossByEpoch: make('loss', 'epoch'),
      lossByTime: make('loss', 'seconds'),
    };
  }, [run, unit.divisor]);

  const latest = (member: CompareMember) => run.members[member].evaluations.at(-1);
  const describe = (metric: 'accuracy' | 'loss') =>
    COMPARE_MEMBERS.map((member) => {
      const e = latest(member);
      const value = e ? (metric === 'accuracy' ? formatPercent(e.accuracy) : e.loss.toFixed(3)) : 'not yet tested';
      return `${memberTitle(run, member)}: test ${metric} ${value}${e ? ` after epoch ${e.epoch}` : ''}`;
    }).join('; ');

  return (
    <section className="panel" aria-labelledby="compare-curves-heading">
      <h2 id="compare-curves-heading">Learning curves, overlaid</h2>
      <Legend run={run} />
      <div className="chart-group">
        <h3>Accuracy</h3>
        <div className="charts">
          <OverlayChart
            caption="by epoch"
            xLabel="epoch"
            yLabel="accuracy"
            yMax={1}
            formatY={(y) => `${Math.round(y * 100)}%`}
            series={charts.accuracyByEpoch}
            description={describe('accuracy')}
            empty="Both models' accuracy appears here as they train."
          />
          <OverlayChart
            caption="by training time"
            xLabel={`training time, ${unit.label} (each model's own)`}
            yLabel="accuracy"
            yMax={1}
            formatY={(y) => `${Math.round(y * 100)}%`}
            series={charts.accuracyByTime}
            description={describe('accuracy')}
            empty="The same against each model's training time."
          />
        </div>
      </div>
      <div className="chart-group">
        <h3>Loss</h3>
        <div className="charts">
          <OverlayChart
            caption="by epoch"
            xLabel="epoch"
            yLabel="cross-entropy"
            formatY={(y) => y.toFixed(1)}
            series={charts.lossByEpoch}
            description={describe('loss')}
            empty="Both models' loss appears here as they train."
          />
          <OverlayChart
            caption="by training time"
            xLabel={`training time, ${unit.label} (each model's own)`}
            yLabel="cross-entropy"
            formatY={(y) => y.toFixed(1)}
            series={charts.lossByTime}
            description={describe('loss')}
            empty="The same against each model's training time."
          />
        </div>
      </div>
      <p className="muted small">
        Lines: the training batches (each point the mean of the batches since the previous one). Markers: the 10,000 test
        images after each epoch. Time counts each model's own gradient steps only, not the other model's turns.
      </p>
    </section>
  );
}

function Legend({ run }: { run: CompareRun }) {
  return (
    <ul className="compare-legend" aria-label="Legend">
      {COMPARE_MEMBERS.map((member) => {
        const style = MEMBER_STYLE[member];
        return (
          <li key={member}>
            <svg width="46" height="14" aria-hidden="true">
              <line x1="2" x2="30" y1="7" y2="7" stroke={style.color} strokeWidth="2.2" strokeDasharray={style.dash} />
              {style.marker === 'circle' ? (
                <circle cx="38" cy="7" r="4.5" fill="#fff" stroke={style.color} strokeWidth="2" />
              ) : (
                <rect x="34" y="3" width="8" height="8" fill="#fff" stroke={style.color} strokeWidth="2" />
              )}
            </svg>
            {memberTitle(run, member)}{' '}
            <span className="muted small">
              ({style.line} line, {style.marker === 'circle' ? 'circles' : 'squares'})
            </span>
          </li>
        );
      })}
    </ul>
  );
}
