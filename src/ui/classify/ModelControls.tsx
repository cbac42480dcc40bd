/** The model controls: which model answers (the menu), Download model, Load model, and Load model's messages. */
import type { ModelKey } from '../../app/classify/describe-model.ts';
import type { PageModelsState } from '../../app/classify/page-models-state.ts';
import type { PageModelsCommands } from './usePageModels.ts';

const OPTION_NAMES: Record<ModelKey, string> = {
  default: 'Ready-trained Playground CNN',
  dense: 'Ready-trained Dense baseline',
  trained: 'Your trained model',
  file: 'The model you loaded',
};

/**
 * Which model answers (the menu; what answers now is said next to the bars, AnsweringLine.tsx),
 * its configuration, Download model, Load model, and Load model's messages.
 */
export function ModelControls(props: { state: PageModelsState; commands: PageModelsCommands }) {
  const c = props.state;
  const run = props.commands;
  const entry = c.active ? c.entries[c.active] : undefined;
  const keys = (['default', 'dense', 'trained', 'file'] as const).filter((k) => c.entries[k]);
  // The menu shows the model being switched to while it loads; a failed switch shows the one that answers.
  const selected = c.pending ?? c.active;
  return (
    <div className="model-controls">
      {entry?.details && <p className="muted small model-details">{entry.details}</p>}
      <div className="model-actions">
        <label>
          Model{' '}
          <select
            value={selected ?? ''}
            onChange={(e) => e.target.value && run.choose(e.target.value as ModelKey)}
            aria-label="Answering model"
          >
            {selected === null && (
              <option value="" disabled>
                No model answers
              </option>
            )}
            {keys.map((k) => (
              <option key={k} value={k}>
                {OPTION_NAMES[k]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={run.download} disabled={!c.active || !entry?.data}>
          Download model
        </button>
        <label className="file-button">
          Load model
          <input
            type="file"
            multiple
            accept=".json,.bin,application/json,application/octet-stream"
            className="visually-hidden"
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              event.target.value = '';
              if (files.length) void run.loadFiles(files);
            }}
          />
        </label>
        <span className="muted small">model.json with its weights file(s), as Download saves them</span>
      </div>
      {c.modelError && (
        <div role="alert" className="alert model-error">
          <span>{c.modelError}</span>
          <button type="button" className="link-button" onClick={run.dismissModelError}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
