/** What a comparison's two trained models do on the test set, side by side. */
import { memo, useMemo } from 'react';
import { CLASS_NAMES } from '../../core/classes.ts';
import { compareEvaluations, COMPARE_MEMBERS, type CompareMember, type Comparison, type Disagreement } from '../../core/compare.ts';
import { ConfusionMatrix } from '../components/ConfusionMatrix.tsx';
import { heatmapScale } from '../components/heatmap.ts';
import { formatDuration, formatInt, formatPercent } from '../../app/format.ts';
import { ImageTiles } from '../components/ImageTiles.tsx';
import type { MemberState, RunState } from '../../app/state/run-state.ts';
import type { DatasetSummary } from '../../app/protocol.ts';
import { differInAugmentationOnly } from '../../app/compare-members.ts';
import { memberTitles } from '../charts/member-style.ts';
import { TableScroll } from '../components/TableScroll.tsx';

/**
 * A comparison's two members by their side: member 0 the baseline (the dense network, or the CNN
 * without augmentation), member 1 the challenger (the CNN, or the CNN with it). `short` names
 * each side in running text; `augmentation` says which comparison it is.
 */
function sides(run: RunState): {
  members: Record<CompareMember, MemberState>;
  titles: Record<CompareMember, string>;
  short: Record<CompareMember, string>;
  augmentation: boolean;
} {
  const titles = memberTitles(run);
  const augmentation = differInAugmentationOnly(run.members[0].config, run.members[1].config);
  return {
    members: { baseline: run.members[0], challenger: run.members[1] },
    titles: { baseline: titles[0], challenger: titles[1] },
    short: augmentation ? { baseline: 'plain', challenger: 'augmented' } : { baseline: 'dense', challenger: 'CNN' },
    augmentation,
  };
}

/**
 * What the two trained models do on the test set, side by side: the results table, both
 * confusion matrices, and the images where exactly one of them is right.
 */
export function CompareResults({ run, summary }: { run: RunState | null; summary: DatasetSummary | null }) {
  const baseline = run?.members[0]?.evaluation ?? null;
  const challenger = run?.members[1]?.evaluation ?? null;
  const labels = summary?.testLabels ?? null;
  const comparison = useMemo(() => {
    if (!baseline || !challenger || !labels || labels.length !== baseline.evaluation.predicted.length) return null;
    return compareEvaluations(baseline.evaluation, challenger.evaluation, labels);
  }, [baseline, challenger, labels]);

  // Both matrices on one colour scale, so one shade means one count in either.
  const scale = useMemo(
    () => (baseline && challenger ? heatmapScale([baseline.evaluation.confusion, challenger.evaluation.confusion]) : undefined),
    [baseline, challenger],
  );

  if (!run) return null;
  const both = sides(run);
  return (
    <section className="panel compare-results" aria-labelledby="compare-results-heading">
      <h2 id="compare-results-heading">Test set, side by side</h2>
      {!comparison ? (
        <p className="muted">
          {run.status === 'done'
            ? 'No comparison: both models need at least one whole epoch (and the test images must be in).'
            : 'The table, both confusion matrices and the images they disagree on appear once both models have finished their first epoch.'}
        </p>
      ) : (
        <>
          <div className="compare-top">
            <ResultsTable run={run} comparison={comparison} />
            <Reading run={run} comparison={comparison} />
          </div>
          <div className="compare-matrices">
            {COMPARE_MEMBERS.map((member) => {
              const e = both.members[member].evaluation!;
              return (
                <ConfusionMatrix
                  key={member}
                  title={`Confusion matrix: ${both.titles[member]} (${formatPercent(e.evaluation.accuracy)})`}
                  confusion={e.evaluation.confusion}
                  scale={scale}
                  predicted={e.evaluation.predicted}
                  confidence={e.evaluation.confidence}
                  testLabels={summary!.testLabels}
                  testImages={summary!.testImages}
                />
              );
            })}
          </div>
          <DisagreementGrid run={run} comparison={comparison} testImages={summary!.testImages} />
        </>
      )}
    </section>
  );
}

