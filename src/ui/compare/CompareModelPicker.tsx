/** Compare mode's model choice: what to compare, which CNN, and the dense baseline or its equal-size version. */
import type { CompareWhat } from '../../app/compare-members.ts';
import { CNN_NAMES, MODEL_CATALOG, type ModelName } from '../../core/models/catalog.ts';
import { formatInt } from '../../app/format.ts';

/** What Compare trains against what (networks, or augmentation), with which two labels. */
const WHAT: { what: CompareWhat; label: string }[] = [
  { what: 'networks', label: 'A dense network against a CNN' },
  { what: 'augmentation', label: 'A CNN without against with augmentation' },
];

/** Compare mode's model choice: what to compare, which CNN, and the dense baseline or its equal-size version. */
export function CompareModelPicker(props: {
  cnn: ModelName;
  equalSize: boolean;
  what: CompareWhat;
  onWhat: (what: CompareWhat) => void;
  disabled: boolean;
  onPick: (model: ModelName) => void;
  onEqualSize: (value: boolean) => void;
}) {
  const wide = MODEL_CATALOG['dense-wide'];
  const cnnParameters = MODEL_CATALOG[props.cnn].parameters;
  const off = Math.abs(wide.parameters - cnnParameters) / cnnParameters;
  return (
    <>
      <fieldset className="model-picker" disabled={props.disabled}>
        <legend>What to compare</legend>
        {WHAT.map(({ what, label }) => (
          <label key={what} className="checkbox-row">
            <input type="radio" name="compare-what" checked={props.what === what} onChange={() => props.onWhat(what)} /> {label}
          </label>
        ))}
      </fieldset>
      <fieldset className="model-picker" disabled={props.disabled}>
        <legend>
          {props.what === 'augmentation' ? 'CNN to train without and with augmentation' : 'CNN to compare with the dense network'}
        </legend>
        {CNN_NAMES.map((name) => {
          const info = MODEL_CATALOG[name];
          return (
            <label key={name} className={`model-option${props.cnn === name ? ' selected' : ''}`}>
              <input type="radio" name="compare-cnn" value={name} checked={props.cnn === name} onChange={() => props.onPick(name)} />
              <span className="model-text">
                <span className="model-title">
                  {info.title} <span className="muted">· {formatInt(info.parameters)} parameters</span>
                </span>
                <span className="muted small">{info.summary}</span>
              </span>
            </label>
          );
        })}
        <p className="muted small">Picking a CNN applies its recommended hyperparameters; both models train with them.</p>
      </fieldset>
      <fieldset className="model-picker" disabled={props.disabled} hidden={props.what === 'augmentation'}>
        <legend>Dense network</legend>
        <label className="checkbox-row">
          <input type="checkbox" checked={props.equalSize} onChange={(e) => props.onEqualSize(e.target.checked)} />
          Equal-size dense network
        </label>
        <p className="muted small">
          {props.equalSize ? (
            <>
              {wide.title}: {wide.summary}, {formatInt(wide.parameters)} parameters —{' '}
              {off <= 0.1
                ? `about as many as the ${MODEL_CATALOG[props.cnn].title} (${formatInt(cnnParameters)}), so the comparison is of architectures at equal size.`
                : `sized to our ${MODEL_CATALOG.default.title} (${formatInt(MODEL_CATALOG.default.parameters)}); the ${MODEL_CATALOG[props.cnn].title} you picked has ${formatInt(cnnParameters)}, so here the sizes differ.`}
            </>
          ) : (
            <>
              The {MODEL_CATALOG.dense.title}: {MODEL_CATALOG.dense.summary}, {formatInt(MODEL_CATALOG.dense.parameters)} parameters. Tick
              the box for a dense network with about as many parameters as our CNN.
            </>
          )}
        </p>
      </fieldset>
    </>
  );
}
