/** A hook for callbacks set up once (listeners, timers, subscriptions) that must call the newest prop. */
import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * A ref holding `value` as of the last committed render. Written in a layout effect, not during
 * render: a render that React throws away must not change it, and the layout effect runs before
 * any effect, event or timer that reads it.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const latest = useRef(value);
  useLayoutEffect(() => {
    latest.current = value;
  });
  return latest;
}
