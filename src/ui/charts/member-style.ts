/** How each member of a run is named and drawn, the same in every chart, legend and status line. */
import { memberTitles as titlesOf } from '../../app/compare-members.ts';
import type { RunState } from '../../app/state/run-state.ts';

/** Each member's network title (compare-members.ts words them). */
export function memberTitles(run: Pick<RunState, 'members'>): string[] {
  return titlesOf(run.members.map((m) => m.config));
}

export interface MemberStyle {
  color: string;
  /** SVG stroke-dasharray: members differ by line style too, not by colour alone. */
  dash?: string;
  marker: 'circle' | 'square';
  /** The line style in words, for the legend. */
  line: string;
}

const SOLID_BLUE: MemberStyle = { color: '#2f5fa7', marker: 'circle', line: 'solid' };

/** Compare's order: the dense baseline first (orange, dashed), the CNN second (blue, solid), then more. */
const STYLES: MemberStyle[] = [
  { color: '#c0622b', dash: '6 4', marker: 'square', line: 'dashed' },
  SOLID_BLUE,
  { color: '#3c8d5a', dash: '2 3', marker: 'square', line: 'dotted' },
  { color: '#7a4fa3', dash: '10 3 2 3', marker: 'circle', line: 'dash-dotted' },
];

/** The style of member `index` of a run of `count` members; a single model is drawn solid blue. */
export function memberStyle(index: number, count: number): MemberStyle {
  return count === 1 ? SOLID_BLUE : STYLES[index % STYLES.length];
}

/** The validation curve of a single-model run, beside its own. */
export const VALIDATION_STYLE: MemberStyle = { color: '#d9822b', dash: '6 4', marker: 'square', line: 'dashed' };
