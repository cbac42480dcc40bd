/** An SVG line chart of several series with markers, on real-valued axes: every learning curve of the page. */
import { useMemo, useRef } from 'react';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { useThrottledValue } from '../hooks/useThrottledValue.ts';

export interface Point {
  x: number;
  y: number;
}

/** One model's line (its batch reports) and its markers (its test results after each epoch). */
export interface OverlaySeries {
  name: string;
  color: string;
  /** SVG stroke-dasharray: the two models differ by line style too, not by colour alone. */
  dash?: string;
  /** 'circle' or 'square' for the markers, for the same reason. */
  marker: 'circle' | 'square';
  line: Point[];
  markers: Point[];
}

const HEIGHT = 220;
const PAD = { left: 46, right: 12, top: 10, bottom: 36 };

/**
 * About `count` round tick values from 0 to at least `max`; whole numbers only when `integers`
 * (epochs: a tick at 0.5 epochs would mean nothing).
 */
function niceTicks(max: number, count = 5, integers = false): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = integers ? Math.max(1, max / count) : max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step =
    [1, 2, ...(integers && magnitude < 10 ? [] : [2.5]), 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/**
 * The one learning-curve chart of the page (LearningCurves draws every run with it, one member or
 * several). Series on shared axes whose x values are real numbers: tfjs-vis 1.5.1's linechart
 * plots every series against its index, which cannot put a fast and a slow model on one time axis.
 * Redrawn at most every 500 ms however fast the data comes.
 */
export function OverlayChart(props: {
  caption: string;
  xLabel: string;
  yLabel: string;
  /** Fixed y range (accuracy: 0–1); otherwise 0 to the largest value. */
  yMax?: number;
  formatX?: (x: number) => string;
  /** Ticks on whole x values only (epochs). */
  integerX?: boolean;
  formatY?: (y: number) => string;
  series: OverlaySeries[];
  /** One sentence for screen readers: what the lines show now. */
  description: string;
  empty: string;
}) {
  const series = useThrottledValue(props.series, 500);
  const container = useRef<HTMLDivElement>(null);
  const width = useElementWidth(container);

  const fx = props.formatX ?? ((x: number) => String(x));
  const fy = props.formatY ?? ((y: number) => String(y));
  const drawn = useMemo(() => {
    const all = series.flatMap((s) => [...s.line, ...s.markers]);
    if (all.length === 0 || width === 0) return null;
    const xTicks = niceTicks(Math.max(...all.map((p) => p.x)), 5, props.integerX);
    const yTicks = props.yMax !== undefined ? niceTicks(props.yMax) : niceTicks(Math.max(...all.map((p) => p.y)));
    const xMax = xTicks[xTicks.length - 1];
    const yMax = yTicks[yTicks.length - 1];
    const plotW = Math.max(10, width - PAD.left - PAD.right);
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const sx = (x: number) => PAD.left + (x / xMax) * plotW;
    const sy = (y: number) => PAD.top + plotH - (Math.min(Math.max(y, 0), yMax) / yMax) * plotH;
    return { xTicks, yTicks, sx, sy, plotW, plotH };
  }, [series, width, props.yMax, props.integerX]);

  const hasData = series.some((s) => s.line.length > 0 || s.markers.length > 0);
  return (
    <figure className="chart overlay-chart">
      <figcaption className="muted small">{props.caption}</figcaption>
      {!hasData && <p className="muted small chart-empty">{props.empty}</p>}
      <div ref={container} className="overlay-surface" hidden={!hasData}>
        {drawn && (
          <svg width={width} height={HEIGHT} role="img" aria-label={`${props.caption}. ${props.description}`}>
            <g className="axis" aria-hidden="true">
              {drawn.yTicks.map((t) => (
                <g key={`y${t}`}>
                  <line x1={PAD.left} x2={PAD.left + drawn.plotW} y1={drawn.sy(t)} y2={drawn.sy(t)} className="grid" />
                  <text x={PAD.left - 6} y={drawn.sy(t) + 4} textAnchor="end">
                    {fy(t)}
                  </text>
                </g>
              ))}
              {drawn.xTicks.map((t) => (
                <text key={`x${t}`} x={drawn.sx(t)} y={PAD.top + drawn.plotH + 16} textAnchor="middle">
                  {fx(t)}
                </text>
              ))}
              <text x={PAD.left + drawn.plotW / 2} y={HEIGHT - 3} textAnchor="middle" className="axis-label">
                {props.xLabel}
              </text>
              <text transform={`translate(11 ${PAD.top + drawn.plotH / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
                {props.yLabel}
              </text>
            </g>
            {series.map((s) => (
              <g key={s.name} className="series" data-series={s.name}>
                {s.line.length > 0 && (
                  <path
                    d={s.line.map((p, i) => `${i ? 'L' : 'M'}${drawn.sx(p.x).toFixed(1)},${drawn.sy(p.y).toFixed(1)}`).join('')}
                    fill="none"
                    stroke={s.color}
                    strokeWidth={1.8}
                    strokeDasharray={s.dash}
                    strokeLinejoin="round"
                  />
                )}
                {s.markers.map((p, i) =>
                  s.marker === 'circle' ? (
                    <circle key={i} cx={drawn.sx(p.x)} cy={drawn.sy(p.y)} r={4.5} fill="#fff" stroke={s.color} strokeWidth={2} />
                  ) : (
                    <rect
                      key={i}
                      x={drawn.sx(p.x) - 4}
                      y={drawn.sy(p.y) - 4}
                      width={8}
                      height={8}
                      fill="#fff"
                      stroke={s.color}
                      strokeWidth={2}
                    />
                  ),
                )}
              </g>
            ))}
          </svg>
        )}
      </div>
    </figure>
  );
}
