/** "Layers of <model>": the selected network's layers, output shapes and parameters, by tfjs-vis. */
import { useEffect, useRef, useState } from 'react';
import { MODEL_CATALOG, type ModelName } from '../../core/models/catalog.ts';
import { asSentence, formatInt } from '../../app/format.ts';
import { drawChart } from './tfvis.ts';

type Shown = { model: ModelName; layers: number; parameters: number } | { model: ModelName; error: string };

/**
 * A collapsible table of the model's layers. Nothing is built until it is opened: then the model
 * is built untrained with the page's tfjs (src/app/model-layers.ts), tfjs-vis's modelSummary
 * tabulates it, and it is disposed. Picking another model while open redraws it.
 */
export function ModelLayers({ model }: { model: ModelName }) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const surface = useRef<HTMLDivElement>(null);
  const title = MODEL_CATALOG[model].title;

  useEffect(() => {
    const el = surface.current;
    if (!open || !el) return;
    let live = true;
    drawChart(el, async (tfvis) => {
      const { withModel } = await import('../../app/model-layers.ts');
      const shape = await withModel(model, async (m, shape) => {
        await tfvis.show.modelSummary(el, m);
        return shape;
      });
      if (live) setShown({ model, ...shape });
    }).catch((e: Error) => live && setShown({ model, error: e.message }));
    return () => {
      live = false;
    };
  }, [open, model]);

  const current = shown?.model === model ? shown : null;
  return (
    <details className="model-layers" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Layers of {title}</summary>
      {current && 'error' in current ? (
        <p role="alert" className="alert">
          {asSentence(`The layers could not be listed: ${current.error}`)}
        </p>
      ) : (
        <p className="muted small" aria-live="polite">
          {current
            ? `${formatInt(current.layers)} layers, ${formatInt(current.parameters)} parameters. Output shapes are per batch: [batch, height, width, channels] or [batch, units].`
            : 'Building the model to list its layers…'}
        </p>
      )}
      <div ref={surface} className="model-summary" data-model={current && !('error' in current) ? model : undefined} />
    </details>
  );
}
