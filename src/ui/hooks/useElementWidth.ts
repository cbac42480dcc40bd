/** A hook for an element's width, kept current as it resizes. */
import { useEffect, useState, type RefObject } from 'react';

/** The element's width in whole CSS pixels, kept current as it resizes (0 until laid out). */
export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.round(el.clientWidth)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
