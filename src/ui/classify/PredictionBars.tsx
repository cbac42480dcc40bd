/** The ten class probabilities of one answer, as sorted bars (the drawing pad's and each side-by-side model's). */
import { answerInWords } from '../../core/answer-words.ts';
import { rankClasses } from '../../core/rank.ts';
import { formatPercent } from '../../app/format.ts';

/**
 * The ten classes' probabilities as bars, the most probable first, under the answer in words
 * ("Coat or Shirt?" when the top two are close). The region's text starts with the top class and
 * its percentage ("Trouser 97.3%"); `data-probabilities` holds the exact values.
 */
export function PredictionBars(props: {
  prediction: { probabilities: ArrayLike<number> } | null;
  placeholder: string;
  label?: string;
  /** True while a newer picture is being answered: the bars are the last answer's until then. */
  busy?: boolean;
}) {
  const { prediction } = props;
  const ranked = prediction ? rankClasses(prediction.probabilities) : null;
  const words = prediction ? answerInWords(prediction.probabilities) : null;
  return (
    <>
      {words && (
        <p className={`answer-words ${words.kind}`} data-kind={words.kind}>
          {words.text}
        </p>
      )}
      <section
        role="region"
        aria-label={props.label ?? 'Predictions'}
        className="predictions"
        aria-busy={props.busy ? true : undefined}
        data-probabilities={prediction ? JSON.stringify(Array.from(prediction.probabilities)) : undefined}
      >
        {ranked ? (
          <ol className="prediction-bars">
            {ranked.map((r, i) => (
              <li key={r.label} className={i === 0 ? 'top' : undefined}>
                <span className="bar-name">{r.name}</span> <span className="bar-value">{formatPercent(r.probability)}</span>
                <span className="bar-track" aria-hidden="true">
                  <span className="bar-fill" style={{ width: `${Math.max(0, Math.min(100, r.probability * 100))}%` }} />
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">{props.placeholder}</p>
        )}
      </section>
    </>
  );
}
