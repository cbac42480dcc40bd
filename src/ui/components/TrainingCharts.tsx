import { useMemo } from 'react';
import type { BatchPoint, RunState } from '../../app/state/page-state.ts';
import { formatDuration, formatPercent } from './format.ts';
import { LineChart, type Series } from './LineChart.tsx';

const COLORS = { batch: '#7d93b8', train: '#2f5fa7', validation: '#d9822b', test: '#3c8d5a' };
const MAX_POINTS = 300;

/** At most MAX_POINTS bucket means, the last point exact so the line ends where training is. */
function downsample(points: BatchPoint[], key: 'loss' | 'accuracy'): number[] {
  if (points.length <= MAX_POINTS) return points.map((p) => p[key]);
  const size = points.length / MAX_POINTS;
  const out: number[] = [];
  for (let b = 0; b < MAX_POINTS; b++) {
    const from = Math.floor(b * size);
    const to = Math.max(from + 1, Math.floor((b + 1) * size));
    let sum = 0;
    for (let i = from; i < to; i++) sum += points[i][key];
    out.push(sum / (to - from));
  }
  out[out.length - 1] = points[points.length - 1][key];
  return out;
}

/**
 * Live "Loss" and "Accuracy": each per batch (as the worker reports them) and per epoch (train,
 * validation and test), plus the epoch history as a table.
 */
export function TrainingCharts({ run }: { run: RunState | null }) {
  const charts = useMemo(() => {
    const batches = run?.batches ?? [];
    const epochs = run?.epochs ?? [];
    const evaluations = run?.evaluations ?? [];
    const last = Math.max(0, ...epochs.map((e) => e.epoch), ...evaluations.map((e) => e.epoch));
    // Index = epoch number; index 0 (before training) stays empty.
    const byEpoch = (value: (epoch: number) => number | null | undefined) =>
      Array.from({ length: last + 1 }, (_, i) => (i === 0 ? null : (value(i) ?? null)));
    const make = (key: 'loss' | 'accuracy') => {
      const valKey = key === 'loss' ? 'valLoss' : 'valAccuracy';
      const perBatch: Series[] = [{ name: `batch ${key}`, color: COLORS.batch, values: downsample(batches, key) }];
      const perEpoch: Series[] = [
        { name: `train ${key}`, color: COLORS.train, values: byEpoch((n) => epochs.find((e) => e.epoch === n)?.[key]) },
        {
          name: `validation ${key}`,
          color: COLORS.validation,
          values: byEpoch((n) => epochs.find((e) => e.epoch === n)?.[valKey]),
        },
        { name: `test ${key}`, color: COLORS.test, values: byEpoch((n) => evaluations.find((e) => e.epoch === n)?.[key]) },
      ];
      return { perBatch, perEpoch };
    };
    return { loss: make('loss'), accuracy: make('accuracy') };
  }, [run?.batches, run?.epochs, run?.evaluations]);
  // A one-epoch run (the Quick preset) has one point per line: a chart would stay an empty frame.
  const oneEpoch = run?.config.epochs === 1;

  return (
    <section className="panel" aria-labelledby="charts-heading">
      <h2 id="charts-heading" className="visually-hidden">
        Learning curves
      </h2>
      <ChartGroup
        title="Loss"
        yLabel="cross-entropy"
        series={charts.loss}
        batchEmpty="The loss of each batch appears as training starts."
        epochEmpty="Train, validation and test loss: a line from the second epoch on."
        oneEpoch={oneEpoch}
      />
      <ChartGroup
        title="Accuracy"
        yLabel="accuracy"
        series={charts.accuracy}
        batchEmpty="The accuracy of each batch appears as training starts."
        epochEmpty="Train, validation and test accuracy: a line from the second epoch on."
        oneEpoch={oneEpoch}
      />
      {run && run.epochs.length > 0 && <EpochTable run={run} />}
    </section>
  );
}

/** One metric's two charts: every batch report, and the per-epoch train/validation/test lines. */
function ChartGroup(props: {
  title: string;
  yLabel: string;
  series: { perBatch: Series[]; perEpoch: Series[] };
  batchEmpty: string;
  epochEmpty: string;
  /** One planned epoch: no per-epoch chart, its figures are in the epoch table. */
  oneEpoch: boolean;
}) {
  return (
    <div className="chart-group">
      <h3>{props.title}</h3>
      <div className="charts">
        <LineChart caption="per batch report" xLabel="batch report" yLabel={props.yLabel} series={props.series.perBatch} empty={props.batchEmpty} />
        {props.oneEpoch ? (
          <p className="muted one-epoch-note">One epoch: its train, validation and test figures are in the table below.</p>
        ) : (
          <LineChart caption="per epoch" xLabel="epoch" yLabel={props.yLabel} series={props.series.perEpoch} empty={props.epochEmpty} />
        )}
      </div>
    </div>
  );
}

function EpochTable({ run }: { run: RunState }) {
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : formatPercent(x));
  const num = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3));
  return (
    <div className="table-scroll">
      <table className="epochs">
        <caption className="muted small">Epochs</caption>
        <thead>
          <tr>
            <th scope="col">Epoch</th>
            <th scope="col" className="num">Train loss</th>
            <th scope="col" className="num">Train acc.</th>
            <th scope="col" className="num">Val. loss</th>
            <th scope="col" className="num">Val. acc.</th>
            <th scope="col" className="num">Test acc.</th>
            <th scope="col" className="num">Time</th>
          </tr>
        </thead>
        <tbody>
          {run.epochs.map((e) => (
            <tr key={e.epoch}>
              <th scope="row">{e.epoch}</th>
              <td className="num">{num(e.loss)}</td>
              <td className="num">{pct(e.accuracy)}</td>
              <td className="num">{num(e.valLoss)}</td>
              <td className="num">{pct(e.valAccuracy)}</td>
              <td className="num">{pct(run.evaluations.find((v) => v.epoch === e.epoch)?.accuracy)}</td>
              <td className="num">{formatDuration(e.seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
