/** A paged grid of captioned image tiles (mistakes, disagreements). */
import { useContext, useState } from 'react';
import { IMAGE_PIXELS } from '../../core/classes.ts';
import { OpenPictureContext } from '../inside/open-picture.ts';
import { FashionImage } from './FashionImage.tsx';

export interface Tile {
  /** Index of the image in `images`. */
  index: number;
  /** The image's alt text, and its caption unless `caption` is given. */
  text: string;
  caption?: string;
}

/**
 * A grid of image tiles, `pageSize` at first, then "Show more". Give it a new `key` to start over.
 * On the page each tile is a button that opens its image in Draw or upload ("Inside the model").
 */
export function ImageTiles(props: { images: Uint8Array; tiles: Tile[]; pageSize?: number; label: string }) {
  const pageSize = props.pageSize ?? 48;
  const [shown, setShown] = useState(pageSize);
  const visible = props.tiles.slice(0, shown);
  const open = useContext(OpenPictureContext);
  return (
    <>
      <ul className="tiles" aria-label={props.label}>
        {visible.map((tile) => (
          <li key={tile.index} className="tile">
            {open ? (
              <button
                type="button"
                className="tile-open"
                aria-label={`Look inside the model: ${tile.text}`}
                title={`${tile.text}. Click to see how the model reads it, under Draw or upload.`}
                onClick={() =>
                  open({ image: props.images.slice(tile.index * IMAGE_PIXELS, (tile.index + 1) * IMAGE_PIXELS), caption: tile.text })
                }
              >
                <FashionImage images={props.images} index={tile.index} alt={tile.text} size={56} />
              </button>
            ) : (
              <FashionImage images={props.images} index={tile.index} alt={tile.text} size={56} />
            )}
            <span className="tile-text">{tile.caption ?? tile.text}</span>
          </li>
        ))}
      </ul>
      {shown < props.tiles.length && (
        <p className="show-more">
          <button type="button" onClick={() => setShown((n) => n + pageSize)}>
            Show more
          </button>{' '}
          <span className="muted small">
            {visible.length} of {props.tiles.length} shown
          </span>
        </p>
      )}
    </>
  );
}
