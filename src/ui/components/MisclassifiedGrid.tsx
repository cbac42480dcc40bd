/** The test images the model got wrong, the most confident mistakes first. */
import { memo, useMemo } from 'react';
import { CLASS_NAMES } from '../../core/classes.ts';
import type { Misclassification } from '../../core/metrics.ts';
import { formatInt, formatPercent } from '../../app/format.ts';
import { ImageTiles } from './ImageTiles.tsx';

/** The test images the model got wrong, the most confident mistakes first. */
export const MisclassifiedGrid = memo(function MisclassifiedGrid(props: { mistakes: Misclassification[]; testImages: Uint8Array }) {
  const tiles = useMemo(
    () =>
      props.mistakes.map((m) => ({
        index: m.index,
        text: `True ${CLASS_NAMES[m.label]}, predicted ${CLASS_NAMES[m.predicted]} (${formatPercent(m.confidence)} confident)`,
      })),
    [props.mistakes],
  );
  return (
    <section className="subpanel" aria-labelledby="misclassified-heading">
      <h3 id="misclassified-heading">Misclassified</h3>
      <p className="muted small">
        {tiles.length === 0 ? 'No mistakes on the test set.' : `${formatInt(tiles.length)} test images, the most confident mistakes first.`}
      </p>
      <ImageTiles
        key={tiles.length ? props.mistakes[0].index : 0}
        images={props.testImages}
        tiles={tiles}
        label="Misclassified test images"
      />
    </section>
  );
});
