/** The model zoo as a radio group. */
import { MODEL_CATALOG, MODEL_NAMES, type ModelName } from '../../core/models/catalog.ts';
import { formatInt } from '../../app/format.ts';

/** The model zoo as a radio group: each with its parameter count, layers and origin. */
export function ModelPicker(props: { value: string; disabled: boolean; onPick: (model: ModelName) => void }) {
  return (
    <fieldset className="model-picker" disabled={props.disabled}>
      <legend>Model</legend>
      {MODEL_NAMES.map((name) => {
        const info = MODEL_CATALOG[name];
        return (
          <label key={name} className={`model-option${props.value === name ? ' selected' : ''}`}>
            <input type="radio" name="model" value={name} checked={props.value === name} onChange={() => props.onPick(name)} />
            <span className="model-text">
              <span className="model-title">
                {info.title} <span className="muted">· {formatInt(info.parameters)} parameters</span>
              </span>
              <span className="muted small">{info.summary}</span>
              <span className="muted small">{info.origin}</span>
            </span>
          </label>
        );
      })}
      <p className="muted small">Picking a model applies its recommended hyperparameters.</p>
    </fieldset>
  );
}
