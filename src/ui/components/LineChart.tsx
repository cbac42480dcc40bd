import { useEffect, useRef, useState } from 'react';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { useThrottledValue } from '../hooks/useThrottledValue.ts';
import { drawChart } from './tfvis.ts';

/** One line; all series of a chart share the x positions 0, 1, 2, … (null = no point there). */
export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

/**
 * A tfjs-vis line chart drawn into this component's own element, redrawn at most every 500 ms
 * (and when its width changes) and only when its numbers changed, through the one chart queue.
 *
 * tfjs-vis 1.5.1 plots every series against its index (it ignores the points' x), so callers pass
 * series on one shared grid; vega-lite leaves out the nulls and joins the points around them.
 */
export function LineChart(props: { caption: string; xLabel: string; yLabel: string; series: Series[]; empty: string }) {
  const container = useRef<HTMLDivElement>(null);
  const series = useThrottledValue(props.series, 500);
  const width = useElementWidth(container);
  const [failure, setFailure] = useState<string | null>(null);
  const visible = series.filter((s) => s.values.some((v) => v !== null));
  const hasLine = visible.some((s) => s.values.filter((v) => v !== null).length >= 2);

  // The key of what is on screen: a throttled update with the same numbers draws nothing.
  const drawn = useRef('');

  useEffect(() => {
    const el = container.current;
    const shown = series.filter((s) => s.values.some((v) => v !== null));
    if (!el || width === 0 || shown.length === 0) return;
    const key = JSON.stringify([shown, width, props.xLabel, props.yLabel]);
    if (key === drawn.current) return;
    let live = true;
    const length = Math.max(...shown.map((s) => s.values.length));
    drawChart(el, (tfvis) => {
      drawn.current = key;
      return tfvis.render.linechart(
        el,
        {
          // y: null is what vega-lite skips; the Point2D type does not admit it.
          values: shown.map((s) => Array.from({ length }, (_, x) => ({ x, y: (s.values[x] ?? null) as unknown as number }))),
          series: shown.map((s) => s.name),
        },
        {
          width,
          height: 200,
          xLabel: props.xLabel,
          yLabel: props.yLabel,
          zoomToFit: true,
          seriesColors: shown.map((s) => s.color),
          fontSize: 11,
        },
      );
    }).then(
      () => live && setFailure(null),
      (e: Error) => {
        drawn.current = '';
        if (live) setFailure(`The chart ${props.caption} could not be drawn: ${e.message}.`);
      },
    );
    return () => {
      live = false;
    };
  }, [series, width, props.xLabel, props.yLabel, props.caption]);

  return (
    <figure className="chart">
      <figcaption className="muted small">{props.caption}</figcaption>
      {failure && (
        <p role="alert" className="alert">
          {failure} The numbers stay right; reload the page to retry.
        </p>
      )}
      {!hasLine && <p className="muted small chart-empty">{props.empty}</p>}
      <div ref={container} className="chart-surface" hidden={visible.length === 0} />
    </figure>
  );
}