/** "▲ +4.1 points", with the sign and the arrow in the text, the colour only on top. */
function Difference({
  value,
  unit,
  short,
  digits = 1,
}: {
  value: number;
  unit: 'points' | 'images';
  short: Record<CompareMember, string>;
  digits?: number;
}) {
  const shown = unit === 'points' ? (value * 100).toFixed(digits) : formatInt(Math.abs(value));
  const zero = unit === 'points' ? Number(shown) === 0 : value === 0;
  const magnitude = unit === 'points' ? shown.replace('-', '') : shown;
  if (zero) return <span className="diff diff-even">= 0{unit === 'points' ? '.0' : ''}</span>;
  const better = value > 0 ? 'challenger' : 'baseline';
  return (
    <span className={`diff diff-${better}`} title={`The ${short[better]} model is better here`}>
      <span aria-hidden="true">{value > 0 ? '▲' : '▼'} </span>
      {value > 0 ? '+' : '−'}
      {magnitude}
      {unit === 'points' ? ' pts' : ''}
      <span className="visually-hidden">{` (${short[better]} better)`}</span>
    </span>
  );
}

const ratio = (challenger: number, baseline: number) =>
  baseline > 0 ? `${(challenger / baseline).toFixed(challenger / baseline < 10 ? 2 : 1)}×` : '—';

