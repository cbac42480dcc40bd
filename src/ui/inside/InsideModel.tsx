/**
 * The "Inside the model" region, next to the answers: for the picture being answered, what each
 * layer of the answering model (or of both members side by side) makes of it, what the model has
 * learnt, and why it gives a class its score. The class to explain is shared; each model has its
 * own Grad-CAM layer. Everything is computed in the classifier worker (app/inside/inside-views.ts).
 */
import { useCallback, useId, useState, type ReactNode } from 'react';
import type { InspectRequest } from '../../core/inside/inspector.ts';
import type { Inspection } from '../../app/classify/classification-service.ts';
import type { InsideViewState } from '../../app/inside/inside-views.ts';
import type { ShownModel } from '../../app/inside/shown-models.ts';
import { CLASS_NAMES } from '../../core/classes.ts';
import { DenseBars, MapGrid } from './ActivationViews.tsx';
import { useInsideViews } from './useInsideViews.ts';
import { WeightViews } from './WeightViews.tsx';
import { WhyMaps } from './WhyMaps.tsx';
import { className } from './words.ts';
import './inside.css';

/** What a model's view gives a plug-in (the map of the test set): which model, its latest result, the picture. */
export interface MapSlotProps {
  model: ShownModel;
  result: Inspection | null;
}

const TOP = 'top';

function ModelView(props: {
  model: ShownModel;
  view: InsideViewState | undefined;
  titled: boolean;
  camLayer: string;
  onCamLayer: (name: string) => void;
  renderMap?: (p: MapSlotProps) => ReactNode;
}) {
  const { model, view } = props;
  const pickerId = useId();
  const result = view?.result ?? null;
  // The picture the result is about (a newer one may be on its way).
  const image = view?.resultImage ?? model.image;
  return (
    <section
      className="inside-model-view"
      aria-label={props.titled ? `Inside ${model.title}` : undefined}
      aria-busy={view?.busy ?? true}
      data-key={model.key}
    >
      {props.titled && <h3>{model.title}</h3>}
      {view?.error && (
        <p role="alert" className="alert">
          Cannot look inside {props.titled ? model.title : 'this model'}: {view.error}.
        </p>
      )}
      {!result ? (
        !view?.error && <p className="muted small">Looking inside…</p>
      ) : (
        <>
          <h4>Why this answer</h4>
          <WhyMaps result={result} image={image} camLayer={props.camLayer} onCamLayer={props.onCamLayer} pickerId={pickerId} />
          <h4>What each layer sees</h4>
          <p className="muted small">
            Each tile is one feature map: how strongly one filter of the layer responds at each place in the picture, dark for nothing,
            bright yellow for the strongest. Pooling layers keep the strongest response of each 2 × 2 patch. Dense layers are bars, one per
            unit.
          </p>
          <div className="inside-layers">
            {result.maps.map((m) => (
              <MapGrid key={m.stage.name} maps={m} />
            ))}
            {result.dense.map((d) => (
              <DenseBars key={d.stage.name} dense={d} />
            ))}
          </div>
          <h4>What it has learnt</h4>
          <WeightViews weights={result.weights} />
          <p className="muted small inside-timing" data-ms={result.ms.toFixed(1)}>
            Worked out in {Math.max(1, Math.round(result.ms))} ms, on this page.
          </p>
        </>
      )}
      {/* The map of the test set plugs in here, one per model. */}
      {props.renderMap?.({ model, result })}
    </section>
  );
}

/**
 * @param shown the models on show, each with the picture it last answered (none: nothing drawn yet)
 * @param inspect looks inside a model (the page models' inspect)
 * @param renderMap the map of the test set (its own component), rendered under each model's views
 */
export function InsideModel(props: {
  shown: ShownModel[];
  inspect: (key: string, image: Uint8Array, request: InspectRequest) => Promise<Inspection>;
  /** Said under the heading: how to see both models of a comparison (null when they are shown). */
  pairHint?: string | null;
  renderMap?: (p: MapSlotProps) => ReactNode;
}) {
  const headingId = useId();
  const selectId = useId();
  const [explain, setExplain] = useState<string>(TOP);
  const [camLayers, setCamLayers] = useState<Record<string, string>>({});
  const explainClass = explain === TOP ? null : Number(explain);
  const requestOf = useCallback(
    (key: string): InspectRequest => ({ explainClass, camLayer: camLayers[key] || null }),
    [explainClass, camLayers],
  );
  const views = useInsideViews(props.inspect, props.shown, requestOf);
  const first = props.shown[0] ? views[props.shown[0].key]?.result : null;
  const top = first
    ? Array.from(first.probabilities.keys()).reduce((a, b) => (first.probabilities[b] > first.probabilities[a] ? b : a), 0)
    : null;
  return (
    <section className="panel-section inside-model" aria-labelledby={headingId} id="inside-the-model">
      <h3 id={headingId} className="inside-heading">
        Inside the model
      </h3>
      <p className="muted small">
        What the network does with the picture above, layer by layer, and which parts of the picture make its answer.
        {props.pairHint && <> {props.pairHint}</>}
      </p>
      {props.shown.length === 0 ? (
        <p className="muted small">Draw something, upload a picture or open a test image, and the model&apos;s insides appear here.</p>
      ) : (
        <>
          <p className="inside-picker">
            <label htmlFor={selectId}>Explain class</label>{' '}
            <select id={selectId} value={explain} onChange={(e) => setExplain(e.target.value)}>
              <option value={TOP}>
                {props.shown.length > 1
                  ? "Each model's top answer"
                  : top === null
                    ? 'The top answer'
                    : `The top answer (${className(top)})`}
              </option>
              {CLASS_NAMES.map((name, c) => (
                <option key={name} value={String(c)}>
                  {name}
                </option>
              ))}
            </select>{' '}
            <span className="muted small">Pick another class to see what would have made the picture that class.</span>
          </p>
          <div className={props.shown.length > 1 ? 'inside-models inside-models-pair' : 'inside-models'}>
            {props.shown.map((model) => (
              <ModelView
                key={model.key}
                model={model}
                view={views[model.key]}
                titled={props.shown.length > 1}
                camLayer={camLayers[model.key] ?? ''}
                onCamLayer={(name) => setCamLayers((all) => ({ ...all, [model.key]: name }))}
                renderMap={props.renderMap}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
