/** A confusion matrix as a table of buttons: choosing a cell shows the test images behind it. */
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { CLASS_NAMES } from '../../core/classes.ts';
import { formatInt, formatPercent } from '../../app/format.ts';
import { ImageTiles } from './ImageTiles.tsx';
import { drawChart } from './tfvis.ts';

type Cell = { t: number; p: number };

const cellLabel = (t: number, p: number, count: number) =>
  `True ${CLASS_NAMES[t]}, predicted ${CLASS_NAMES[p]}: ${formatInt(count)} image${count === 1 ? '' : 's'}`;

/**
 * The confusion matrix drawn by tfjs-vis, and beside it the same counts as a table of buttons:
 * clicking a cell lists the test images of that (true, predicted) pair. `title` names it where
 * two are side by side (Compare); `chart={false}` leaves out the tfjs-vis picture to save room.
 */
export const ConfusionMatrix = memo(function ConfusionMatrix(props: {
  confusion: number[][];
  predicted: number[];
  confidence: number[];
  testLabels: Uint8Array;
  testImages: Uint8Array;
  title?: string;
  chart?: boolean;
}) {
  const { confusion } = props;
  const withChart = props.chart ?? true;
  const headingId = useId();
  const surface = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [selected, setSelected] = useState<Cell | null>(null);

  useEffect(() => {
    const el = surface.current;
    if (!el || !withChart) return;
    let live = true;
    drawChart(el, (tfvis) =>
      tfvis.render.confusionMatrix(
        el,
        { values: confusion, tickLabels: [...CLASS_NAMES] },
        { width: 340, height: 320, colorMap: 'blues', fontSize: 10 },
      ),
    ).then(
      () => live && setFailure(null),
      (e: Error) => live && setFailure(`The confusion matrix chart could not be drawn: ${e.message}.`),
    );
    return () => {
      live = false;
    };
  }, [confusion, withChart]);

  const max = useMemo(() => Math.max(1, ...confusion.flatMap((row, t) => row.filter((_, p) => p !== t))), [confusion]);
  const rowMax = useMemo(() => confusion.map((row) => Math.max(1, ...row)), [confusion]);

  const cellTiles = useMemo(() => {
    if (!selected) return [];
    const pair = `True ${CLASS_NAMES[selected.t]}, predicted ${CLASS_NAMES[selected.p]}`;
    const indices: number[] = [];
    const n = Math.min(props.predicted.length, props.testLabels.length);
    for (let i = 0; i < n; i++) {
      if (props.testLabels[i] === selected.t && props.predicted[i] === selected.p) indices.push(i);
    }
    // The most confident first, like the misclassified grid.
    indices.sort((a, b) => (props.confidence[b] ?? 0) - (props.confidence[a] ?? 0) || a - b);
    return indices.map((index) => {
      const confident = `${formatPercent(props.confidence[index] ?? 0)} confident`;
      return { index, text: `${pair} (${confident})`, caption: confident };
    });
  }, [selected, props.predicted, props.confidence, props.testLabels]);

  return (
    <section className="subpanel" aria-labelledby={headingId}>
      <h3 id={headingId}>{props.title ?? 'Confusion matrix'}</h3>
      <p className="muted small">Rows: true class. Columns: predicted class. Click a cell to see its test images.</p>
      {failure && (
        <p role="alert" className="alert">
          {failure} The table of counts still works.
        </p>
      )}
      <div className="confusion-layout">
        {withChart && <div ref={surface} className="confusion-chart" aria-hidden="true" />}
        <div className="table-scroll">
          <table className="confusion-table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">True class</span>
                </th>
                {CLASS_NAMES.map((name) => (
                  <th key={name} scope="col" className="confusion-col">
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {confusion.map((row, t) => (
                <tr key={t}>
                  <th scope="row">{CLASS_NAMES[t]}</th>
                  {row.map((count, p) => {
                    const diagonal = t === p;
                    const strength = diagonal ? count / rowMax[t] : count / max;
                    const isSelected = selected?.t === t && selected?.p === p;
                    return (
                      <td key={p}>
                        <button
                          type="button"
                          className={`cell${diagonal ? ' diagonal' : ''}${isSelected ? ' selected' : ''}`}
                          style={{ ['--strength' as string]: count === 0 ? 0 : 0.08 + 0.92 * strength }}
                          aria-label={cellLabel(t, p, count)}
                          aria-pressed={isSelected}
                          title={cellLabel(t, p, count)}
                          onClick={() => setSelected(isSelected ? null : { t, p })}
                        >
                          {formatInt(count)}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {selected && (
        <div className="cell-images" aria-live="polite">
          <h4>
            True {CLASS_NAMES[selected.t]}, predicted {CLASS_NAMES[selected.p]}: {formatInt(cellTiles.length)} image
            {cellTiles.length === 1 ? '' : 's'}{' '}
            <button type="button" className="link-button" onClick={() => setSelected(null)}>
              Close
            </button>
          </h4>
          {cellTiles.length === 0 ? (
            <p className="muted small">No test images here.</p>
          ) : (
            <ImageTiles
              key={`${selected.t}-${selected.p}`}
              images={props.testImages}
              tiles={cellTiles}
              label={`Test images of true ${CLASS_NAMES[selected.t]}, predicted ${CLASS_NAMES[selected.p]}`}
            />
          )}
        </div>
      )}
    </section>
  );
});
