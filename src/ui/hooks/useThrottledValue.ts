/** A hook that passes a value on at most once per interval, always ending on the latest. */
import { useEffect, useRef, useState } from 'react';
import { useLatest } from './useLatest.ts';

/**
 * `value`, but updated at most once every `intervalMs` (on an animation frame): charts redraw at a
 * calm pace however fast messages arrive, and always end on the latest value.
 */
export function useThrottledValue<T>(value: T, intervalMs = 500): T {
  const [shown, setShown] = useState(value);
  const latest = useLatest(value);
  const lastShown = useRef(0);
  const timer = useRef<number | null>(null);
  const frame = useRef<number | null>(null);

  useEffect(() => {
    if (timer.current !== null || frame.current !== null) return; // the pending update will take the latest value
    const wait = Math.max(0, lastShown.current + intervalMs - performance.now());
    timer.current = window.setTimeout(() => {
      timer.current = null;
      frame.current = requestAnimationFrame(() => {
        frame.current = null;
        lastShown.current = performance.now();
        setShown(() => latest.current);
      });
    }, wait);
  }, [value, intervalMs, latest]);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      timer.current = frame.current = null;
    },
    [],
  );

  return shown;
}
