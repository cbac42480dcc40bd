/** The six test images nearest to the current picture in the model's features, with their labels. */
import { useId } from 'react';
import { CLASS_NAMES } from '../../core/classes.ts';
import type { NearestImage } from '../../app/test-set-map/test-set-map-service.ts';
import { FashionImage } from '../components/FashionImage.tsx';

const nameOf = (label: number) => CLASS_NAMES[label] ?? `class ${label}`;

/**
 * @param title which picture they are nearest to ("your drawing")
 * @param onOpen answers the test image of that index instead of the picture
 */
export function NearestImages(props: { nearest: NearestImage[]; testImages: Uint8Array; title: string; onOpen?: (index: number) => void }) {
  const { onOpen } = props;
  const headingId = useId();
  return (
    <div className="nearest-images">
      <h5 id={headingId}>Nearest test images</h5>
      <p className="muted small">
        The test images the model finds most like {props.title}, closest first
        {onOpen ? '. Click one to see what the model says about it.' : '.'}
      </p>
      <ol className="tiles nearest-tiles" aria-labelledby={headingId}>
        {props.nearest.map((n) => {
          const alt = `Test image ${n.index + 1}: ${nameOf(n.label)}`;
          const image = <FashionImage images={props.testImages} index={n.index} alt={alt} size={56} />;
          return (
            <li key={n.index} className="tile" data-label={nameOf(n.label)}>
              {onOpen ? (
                <button type="button" className="tile-button" onClick={() => onOpen(n.index)} title={`Answer ${alt.toLowerCase()}`}>
                  {image}
                </button>
              ) : (
                image
              )}
              <span className="tile-text">{nameOf(n.label)}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
