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
    members: { dense: run.members[0], cnn: run.members[1] },
    titles: { dense: titles[0], cnn: titles[1] },
    short: augmentation ? { dense: 'plain', cnn: 'augmented' } : { dense: 'dense', cnn: 'CNN' },
    augmentation,
  };
}

/**
 * What the two trained models do on the test set, side by side: the results table, both
 * confusion matrices, and the images where exactly one of them is right.
 */
export function CompareResults({ run, summary }: { run: RunState | null; summary: DatasetSummary | null }) {
  const dense = run?.members[0]?.evaluation ?? null;
  const cnn = run?.members[1]?.evaluation ?? null;
  const labels = summary?.testLabels ?? null;
  const comparison = useMemo(() => {
    if (!dense || !cnn || !labels || labels.length !== dense.evaluation.predicted.length) return null;
    return compareEvaluations(dense.evaluation, cnn.evaluation, labels);
  }, [dense, cnn, labels]);

  // Both matrices on one colour scale, so one shade means one count in either.
  const scale = useMemo(() => (dense && cnn ? heatmapScale([dense.evaluation.confusion, cnn.evaluation.confusion]) : undefined), [dense, cnn]);

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
function Difference({ value, unit, short, digits = 1 }: { value: number; unit: 'points' | 'images'; short: Record<CompareMember, string>; digits?: number }) {
  const shown = unit === 'points' ? (value * 100).toFixed(digits) : formatInt(Math.abs(value));
  const zero = unit === 'points' ? Number(shown) === 0 : value === 0;
  const magnitude = unit === 'points' ? shown.replace('-', '') : shown;
  if (zero) return <span className="diff diff-even">= 0{unit === 'points' ? '.0' : ''}</span>;
  const better = value > 0 ? 'cnn' : 'dense';
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

const ratio = (cnn: number, dense: number) => (dense > 0 ? `${(cnn / dense).toFixed(cnn / dense < 10 ? 2 : 1)}×` : '—');

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
          Difference = {short.cnn} − {short.dense}. ▲ and + where the {short.cnn} model does better, ▼ and − where the{' '}
          {short.dense} one does.
        </caption>
        <thead>
          <tr>
            <th scope="col">Test set</th>
            <th scope="col" className="num">
              {titles.dense}
            </th>
            <th scope="col" className="num">
              {titles.cnn}
            </th>
            <th scope="col" className="num">
              Difference
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Parameters</th>
            {value('dense', (k) => formatInt(m[k].parameters ?? 0))}
            {value('cnn', (k) => formatInt(m[k].parameters ?? 0))}
            <td className="num muted">{ratio(m.cnn.parameters ?? 0, m.dense.parameters ?? 0)}</td>
          </tr>
          <tr>
            <th scope="row">Evaluated after epoch</th>
            {value('dense', (k) => String(m[k].evaluation?.epoch ?? '—'))}
            {value('cnn', (k) => String(m[k].evaluation?.epoch ?? '—'))}
            <td className="num muted" />
          </tr>
          <tr>
            <th scope="row">Training time</th>
            {value('dense', (k) => formatDuration(seconds(k)))}
            {value('cnn', (k) => formatDuration(seconds(k)))}
            <td className="num muted">{ratio(seconds('cnn'), seconds('dense'))}</td>
          </tr>
          <tr>
            <th scope="row">Images/s (training)</th>
            {value('dense', (k) => formatInt(imagesPerSecond(k)))}
            {value('cnn', (k) => formatInt(imagesPerSecond(k)))}
            <td className="num muted">{ratio(imagesPerSecond('cnn'), imagesPerSecond('dense'))}</td>
          </tr>
          <tr className="compare-headline">
            <th scope="row">Test accuracy</th>
            {value('dense', (k) => formatPercent(comparison.accuracy[k], 2))}
            {value('cnn', (k) => formatPercent(comparison.accuracy[k], 2))}
            <td className="num">
              <Difference short={short} value={comparison.accuracy.difference} unit="points" digits={2} />
            </td>
          </tr>
          <tr>
            <th scope="row">Right, of {formatInt(comparison.count)}</th>
            {value('dense', (k) => formatInt(comparison.correct[k]))}
            {value('cnn', (k) => formatInt(comparison.correct[k]))}
            <td className="num">
              <Difference short={short} value={comparison.correct.cnn - comparison.correct.dense} unit="images" />
            </td>
          </tr>
          <tr>
            <th scope="row">Test loss</th>
            {value('dense', (k) => m[k].evaluation!.evaluation.loss.toFixed(3))}
            {value('cnn', (k) => m[k].evaluation!.evaluation.loss.toFixed(3))}
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
              <td className="num">{formatPercent(c.dense)}</td>
              <td className="num">{formatPercent(c.cnn)}</td>
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
  const cnnName = titles.cnn;
  const denseName = titles.dense;
  const gap = comparison.correct.cnn - comparison.correct.dense;
  const largest = [...comparison.perClass].sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference)).slice(0, 3);
  const cnnParameters = members.cnn.parameters ?? 0;
  const denseParameters = members.dense.parameters ?? 0;
  const equalSize = cnnParameters > 0 && Math.abs(denseParameters - cnnParameters) / cnnParameters <= 0.1;
  const last = members.cnn.lastBatch;
  const steps = last ? (last.epoch - 1) * last.batchesPerEpoch + last.batch : 0;
  return (
    <aside className="compare-reading" aria-label="What the comparison shows">
      <p className="compare-verdict">
        {gap === 0
          ? `${cnnName} and ${denseName} get exactly as many test images right.`
          : `${gap > 0 ? cnnName : denseName} gets ${formatInt(Math.abs(gap))} more of the ${formatInt(comparison.count)} test images right.`}
      </p>
      <p className="small">
        Largest differences: {largest.map((c) => `${c.className} ${points(c.difference)}`).join(', ')} ({short.cnn} − {short.dense}).
      </p>
      {augmentation ? (
        <p className="small muted">
          What augmentation does: each epoch the augmented model sees every training image shifted, perhaps mirrored, and
          half the time with a square rubbed out, and it aims at slightly softened targets. It cannot memorise the exact
          pictures, so it learns what a coat looks like anywhere in the frame; that pays off on images it has never seen,
          usually after more epochs than the plain model needs, since every epoch is harder for it.
        </p>
      ) : (
        <>
        {equalSize && (
          <p className="small">
            The dense network here has about as many parameters as the CNN ({formatInt(denseParameters)} against{' '}
            {formatInt(cnnParameters)}): what differs is the architecture, not the size.
          </p>
        )}
        <p className="small muted">
          Why convolutions win on images: a convolution slides the same small 3×3 filters over the whole picture, so an
          edge, a collar or a strap is recognised wherever it is, and neighbouring pixels are read together. A dense layer
          gives every pixel its own weights: to it a garment shifted by two pixels is a different picture, and it must
          learn each position anew.
        </p>
        {gap < 0 && (
          <p className="small muted">
            Here the dense network is ahead: the CNN has had {formatInt(steps)} gradient steps, and convolutions need more to
            find their filters. Train both on more images or for more epochs and watch the curves cross.
          </p>
        )}
        </>
      )}
    </aside>
  );
}

