/** "Layers of <model>": the selected network's layers, output shapes and parameters, as a table. */
import { useEffect, useState } from 'react';
import { MODEL_CATALOG, type ModelName } from '../../core/models/catalog.ts';
import { asSentence, formatInt } from '../../app/format.ts';
import type { ModelLayers as Layers } from '../../app/model-layers.ts';

/** A layer's name with a line-break opportunity after each underscore, so the table fits a narrow column. */
const breakable = (name: string) =>
  name.split('_').map((part, i, parts) => (
    <span key={i}>
      {part}
      {i < parts.length - 1 && (
        <>
          _<wbr />
        </>
      )}
    </span>
  ));

type Shown = ({ model: ModelName } & Layers) | { model: ModelName; error: string };

/**
 * A collapsible table of the model's layers. Nothing is built until it is opened: then the model
 * is built untrained with the page's tfjs (src/app/model-layers.ts), read, and disposed, and its
 * rows are rendered here. Picking another model while open lists that one.
 */
export function ModelLayers({ model }: { model: ModelName }) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const title = MODEL_CATALOG[model].title;

  useEffect(() => {
    if (!open) return;
    let live = true;
    import('../../app/model-layers.ts')
      .then(({ describeLayers }) => describeLayers(model))
      .then(
        (layers) => live && setShown({ model, ...layers }),
        (e: Error) => live && setShown({ model, error: e.message }),
      );
    return () => {
      live = false;
    };
  }, [open, model]);

  const current = shown?.model === model ? shown : null;
  const layers = current && !('error' in current) ? current : null;
  return (
    <details className="model-layers" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Layers of {title}</summary>
      {current && 'error' in current ? (
        <p role="alert" className="alert">
          {asSentence(`The layers could not be listed: ${current.error}`)}
        </p>
      ) : (
        <p className="muted small" aria-live="polite">
          {layers
            ? `${formatInt(layers.rows.length)} layers, ${formatInt(layers.parameters)} parameters. Output shapes are per batch: [batch, height, width, channels] or [batch, units].`
            : open
              ? 'Building the model to list its layers…'
              : null}
        </p>
      )}
      <div className="model-summary" data-model={layers ? model : undefined}>
        {layers && (
          <table>
            <thead>
              <tr>
                <th scope="col">Layer</th>
                <th scope="col">Output shape</th>
                <th scope="col">Parameters</th>
              </tr>
            </thead>
            <tbody>
              {layers.rows.map((row) => (
                <tr key={row.name}>
                  <td>{breakable(row.name)}</td>
                  <td>{row.outputShape}</td>
                  <td>{formatInt(row.parameters)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </details>
  );
}
