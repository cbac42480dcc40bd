/** A hook for a flag that shows only once it has held for a while (no flicker for what is quick). */
import { useEffect, useState } from 'react';

/** `on`, but true only after it has stayed true for `delayMs`; false at once. */
export function useDelayedFlag(on: boolean, delayMs: number): boolean {
  const [shown, setShown] = useState(false);
  // Reset while rendering, not in an effect, so that the next time `on` holds it waits again.
  if (!on && shown) setShown(false);
  useEffect(() => {
    if (!on) return;
    const timer = window.setTimeout(() => setShown(true), delayMs);
    return () => window.clearTimeout(timer);
  }, [on, delayMs]);
  return on && shown;
}
