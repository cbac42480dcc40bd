/** The list of page-wide errors, each dismissable. */
import type { PageError } from '../../app/state/page-state.ts';

/** Errors that belong to no run or panel: each in its own alert, dismissable. */
export function ErrorList(props: { errors: PageError[]; onDismiss: (id: number) => void }) {
  if (props.errors.length === 0) return null;
  return (
    <div className="error-list">
      {props.errors.map((error) => (
        <div key={error.id} role="alert" className="alert">
          <span>
            {error.message}
            {error.count > 1 && <span className="muted small"> (×{error.count})</span>}{' '}
            <span className="muted small">The rest of the page still works; if this keeps happening, reload it.</span>
          </span>
          <button type="button" className="link-button" onClick={() => props.onDismiss(error.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
