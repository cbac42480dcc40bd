/** Shows the 28 × 28 input the model reads, enlarged. */
import { useEffect, useRef } from 'react';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../../core/classes.ts';
import { paintImage } from '../components/images.ts';

const BLANK = new Uint8Array(IMAGE_PIXELS);

/**
 * The 28 × 28 input the model sees (`label`: which input it is, once there is one), enlarged with crisp pixels: bright object on black, exactly the
 * bytes it classifies (one canvas pixel per input pixel, gray, opaque).
 */
export function InputPreview(props: { image: Uint8Array | null; label: string | null; caption: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) paintImage(canvas.current, props.image ?? BLANK, 0, 'data');
  }, [props.image]);
  return (
    <figure className="input-preview">
      {props.label && <p className="small input-label">{props.label}</p>}
      <canvas
        ref={canvas}
        width={IMAGE_SIZE}
        height={IMAGE_SIZE}
        role="img"
        aria-label="What the model sees (28 × 28 input)"
        data-empty={props.image ? undefined : 'true'}
      />
      <figcaption className="muted small">{props.caption}</figcaption>
    </figure>
  );
}
