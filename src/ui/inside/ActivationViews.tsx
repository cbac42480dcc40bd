/** What each layer makes of the picture: feature maps as tile grids (strongest first), dense layers as bars. */
import { useCallback, useState } from 'react';
import type { DenseValues, FeatureMaps } from '../../core/inside/inspector.ts';
import { paintBars, paintMaps } from './paint.ts';
import { PaintedCanvas } from './PaintedCanvas.tsx';
import { capitalised, className } from './words.ts';

/** Maps shown before "Show all": two rows of the grid. */
const FIRST_MAPS = 16;

const sizeOf = (m: FeatureMaps) => `${m.height} × ${m.width}`;

/** @param named the image's name (default "Activations of <layer>") */
export function MapGrid({ maps, named }: { maps: FeatureMaps; named?: string }) {
  const [all, setAll] = useState(false);
  const many = maps.channels > FIRST_MAPS;
  const channels = all || !many ? maps.order : maps.order.slice(0, FIRST_MAPS);
  const paint = useCallback((canvas: HTMLCanvasElement) => paintMaps(canvas, maps, channels), [maps, channels]);
  const what = maps.stage.kind === 'conv' ? 'filter' : 'map, pooled';
  return (
    <figure className="inside-grid" data-stage={maps.stage.name}>
      <figcaption>
        <strong>{capitalised(maps.stage.label)}</strong>{' '}
        <span className="muted small">
          {maps.channels} maps of {sizeOf(maps)}
          {many && !all ? `, the ${FIRST_MAPS} strongest shown` : ', strongest first'}
        </span>
      </figcaption>
      <PaintedCanvas
        label={named ?? `Activations of ${maps.stage.label}`}
        paint={paint}
        className="pixelated"
        scale={maps.width >= 14 ? 2 : 4}
        title={`Layer ${maps.stage.name}: one ${what} per tile`}
      />
      {many && (
        <button type="button" className="link-button small" aria-pressed={all} onClick={() => setAll((a) => !a)}>
          {all ? `Show the ${FIRST_MAPS} strongest` : `Show all ${maps.channels}`}
        </button>
      )}
    </figure>
  );
}

export function DenseBars({ dense }: { dense: DenseValues }) {
  const { values } = dense;
  const barWidth = values.length <= 16 ? 12 : values.length <= 64 ? 4 : 2;
  const paint = useCallback((canvas: HTMLCanvasElement) => paintBars(canvas, values, barWidth, 48), [values, barWidth]);
  const top = dense.logits
    ? Array.from(values.keys())
        .sort((a, b) => values[b] - values[a])
        .slice(0, 3)
    : [];
  return (
    <figure className="inside-bars" data-stage={dense.stage.name}>
      <figcaption>
        <strong>{capitalised(dense.stage.label)}</strong>{' '}
        <span className="muted small">{dense.logits ? 'the ten class scores before softmax' : `${values.length} units`}</span>
      </figcaption>
      <PaintedCanvas
        label={`Activations of ${dense.stage.label}`}
        paint={paint}
        className={values.length <= 16 ? 'bars-few' : 'bars-many'}
        title={`Layer ${dense.stage.name}`}
      />
      {dense.logits && <p className="muted small">Highest: {top.map((c) => `${className(c)} ${values[c].toFixed(1)}`).join(', ')}.</p>}
    </figure>
  );
}
