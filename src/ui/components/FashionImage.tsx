/** One 28 × 28 Fashion-MNIST image, drawn with crisp pixels. */
import { memo, useLayoutEffect, useRef } from 'react';
import { IMAGE_SIZE } from '../../core/classes.ts';
import { paintImage } from './images.ts';

/**
 * One 28 × 28 Fashion-MNIST image from a byte array, scaled up with crisp pixels. A canvas with
 * the role and name of an image, so screen readers read `alt` as they would an img's.
 */
export const FashionImage = memo(function FashionImage(props: { images: Uint8Array; index: number; alt: string; size?: number }) {
  const size = props.size ?? 56;
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    if (canvas.current) paintImage(canvas.current, props.images, props.index);
  }, [props.images, props.index]);
  return (
    <canvas
      ref={canvas}
      className="fashion-image"
      role="img"
      aria-label={props.alt}
      title={props.alt}
      width={IMAGE_SIZE}
      height={IMAGE_SIZE}
      style={{ width: size, height: size }}
    />
  );
});
