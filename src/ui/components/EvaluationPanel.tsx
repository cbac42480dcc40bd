/** The Train tab's test-set view: accuracy overall and per class, confusion matrix, mistakes and report of the run's model. */
import type { RunState } from '../../app/state/run-state.ts';
import type { DatasetSummary } from '../../app/protocol.ts';
import { ClassAccuracyChart } from './ClassAccuracyChart.tsx';
import { ClassificationReportTable } from './ClassificationReportTable.tsx';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';
import { formatInt, formatPercent } from '../../app/format.ts';
import { MisclassifiedGrid } from './MisclassifiedGrid.tsx';

export function EvaluationPanel(props: { run: RunState | null; summary: DatasetSummary | null; onEvaluate: () => void }) {
  const { run, summary } = props;
  const latest = run?.members[0]?.evaluation ?? null;
  return (
    <section className="panel" aria-labelledby="evaluation-heading">
      <h2 id="evaluation-heading">Test set</h2>
      {!latest && (
        <>
          <p className="muted">
            {run?.status === 'training' || run?.status === 'stopping'
              ? run.evaluateEachEpoch
                ? 'The test set is evaluated after each epoch: results appear here after the first one.'
                : 'The test set is evaluated when training ends.'
              : 'Train a model to see its test accuracy, confusion matrix, mistakes and classification report.'}
          </p>
          {run?.status === 'done' && !run.error && (
            <button type="button" onClick={props.onEvaluate}>
              Evaluate on the test set
            </button>
          )}
        </>
      )}
      {latest && (
        <>
          <p className="headline">
            <span className="accuracy">Test accuracy: {formatPercent(latest.evaluation.accuracy)}</span>{' '}
            <span className="muted small">
              {latest.stoppedInEpoch !== null ? `stopped in epoch ${latest.stoppedInEpoch}` : `after epoch ${latest.epoch}`} · loss{' '}
              {latest.evaluation.loss.toFixed(3)} · {formatInt(latest.evaluation.count)} images
            </span>
          </p>
          {run?.members[0]?.diverged && (
            <p className="alert diverged-result">
              These results are of a run that went wrong: {run.members[0].diverged}. The model is kept, but it has not learnt.
            </p>
          )}
          <ClassAccuracyChart confusion={latest.evaluation.confusion} />
          {summary && summary.testLabels.length === latest.evaluation.predicted.length ? (
            <>
              <ConfusionMatrix
                confusion={latest.evaluation.confusion}
                predicted={latest.evaluation.predicted}
                confidence={latest.evaluation.confidence}
                testLabels={summary.testLabels}
                testImages={summary.testImages}
              />
              <MisclassifiedGrid mistakes={latest.evaluation.misclassified} testImages={summary.testImages} />
            </>
          ) : (
            <p className="muted small">The test images are still loading: their pictures appear once they are in.</p>
          )}
          <ClassificationReportTable report={latest.evaluation.report} />
        </>
      )}
    </section>
  );
}