const ResultsTable = memo(function ResultsTable({ run, comparison }: { run: RunState; comparison: Comparison }) {
  const { members: m, titles, short } = sides(run);
  const value = (member: CompareMember, f: (member: CompareMember) => string) => <td className="num">{f(member)}</td>;
  const seconds = (member: CompareMember) => m[member].result?.seconds ?? m[member].epochs.at(-1)?.trainingSeconds ?? 0;
  const imagesPerSecond = (member: CompareMember) => {
    const r = m[member].result;
    if (r && r.imagesPerSecond > 0) return r.imagesPerSecond;
    const done = m[member].epochs;
    const images = done.reduce((s, e) => s + e.imagesPerSecond * e.seconds, 0);
    const time = done.reduce((s, e) => s + e.seconds, 0);
    return time > 0 ? images / time : 0;
  };
  return (
    <TableScroll label="The two models on the test set">
      <table className="compare-table">
        <caption className="muted small">
          Difference = {short.challenger} − {short.baseline}. ▲ and + where the {short.challenger} model does better, ▼ and − where the{' '}
          {short.baseline} one does.
        </caption>
        <thead>
          <tr>
            <th scope="col">Test set</th>
            <th scope="col" className="num">
              {titles.baseline}
            </th>
            <th scope="col" className="num">
              {titles.challenger}
            </th>
            <th scope="col" className="num">
              Difference
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Parameters</th>
            {value('baseline', (k) => formatInt(m[k].parameters ?? 0))}
            {value('challenger', (k) => formatInt(m[k].parameters ?? 0))}
            <td className="num muted">{ratio(m.challenger.parameters ?? 0, m.baseline.parameters ?? 0)}</td>
          </tr>
          <tr>
            <th scope="row">Evaluated after epoch</th>
            {value('baseline', (k) => String(m[k].evaluation?.epoch ?? '—'))}
            {value('challenger', (k) => String(m[k].evaluation?.epoch ?? '—'))}
            <td className="num muted" />
          </tr>
          <tr>
            <th scope="row">Training time</th>
            {value('baseline', (k) => formatDuration(seconds(k)))}
            {value('challenger', (k) => formatDuration(seconds(k)))}
            <td className="num muted">{ratio(seconds('challenger'), seconds('baseline'))}</td>
          </tr>
          <tr>
            <th scope="row">Images/s (training)</th>
            {value('baseline', (k) => formatInt(imagesPerSecond(k)))}
            {value('challenger', (k) => formatInt(imagesPerSecond(k)))}
            <td className="num muted">{ratio(imagesPerSecond('challenger'), imagesPerSecond('baseline'))}</td>
          </tr>
          <tr className="compare-headline">
            <th scope="row">Test accuracy</th>
            {value('baseline', (k) => formatPercent(comparison.accuracy[k], 2))}
            {value('challenger', (k) => formatPercent(comparison.accuracy[k], 2))}
            <td className="num">
              <Difference short={short} value={comparison.accuracy.difference} unit="points" digits={2} />
            </td>
          </tr>
          <tr>
            <th scope="row">Right, of {formatInt(comparison.count)}</th>
            {value('baseline', (k) => formatInt(comparison.correct[k]))}
            {value('challenger', (k) => formatInt(comparison.correct[k]))}
            <td className="num">
              <Difference short={short} value={comparison.correct.challenger - comparison.correct.baseline} unit="images" />
            </td>
          </tr>
          <tr>
            <th scope="row">Test loss</th>
            {value('baseline', (k) => m[k].evaluation!.evaluation.loss.toFixed(3))}
            {value('challenger', (k) => m[k].evaluation!.evaluation.loss.toFixed(3))}
            <td className="num muted" />
          </tr>
        </tbody>
        <tbody className="compare-classes">
          <tr>
            <th scope="rowgroup" colSpan={4} className="muted small">
              Accuracy per class (the share of each class's test images classified right)
            </th>
          </tr>
          {comparison.perClass.map((c) => (
            <tr key={c.className}>
              <th scope="row">{c.className}</th>
              <td className="num">{formatPercent(c.baseline)}</td>
              <td className="num">{formatPercent(c.challenger)}</td>
              <td className="num">
                <Difference short={short} value={c.difference} unit="points" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
});

/** "+1,328" / "−1,328" / "0", with a true minus sign. */
const signed = (n: number) => (n > 0 ? `+${formatInt(n)}` : n < 0 ? `−${formatInt(-n)}` : '0');
const points = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x * 100).toFixed(1)} pts`;

/** The table in words: who is ahead, where the gaps are largest, and why convolutions help. */
function Reading({ run, comparison }: { run: RunState; comparison: Comparison }) {
  const { members, titles, short, augmentation } = sides(run);
  const challengerName = titles.challenger;
  const baselineName = titles.baseline;
  const gap = comparison.correct.challenger - comparison.correct.baseline;
  const largest = [...comparison.perClass].sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference)).slice(0, 3);
  const challengerParameters = members.challenger.parameters ?? 0;
  const baselineParameters = members.baseline.parameters ?? 0;
  const equalSize = challengerParameters > 0 && Math.abs(baselineParameters - challengerParameters) / challengerParameters <= 0.1;
  const last = members.challenger.lastBatch;
  const steps = last ? (last.epoch - 1) * last.batchesPerEpoch + last.batch : 0;
  return (
    <aside className="compare-reading" aria-label="What the comparison shows">
      <p className="compare-verdict">
        {gap === 0
          ? `${challengerName} and ${baselineName} get exactly as many test images right.`
          : `${gap > 0 ? challengerName : baselineName} gets ${formatInt(Math.abs(gap))} more of the ${formatInt(comparison.count)} test images right.`}
      </p>
      <p className="small">
        Largest differences: {largest.map((c) => `${c.className} ${points(c.difference)}`).join(', ')} ({short.challenger} −{' '}
        {short.baseline}).
      </p>
      {augmentation ? (
        <p className="small muted">
          What augmentation does: each epoch the augmented model sees every training image shifted, perhaps mirrored, and half the time with
          a square rubbed out, and it aims at slightly softened targets. It cannot memorise the exact pictures, so it learns what a coat
          looks like anywhere in the frame; that pays off on images it has never seen, usually after more epochs than the plain model needs,
          since every epoch is harder for it.
        </p>
      ) : (
        <>
          {equalSize && (
            <p className="small">
              The dense network here has about as many parameters as the CNN ({formatInt(baselineParameters)} against{' '}
              {formatInt(challengerParameters)}): what differs is the architecture, not the size.
            </p>
          )}
          <p className="small muted">
            Why convolutions win on images: a convolution slides the same small 3×3 filters over the whole picture, so an edge, a collar or
            a strap is recognised wherever it is, and neighbouring pixels are read together. A dense layer gives every pixel its own
            weights: to it a garment shifted by two pixels is a different picture, and it must learn each position anew.
          </p>
          {gap < 0 && (
            <p className="small muted">
              Here the dense network is ahead: the CNN has had {formatInt(steps)} gradient steps, and convolutions need more to find their
              filters. Train both on more images or for more epochs and watch the curves cross.
            </p>
          )}
        </>
      )}
    </aside>
  );
}

const PAGE = 24;

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function tileText(d: Disagreement, challengerName: string, baselineName: string, names: Record<CompareMember, string>) {
  const say = (p: { predicted: number; confidence: number }) => `${CLASS_NAMES[p.predicted]} (${formatPercent(p.confidence, 0)})`;
  const brief = (p: { predicted: number; confidence: number }) => `${CLASS_NAMES[p.predicted]} ${formatPercent(p.confidence, 0)}`;
  return {
    index: d.index,
    text: `True ${CLASS_NAMES[d.label]}. ${challengerName}: ${say(d.challenger)}. ${baselineName}: ${say(d.baseline)}.`,
    caption: `True: ${CLASS_NAMES[d.label]}\n${capital(names.challenger)}: ${brief(d.challenger)}\n${capital(names.baseline)}: ${brief(d.baseline)}`,
  };
}

const DisagreementGrid = memo(function DisagreementGrid(props: { run: RunState; comparison: Comparison; testImages: Uint8Array }) {
  const { run, comparison } = props;
  const { titles, short } = sides(run);
  const { challenger: challengerName, baseline: baselineName } = titles;
  const groups = useMemo(
    () => [
      {
        key: 'challenger',
        title: `${challengerName} right, ${baselineName} wrong`,
        note: `${baselineName}'s most confident mistakes first`,
        items: comparison.challengerOnly.map((d) => tileText(d, challengerName, baselineName, short)),
      },
      {
        key: 'baseline',
        title: `${baselineName} right, ${challengerName} wrong`,
        note: `${challengerName}'s most confident mistakes first`,
        items: comparison.baselineOnly.map((d) => tileText(d, challengerName, baselineName, short)),
      },
    ],
    [comparison, challengerName, baselineName, short],
  );
  return (
    <section className="subpanel" aria-labelledby="disagree-heading">
      <h3 id="disagree-heading">Where they disagree</h3>
      <p className="disagree-summary">
        Of {formatInt(comparison.count)} test images, both are right on {formatInt(comparison.bothRight)} and both wrong on{' '}
        {formatInt(comparison.bothWrong)}. The {short.challenger} model alone is right on{' '}
        <strong>{formatInt(comparison.challengerOnly.length)}</strong>, the {short.baseline} one alone on{' '}
        <strong>{formatInt(comparison.baselineOnly.length)}</strong>: the difference,{' '}
        {signed(comparison.challengerOnly.length - comparison.baselineOnly.length)}, is the gap in right answers.
      </p>
      <div className="disagree-groups">
        {groups.map((g) => (
          <div key={g.key} className="disagree-group" data-group={g.key}>
            <h4>
              {g.title}: <span className="disagree-count">{formatInt(g.items.length)}</span>
            </h4>
            <p className="muted small">{g.items.length ? `Each tile: the true class, then both predictions; ${g.note}.` : 'None.'}</p>
            <ImageTiles
              key={g.items.length ? `${g.items[0].index}-${g.items.length}` : 0}
              images={props.testImages}
              tiles={g.items}
              pageSize={PAGE}
              label={g.title}
            />
          </div>
        ))}
      </div>
    </section>
  );
});
