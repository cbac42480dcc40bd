import { memo } from 'react';
import { imageUrl } from './images.ts';

/** One 28 × 28 Fashion-MNIST image from a byte array, scaled up with crisp pixels. */
export const FashionImage = memo(function FashionImage(props: {
  images: Uint8Array;
  index: number;
  alt: string;
  size?: number;
}) {
  const size = props.size ?? 56;
  return (
    <img
      className="fashion-image"
      src={imageUrl(props.images, props.index)}
      alt={props.alt}
      title={props.alt}
      width={size}
      height={size}
    />
  );
});
