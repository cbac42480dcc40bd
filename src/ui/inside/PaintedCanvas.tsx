/** A canvas that is an image for assistive technology and tests alike: role img, named by `label`. */
import { useEffect, useRef } from 'react';

/**
 * @param paint draws onto the canvas (sizing it); run again whenever it changes, so callers pass
 *   a memoised function
 */
/**
 * @param scale screen pixels per canvas pixel (its CSS width; it shrinks to fit a narrow screen);
 *   without it the stylesheet sizes the canvas
 */
export function PaintedCanvas(props: {
  label: string;
  paint: (canvas: HTMLCanvasElement) => void;
  className?: string;
  title?: string;
  scale?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { paint, scale } = props;
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    paint(c);
    if (scale) c.style.width = `${c.width * scale}px`;
  }, [paint, scale]);
  return <canvas ref={canvas} role="img" aria-label={props.label} title={props.title} className={props.className} />;
}
