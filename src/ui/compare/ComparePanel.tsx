/**
 * Compare mode's run panel: Compare / Stop for the two networks and what they share. Their learning
 * curves (overlaid) are in the page's results column; the results on the test set are
 * CompareResults, below the columns.
 */
import type { TrainingConfig } from '../../core/config.ts';
import { MODEL_CATALOG, type ModelName } from '../../core/models/catalog.ts';
import type { CompareWhat } from '../../app/compare-members.ts';
import type { RunState } from '../../app/state/run-state.ts';
import { formatInt } from '../../app/format.ts';
import { RunPanel } from '../run/RunPanel.tsx';
import './compare.css';

export function ComparePanel(props: {
  run: RunState | null;
  /** What Compare would train now: the dense network, then the CNN. */
  models: [ModelName, ModelName];
  /** Networks (dense against CNN), or the CNN without against with augmentation. */
  what: CompareWhat;
  config: TrainingConfig | null;
  canStart: boolean;
  blockedReason: string | null;
  /** How long the comparison would take, shown before it starts. */
  expected: string | null;
  onCompare: () => void;
  onStop: () => void;
  resultsHref?: string;
}) {
  const [dense, cnn] = props.models;
  const augmentation = props.what === 'augmentation';
  return (
    <RunPanel
      heading={
        augmentation
          ? `${MODEL_CATALOG[cnn].title}: without against with augmentation`
          : `${MODEL_CATALOG[dense].title} against ${MODEL_CATALOG[cnn].title}`
      }
      intro={
        <>
          {augmentation ? (
            <p className="muted small">
              The same CNN twice, from the same seed, on the same images in the same order, for the same epochs with the same optimizer,
              learning rate and schedule: once as the images are, once with the Best preset's augmentation (shifts of up to 2 px, mirroring,
              random erasing on half the images, label smoothing 0.1). They take turns by epoch, and each is tested on the 10,000 test
              images after each of its epochs.
            </p>
          ) : (
            <p className="muted small">
              Both networks train on the same images, in the same order and with the same augmentation, from the same seed, for the same
              epochs with the same optimizer, learning rate and schedule (the hyperparameters you set): only the network differs. They take
              turns by epoch, and each is tested on the 10,000 test images after each of its epochs.
            </p>
          )}
          {props.config && <SharedSettings config={props.config} augmentation={augmentation} />}
        </>
      }
      startLabel="Compare"
      run={props.run}
      canStart={props.canStart}
      blockedReason={props.blockedReason}
      expected={props.expected}
      onStart={props.onCompare}
      onStop={props.onStop}
      resultsHref={props.resultsHref}
    />
  );
}

function SharedSettings({ config, augmentation }: { config: TrainingConfig; augmentation: boolean }) {
  const train = Math.round(config.trainSize * (1 - config.validationSplit));
  const augment = [config.shift ? `shifts up to ${config.shift} px` : '', config.flip ? 'mirroring' : ''].filter(Boolean).join(' and ');
  return (
    <p className="small compare-settings">
      Same for both: {formatInt(train)} training images (of {formatInt(config.trainSize)}, {Math.round(config.validationSplit * 100)}% held
      out), seed {config.seed}, {config.epochs} epoch{config.epochs === 1 ? '' : 's'}, batch {config.batchSize}, {config.optimizer} at{' '}
      {config.learningRate} ({config.schedule}){augmentation ? '' : `, ${augment || 'no augmentation'}`}.
    </p>
  );
}
