import { useEffect, useRef } from 'react';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../../core/classes.ts';

/**
 * The 28 × 28 input the model sees, enlarged with crisp pixels: bright object on black, exactly the
 * bytes it classifies (one canvas pixel per input pixel, gray, opaque).
 */
export function InputPreview(props: { image: Uint8Array | null; caption: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const data = ctx.createImageData(IMAGE_SIZE, IMAGE_SIZE);
    for (let i = 0; i < IMAGE_PIXELS; i++) {
      const v = props.image?.[i] ?? 0;
      data.data[4 * i] = data.data[4 * i + 1] = data.data[4 * i + 2] = v;
      data.data[4 * i + 3] = 255;
    }
    ctx.putImageData(data, 0, 0);
  }, [props.image]);
  return (
    <figure className="input-preview">
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
