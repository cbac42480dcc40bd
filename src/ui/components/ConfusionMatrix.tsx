/** A confusion matrix as a heatmap of buttons: choosing a cell shows the test images behind it. */
import { memo, useId, useMemo, useState } from 'react';
import { CLASS_NAMES, SHORT_CLASS_NAMES, type ClassName } from '../../core/classes.ts';
import { formatInt, formatPercent } from '../../app/format.ts';
import { ImageTiles } from './ImageTiles.tsx';
import {
  cellColours,
  css,
  EMPTY_CELL,
  EMPTY_TEXT,
  heatmapScale,
  MISTAKE_RAMP,
  rampGradient,
  RIGHT_RAMP,
  type HeatmapScale,
} from './heatmap.ts';
import { TableScroll } from './TableScroll.tsx';

type Cell = { t: number; p: number };

const cellLabel = (t: number, p: number, count: number) =>
  `True ${CLASS_NAMES[t]}, predicted ${CLASS_NAMES[p]}: ${formatInt(count)} image${count === 1 ? '' : 's'}`;

/**
 * The confusion matrix, rows the true class and columns the predicted one, as a table of buttons
 * shaded as a heatmap: right answers (the diagonal) on a blue scale up to the largest class,
 * mistakes on an orange scale up to the largest mistake, each cell's text black or white for
 * contrast, and a legend. Clicking a cell lists the test images of that (true, predicted) pair.
 * `title` names it where two are side by side (Compare), and `scale` then gives both one scale.
 */
export const ConfusionMatrix = memo(function ConfusionMatrix(props: {
  confusion: number[][];
  predicted: number[];
  confidence: number[];
  testLabels: Uint8Array;
  testImages: Uint8Array;
  title?: string;
  /** The scales' tops when shared with another matrix; by default this matrix's own. */
  scale?: HeatmapScale;
}) {
  const { confusion } = props;
  const headingId = useId();
  const [selected, setSelected] = useState<Cell | null>(null);

  const own = useMemo(() => heatmapScale([confusion]), [confusion]);
  const scale = props.scale ?? own;
  const { rightMax, mistakeMax } = scale;

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
      <p className="muted small">Rows: the true class. Columns: the class the model predicted. Click a cell to see its test images.</p>
      <ul className="heatmap-legend" aria-label={props.scale ? 'Colour scale, the same in both matrices' : 'Colour scale'}>
        <li>
          <span className="legend-name">Right (diagonal)</span>
          <span className="legend-end">1</span>
          <span className="legend-ramp" aria-hidden="true" style={{ background: rampGradient(RIGHT_RAMP) }} />
          <span className="legend-end">{formatInt(rightMax)} images</span>
        </li>
        <li>
          <span className="legend-name">Mistaken</span>
          <span className="legend-end">1</span>
          <span className="legend-ramp" aria-hidden="true" style={{ background: rampGradient(MISTAKE_RAMP) }} />
          <span className="legend-end">{formatInt(mistakeMax)} images</span>
        </li>
        <li>
          <span className="legend-name">None</span>
          <span className="legend-swatch" aria-hidden="true" style={{ background: css(EMPTY_CELL), color: EMPTY_TEXT }}>
            0
          </span>
        </li>
      </ul>
      <TableScroll label="Confusion matrix">
        <table className="confusion-table">
          <thead>
            <tr>
              <td />
              <th scope="colgroup" colSpan={CLASS_NAMES.length} className="axis-title">
                Predicted class →
              </th>
            </tr>
            <tr>
              <th scope="col" className="axis-title corner">
                True class ↓
              </th>
              {CLASS_NAMES.map((name) => (
                <th key={name} scope="col" className="confusion-col">
                  <ClassLabel name={name} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {confusion.map((row, t) => (
              <tr key={t}>
                <th scope="row">
                  <ClassLabel name={CLASS_NAMES[t]} />
                </th>
                {row.map((count, p) => {
                  const diagonal = t === p;
                  const isSelected = selected?.t === t && selected?.p === p;
                  return (
                    <td key={p}>
                      <button
                        type="button"
                        className={`cell${diagonal ? ' diagonal' : ''}${count === 0 ? ' empty' : ''}${isSelected ? ' selected' : ''}`}
                        style={cellColours(count, diagonal, scale)}
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
      </TableScroll>
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

/**
 * A class's name in the matrix's headers: on a phone the short one shows ("Boot"), while screen
 * readers and wider screens get the whole name.
 */
function ClassLabel({ name }: { name: ClassName }) {
  const short = SHORT_CLASS_NAMES[name];
  if (short === name) return <>{name}</>;
  return (
    <>
      <span className="class-long">{name}</span>
      <span className="class-short" aria-hidden="true">
        {short}
      </span>
    </>
  );
}
