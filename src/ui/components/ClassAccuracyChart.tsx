/** Accuracy per class as an SVG bar chart, drawn by React like the page's other charts. */
import { memo, useId, useMemo, useRef } from 'react';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { classAccuracyBars } from './chart-data.ts';

const ROW = 20;
const BAR = 13;
const PAD = { left: 84, right: 48, top: 6, bottom: 34 };
const TICKS = [0, 25, 50, 75, 100];

/**
 * The share of each class's test images the model gets right (the report's recall), one bar per
 * class in the dataset's order (T-shirt/top … Ankle boot), as the confusion matrix lists them.
 * Drawn as SVG by React: no chart library, nothing evaluated at run time, so it draws under a
 * strict Content-Security-Policy. The figure carries the numbers in `data-accuracy`, and the
 * report below has them as text.
 */
export const ClassAccuracyChart = memo(function ClassAccuracyChart({ confusion }: { confusion: number[][] }) {
  const headingId = useId();
  const frame = useRef<HTMLDivElement>(null);
  const width = Math.min(560, useElementWidth(frame));
  const bars = useMemo(() => classAccuracyBars(confusion), [confusion]);
  const height = PAD.top + bars.length * ROW + PAD.bottom;
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const sx = (percent: number) => PAD.left + (Math.min(Math.max(percent, 0), 100) / 100) * plotW;
  const description = bars.map((b) => `${b.index} ${b.value.toFixed(1)}%`).join(', ');

  return (
    <section className="subpanel" aria-labelledby={headingId}>
      <h3 id={headingId}>Accuracy per class</h3>
      <p className="muted small">The share of each class's test images the model gets right (recall in the report below).</p>
      <div ref={frame} className="class-accuracy" data-accuracy={JSON.stringify(bars)}>
        {width > 0 && (
          <svg className="class-accuracy-chart" width={width} height={height} role="img" aria-label={`Accuracy per class: ${description}.`}>
            <g className="axis" aria-hidden="true">
              {TICKS.map((t) => (
                <g key={t}>
                  <line x1={sx(t)} x2={sx(t)} y1={PAD.top} y2={PAD.top + bars.length * ROW} className="grid" />
                  <text x={sx(t)} y={PAD.top + bars.length * ROW + 14} textAnchor="middle">
                    {t}
                  </text>
                </g>
              ))}
              <text x={PAD.left + plotW / 2} y={height - 4} textAnchor="middle" className="axis-label">
                accuracy (%)
              </text>
            </g>
            {bars.map((b, i) => {
              const y = PAD.top + i * ROW;
              return (
                <g key={b.index} className="class-bar" data-class={b.index}>
                  <title>{`${b.index}: ${b.value.toFixed(1)}% of its test images right`}</title>
                  <text x={PAD.left - 6} y={y + ROW / 2 + 4} textAnchor="end" className="class-name">
                    {b.index}
                  </text>
                  <rect x={PAD.left} y={y + (ROW - BAR) / 2} width={Math.max(0, sx(b.value) - PAD.left)} height={BAR} fill="#2f5fa7" />
                  <text x={sx(b.value) + 4} y={y + ROW / 2 + 4} className="class-value">
                    {b.value.toFixed(1)}
                  </text>
                </g>
              );
            })}
          </svg>
        )}
      </div>
    </section>
  );
});
