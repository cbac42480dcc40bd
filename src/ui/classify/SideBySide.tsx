/** The dense network's and the CNN's answers to the same picture, next to each other. */
import type { PairMember } from '../../app/classify/page-models-state.ts';
import { PredictionBars } from './PredictionBars.tsx';

export function SideBySide(props: { members: PairMember[]; error: string | null; hasPicture: boolean }) {
  return (
    <div className="side-by-side">
      {props.members.map((member) => (
        <figure key={member.title} className="side-by-side-member">
          <figcaption>
            <strong>{member.title}</strong> <span className="muted small">{member.label}</span>
            {member.scores && <span className="muted small member-scores">; {member.scores}</span>}
          </figcaption>
          <PredictionBars
            label={`${member.title} predictions`}
            prediction={props.hasPicture && member.probabilities ? { probabilities: member.probabilities } : null}
            placeholder="Draw something or upload a picture."
          />
        </figure>
      ))}
      {props.error && (
        <p role="alert" className="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}
