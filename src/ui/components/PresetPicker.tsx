/** The presets (Quick, Best) as one-click configurations. */
import { PRESET_NAMES, PRESETS, type PresetName, type TrainingConfig } from '../../core/config.ts';

const sameConfig = (a: TrainingConfig, b: TrainingConfig) => (Object.keys(a) as (keyof TrainingConfig)[]).every((key) => a[key] === b[key]);

/**
 * One click to a tried configuration: Quick (the default CNN for one epoch, the page's first run) or
 * Best (the wide CNN's augmented recipe).
 * The preset whose settings are all in place is shown as chosen; editing a field leaves both.
 */
export function PresetPicker(props: { config: TrainingConfig | null; disabled: boolean; onPick: (preset: PresetName) => void }) {
  return (
    <fieldset className="preset-picker" disabled={props.disabled}>
      <legend>Presets</legend>
      {PRESET_NAMES.map((name) => {
        const preset = PRESETS[name];
        const chosen = props.config !== null && sameConfig(props.config, preset.config);
        return (
          <button
            key={name}
            type="button"
            className={`preset${chosen ? ' selected' : ''}`}
            aria-pressed={chosen}
            onClick={() => props.onPick(name)}
          >
            <span className="preset-title">{preset.title}</span>
            <span className="muted small">{preset.summary}</span>
          </button>
        );
      })}
    </fieldset>
  );
}