const PAGE = 24;

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function tileText(d: Disagreement, cnnName: string, denseName: string, names: Record<CompareMember, string>) {
  const say = (p: { predicted: number; confidence: number }) => `${CLASS_NAMES[p.predicted]} (${formatPercent(p.confidence, 0)})`;
  const brief = (p: { predicted: number; confidence: number }) => `${CLASS_NAMES[p.predicted]} ${formatPercent(p.confidence, 0)}`;
  return {
    index: d.index,
    text: `True ${CLASS_NAMES[d.label]}. ${cnnName}: ${say(d.cnn)}. ${denseName}: ${say(d.dense)}.`,
    caption: `True: ${CLASS_NAMES[d.label]}\n${capital(names.cnn)}: ${brief(d.cnn)}\n${capital(names.dense)}: ${brief(d.dense)}`,
  };
}

const DisagreementGrid = memo(function DisagreementGrid(props: { run: RunState; comparison: Comparison; testImages: Uint8Array }) {
  const { run, comparison } = props;
  const { titles, short } = sides(run);
  const { cnn: cnnName, dense: denseName } = titles;
  const groups = useMemo(
    () => [
      {
        key: 'cnn',
        title: `${cnnName} right, ${denseName} wrong`,
        note: `${denseName}'s most confident mistakes first`,
        items: comparison.cnnOnly.map((d) => tileText(d, cnnName, denseName, short)),
      },
      {
        key: 'dense',
        title: `${denseName} right, ${cnnName} wrong`,
        note: `${cnnName}'s most confident mistakes first`,
        items: comparison.denseOnly.map((d) => tileText(d, cnnName, denseName, short)),
      },
    ],
    [comparison, cnnName, denseName, short],
  );
  return (
    <section className="subpanel" aria-labelledby="disagree-heading">
      <h3 id="disagree-heading">Where they disagree</h3>
      <p className="disagree-summary">
        Of {formatInt(comparison.count)} test images, both are right on {formatInt(comparison.bothRight)} and both wrong on{' '}
        {formatInt(comparison.bothWrong)}. The {short.cnn} model alone is right on <strong>{formatInt(comparison.cnnOnly.length)}</strong>,
        the {short.dense} one alone on <strong>{formatInt(comparison.denseOnly.length)}</strong>: the difference,{' '}
        {signed(comparison.cnnOnly.length - comparison.denseOnly.length)}, is the gap in right answers.
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
