/** What the model has learnt, from its weights alone: the first convolution's filters, later layers' weight spreads. */
import { useCallback } from 'react';
import type { Filters, WeightHistogram, WeightViews as Weights } from '../../core/inside/weights.ts';
import { capitalised } from './words.ts';
import { paintFilters, paintHistogram } from './paint.ts';
import { PaintedCanvas } from './PaintedCanvas.tsx';

function FilterGrid({ filters }: { filters: Filters }) {
  const paint = useCallback((canvas: HTMLCanvasElement) => paintFilters(canvas, filters), [filters]);
  return (
    <figure className="inside-grid">
      <figcaption>
        <strong>{capitalised(filters.stage.label)}</strong>{' '}
        <span className="muted small">
          {filters.count} filters of {filters.height} × {filters.width} pixels
        </span>
      </figcaption>
      <PaintedCanvas
        label={`Filters of ${filters.stage.label}`}
        paint={paint}
        className="pixelated"
        scale={filters.width <= 5 ? 8 : 4}
        title={`Layer ${filters.stage.name}`}
      />
    </figure>
  );
}

function Histogram({ histogram }: { histogram: WeightHistogram }) {
  const paint = useCallback((canvas: HTMLCanvasElement) => paintHistogram(canvas, histogram.counts, 48), [histogram]);
  return (
    <figure className="inside-histogram">
      <figcaption className="small">
        <strong>{capitalised(histogram.stage.label)}</strong>{' '}
        <span className="muted">
          {histogram.total.toLocaleString('en')} weights, ±{histogram.range.toFixed(2)}
        </span>
      </figcaption>
      <PaintedCanvas
        label={`Weights of ${histogram.stage.label}`}
        paint={paint}
        title={`Layer ${histogram.stage.name}: how many weights fall between −${histogram.range.toFixed(2)} (left) and +${histogram.range.toFixed(2)} (right)`}
      />
    </figure>
  );
}

export function WeightViews({ weights }: { weights: Weights }) {
  return (
    <div className="inside-weights">
      {weights.filters && (
        <>
          <p className="muted small">
            The patterns the first layer looks for: each filter slides over the picture and lights up where the picture looks like it.
            Orange weights add brightness, blue ones take it away.
          </p>
          <FilterGrid filters={weights.filters} />
        </>
      )}
      {weights.histograms.length > 0 && (
        <>
          <p className="muted small">
            Deeper layers mix many maps at once, so their filters read as noise when drawn. Instead, how each layer&apos;s weights spread
            from negative (left) to positive (right): a layer that has learnt little stays a narrow peak.
          </p>
          <div className="inside-histograms">
            {weights.histograms.map((h) => (
              <Histogram key={h.stage.name} histogram={h} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
