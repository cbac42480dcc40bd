/** The hyperparameter form: one field per entry of the core's config table, with its message when invalid. */
import { OPTIMIZERS, SCHEDULES } from '../../core/config.ts';
import type { ConfigDrafts, ConfigKey } from '../hooks/useUrlConfig.ts';

interface FieldInfo {
  label: string;
  hint: string;
  input: 'number' | 'select' | 'checkbox';
  options?: readonly string[];
  step?: string;
}

const FIELDS: { [K in Exclude<ConfigKey, 'model'>]: FieldInfo } = {
  epochs: { label: 'Epochs', hint: 'passes over the training images', input: 'number', step: '1' },
  batchSize: { label: 'Batch size', hint: 'images per step', input: 'number', step: '1' },
  learningRate: { label: 'Learning rate', hint: 'starting step size', input: 'number', step: 'any' },
  schedule: { label: 'Schedule', hint: 'cosine decays to 0', input: 'select', options: SCHEDULES },
  warmup: { label: 'Warm-up', hint: 'fraction of steps ramping up, 0–0.5', input: 'number', step: '0.01' },
  optimizer: { label: 'Optimizer', hint: '', input: 'select', options: OPTIMIZERS },
  weightDecay: { label: 'Weight decay', hint: 'decoupled (AdamW), 0–0.01', input: 'number', step: '0.0001' },
  shift: { label: 'Shift (px)', hint: 'random shifts, 0–6', input: 'number', step: '1' },
  flip: { label: 'Flip left-right', hint: 'random mirroring', input: 'checkbox' },
  erasing: { label: 'Random erasing', hint: 'chance of a blanked square, 0–1', input: 'number', step: '0.05' },
  outline: { label: 'Outlines', hint: 'chance an image becomes its outline, 0–1', input: 'number', step: '0.05' },
  elastic: { label: 'Elastic', hint: 'chance an image is bent a little, 0–1', input: 'number', step: '0.05' },
  stroke: { label: 'Stroke width', hint: 'chance strokes get thicker or thinner, 0–1', input: 'number', step: '0.05' },
  labelSmoothing: { label: 'Label smoothing', hint: 'softer targets, 0–0.3', input: 'number', step: '0.05' },
  dropout: { label: 'Dropout', hint: "the model's dropout layers", input: 'checkbox' },
  flipTest: { label: 'Flip at test', hint: 'average each image with its mirror', input: 'checkbox' },
  trainSize: { label: 'Training images', hint: 'of 60,000', input: 'number', step: '1000' },
  validationSplit: { label: 'Validation split', hint: 'fraction held out, 0–0.5', input: 'number', step: '0.05' },
  seed: { label: 'Seed', hint: 'repeats a run exactly', input: 'number', step: '1' },
};

/** Every hyperparameter with its message next to it when invalid. */
export function HyperparameterForm(props: {
  drafts: ConfigDrafts;
  errors: Partial<Record<ConfigKey, string>>;
  disabled: boolean;
  onChange: (key: ConfigKey, text: string) => void;
}) {
  return (
    <fieldset className="hyperparameters" disabled={props.disabled}>
      <legend>Hyperparameters</legend>
      <div className="field-grid">
        {(Object.keys(FIELDS) as (keyof typeof FIELDS)[]).map((key) => {
          const info = FIELDS[key];
          const id = `field-${key}`;
          const error = props.errors[key];
          const describedBy = error ? `${id}-error` : info.hint ? `${id}-hint` : undefined;
          const common = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy };
          if (info.input === 'checkbox') {
            return (
              <div key={key} className="field field-checkbox">
                <label htmlFor={id}>
                  <input
                    {...common}
                    type="checkbox"
                    checked={props.drafts[key] === 'true'}
                    onChange={(e) => props.onChange(key, String(e.target.checked))}
                  />{' '}
                  {info.label}
                </label>
                {info.hint && (
                  <span id={`${id}-hint`} className="muted small">
                    {info.hint}
                  </span>
                )}
                {error && <FieldError id={`${id}-error`} message={error} />}
              </div>
            );
          }
          return (
            <div key={key} className="field">
              <label htmlFor={id}>{info.label}</label>
              {info.input === 'select' ? (
                <select {...common} value={props.drafts[key]} onChange={(e) => props.onChange(key, e.target.value)}>
                  {info.options!.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  {...common}
                  type="number"
                  inputMode="decimal"
                  step={info.step}
                  value={props.drafts[key]}
                  onChange={(e) => props.onChange(key, e.target.value)}
                />
              )}
              {info.hint && !error && (
                <span id={`${id}-hint`} className="muted small">
                  {info.hint}
                </span>
              )}
              {error && <FieldError id={`${id}-error`} message={error} />}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function FieldError(props: { id: string; message: string }) {
  return (
    <span id={props.id} className="field-error">
      {props.message}
    </span>
  );
}
