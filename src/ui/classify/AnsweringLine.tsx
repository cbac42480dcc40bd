/**
 * Which model answers, right above the bars it answers with: its name and test accuracy, a switch
 * under way, the other model worth a click ("Ready too: your dense model … (71.0% test accuracy);
 * your model reads more sketches (55.1% against 39.4%) but fewer test images … — Use your model"),
 * why a switch failed (with Retry), and why a picture got no answer.
 */
import type { PageModelsState } from '../../app/classify/page-models-state.ts';
import type { PageModelsCommands } from './usePageModels.ts';

export function AnsweringLine(props: { state: PageModelsState; commands: PageModelsCommands }) {
  const c = props.state;
  const run = props.commands;
  const entry = c.active ? c.entries[c.active] : undefined;
  const offer = c.offer;
  return (
    <div className="answering-model">
      <p className="answering" aria-live="polite">
        <strong>Answering:</strong> {entry ? entry.description : c.status.kind === 'loading' ? '…' : 'no model'}
        {entry?.scores && <span className="muted small answer-scores">; {entry.scores}</span>}
        {c.status.kind === 'loading' && <span className="muted small"> — {c.status.message}</span>}
        {offer &&
          (offer.key === 'trained' ? (
            <span className="model-offer">
              {' · '}Ready too: {offer.description}
              {offer.comparison && <span className="offer-comparison">; {offer.comparison}</span>}{' '}
              <button type="button" className="link-button" onClick={() => run.choose(offer.key)}>
                Use your model
              </button>
            </span>
          ) : (
            <span className="model-offer">
              {' · '}
              <button type="button" className="link-button" onClick={() => run.choose(offer.key)}>
                Switch to the {offer.description}
              </button>
            </span>
          ))}
      </p>
      {c.switchError && (
        <div role="alert" className="alert switch-error">
          <span>{c.switchError.message}</span>
          <button type="button" onClick={run.retry}>
            Retry
          </button>
        </div>
      )}
      {(c.status.kind === 'error' || c.status.kind === 'none') && !c.switchError && (
        <div role="alert" className="alert">
          <span>{c.status.message} Choose another model above; the rest of the page still works.</span>
        </div>
      )}
    </div>
  );
}
