/**
 * While `on`, closing or reloading the tab asks first (the browser's own "Leave site?" dialog):
 * a run lives only in this tab, and leaving loses it. Off, the page leaves without a word.
 */
import { useEffect } from 'react';

export function useLeaveWarning(on: boolean): void {
  useEffect(() => {
    if (!on) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers ask only when returnValue is set; its text is no longer shown anywhere.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [on]);
}
