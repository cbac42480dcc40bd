/**
 * Compare mode's own settings, kept in the URL beside the hyperparameters (useUrlConfig.ts keeps
 * those): `mode=compare` opens the Compare tab and `equalSize=1` ticks "Equal-size dense network",
 * so a link repeats a comparison too.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Mode } from './ModeTabs.tsx';

function read(): { mode: Mode; equalSize: boolean } {
  const params = new URLSearchParams(window.location.search);
  return { mode: params.get('mode') === 'compare' ? 'compare' : 'train', equalSize: params.get('equalSize') === '1' };
}

export function useCompareUrl() {
  const [initial] = useState(read);
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [equalSize, setEqualSize] = useState(initial.equalSize);

  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if (mode === 'compare') params.set('mode', 'compare');
    else params.delete('mode');
    if (equalSize) params.set('equalSize', '1');
    else params.delete('equalSize');
    const query = params.toString();
    const url = `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(window.history.state, '', url);
    }
  }, [mode, equalSize]);

  return { mode, setMode: useCallback((m: Mode) => setMode(m), []), equalSize, setEqualSize };
}
