/** The dataset panel: download progress, errors with Retry, and a gallery of each class. */
import { memo, useMemo } from 'react';
import { CLASS_NAMES } from '../../core/classes.ts';
import type { DatasetState } from '../../app/state/page-state.ts';
import { FashionImage } from './FashionImage.tsx';
import { formatInt, formatMB } from '../../app/format.ts';

/** Download progress of the dataset, its errors (with Retry) and a gallery of each class. */
export function DatasetPanel(props: { dataset: DatasetState; connected: boolean; onRetry: () => void }) {
  const { progress, summary, error } = props.dataset;
  return (
    <section className="panel" aria-labelledby="dataset-heading">
      <h2 id="dataset-heading">Dataset</h2>
      <div className="progress-row">
        <progress aria-label="Dataset" max={progress?.totalBytes || 1} value={progress ? progress.loadedBytes : undefined} />
        <span className="muted">
          {progress
            ? `${formatMB(progress.loadedBytes)} of ${formatMB(progress.totalBytes)} MB · ${formatInt(
                progress.loadedImages,
              )} of ${formatInt(progress.totalImages)} images`
            : props.connected
              ? 'Starting the download…'
              : 'Starting the training engine…'}
        </span>
      </div>
      <p className="muted small">
        {summary
          ? `All in: ${formatInt(summary.trainCount)} training and ${formatInt(summary.testCount)} test images.`
          : progress?.trainReady
            ? 'The training images are in: you can train while the test images arrive.'
            : 'Fashion-MNIST streams into your browser once; training can start as soon as the training images are in.'}
      </p>
      {error && (
        <div role="alert" className="alert">
          <span>
            {error.file ? (
              <>
                The data file <code>{error.file}</code> could not be loaded: {error.message}.{' '}
              </>
            ) : (
              <>The dataset could not be loaded: {error.message}. </>
            )}
            Check your connection (or rebuild the data with <code>npm run data</code>), then retry.
          </span>
          <button type="button" onClick={props.onRetry}>
            Retry
          </button>
        </div>
      )}
      {summary && <Gallery images={summary.gallery.images} labels={summary.gallery.labels} />}
    </section>
  );
}

const Gallery = memo(function Gallery(props: { images: Uint8Array; labels: Uint8Array }) {
  const byClass = useMemo(() => {
    const groups: number[][] = CLASS_NAMES.map(() => []);
    props.labels.forEach((label, i) => groups[label]?.push(i));
    return groups;
  }, [props.labels]);
  return (
    <ul className="gallery" aria-label="Examples of each class">
      {byClass.map((indices, label) => (
        <li key={label} className="gallery-class">
          <span className="gallery-name">{CLASS_NAMES[label]}</span>
          <span className="gallery-images">
            {indices.map((i) => (
              <FashionImage key={i} images={props.images} index={i} alt={CLASS_NAMES[label]} size={30} />
            ))}
          </span>
        </li>
      ))}
    </ul>
  );
});
