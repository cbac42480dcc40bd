/** Accuracy per class as a bar chart, drawn by tfjs-vis (vega-lite: axes, labels and tooltips for free). */
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { classAccuracyBars } from './chart-data.ts';
import { drawChart } from './tfvis.ts';

/**
 * The share of each class's test images the model gets right (the report's recall), one bar per
 * class. The figure carries the numbers in `data-accuracy`, and the report below has them as text.
 */
export const ClassAccuracyChart = memo(function ClassAccuracyChart({ confusion }: { confusion: number[][] }) {
  const headingId = useId();
  const frame = useRef<HTMLDivElement>(null);
  const surface = useRef<HTMLDivElement>(null);
  const width = useElementWidth(frame);
  const bars = useMemo(() => classAccuracyBars(confusion), [confusion]);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const el = surface.current;
    if (!el || width === 0) return;
    let live = true;
    drawChart(el, (tfvis) =>
      tfvis.render.barchart(el, bars as unknown as { index: number; value: number }[], {
        width: Math.min(560, width),
        height: 180,
        xLabel: '',
        yLabel: 'accuracy (%)',
        fontSize: 11,
        color: '#2f5fa7',
      }),
    ).then(
      () => live && setFailure(null),
      (e: Error) => live && setFailure(`The chart could not be drawn: ${e.message}.`),
    );
    return () => {
      live = false;
    };
  }, [bars, width]);

  return (
    <section className="subpanel" aria-labelledby={headingId}>
      <h3 id={headingId}>Accuracy per class</h3>
      <p className="muted small">The share of each class's test images the model gets right (recall in the report below).</p>
      {failure && (
        <p role="alert" className="alert">
          {failure} The report below has the same numbers.
        </p>
      )}
      <div ref={frame} className="class-accuracy" data-accuracy={JSON.stringify(bars)}>
        <div ref={surface} className="class-accuracy-chart" aria-hidden="true" />
      </div>
    </section>
  );
});
