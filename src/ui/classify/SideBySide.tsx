import type { CompareMember } from '../../core/compare.ts';
import { PredictionBars } from './PredictionBars.tsx';
import type { PairAnswer } from './useModelPair.ts';

const TITLES: Record<CompareMember, string> = { dense: 'Dense network', cnn: 'CNN' };

/** The dense network's and the CNN's answers to the same picture, next to each other. */
export function SideBySide(props: { answer: PairAnswer; hasPicture: boolean }) {
  const { answer } = props;
  return (
    <div className="side-by-side">
      {(['dense', 'cnn'] as const).map((member) => (
        <figure key={member} className="side-by-side-member">
          <figcaption>
            <strong>{TITLES[member]}</strong> <span className="muted small">{answer.labels[member]}</span>
          </figcaption>
          <PredictionBars
            label={`${TITLES[member]} predictions`}
            prediction={props.hasPicture && answer.probabilities ? { probabilities: answer.probabilities[member] } : null}
            placeholder="Draw something or upload a picture."
          />
        </figure>
      ))}
      {answer.error && (
        <p role="alert" className="alert">
          {answer.error}
        </p>
      )}
    </div>
  );
}
