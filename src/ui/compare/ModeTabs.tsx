/** The tabs of the page: Train one model, Compare two, or Draw or upload a picture for a ready-trained model. */
import type { KeyboardEvent, ReactNode } from 'react';

export type Mode = 'train' | 'compare' | 'draw';

const TABS: { mode: Mode; label: string }[] = [
  { mode: 'train', label: 'Train one model' },
  { mode: 'compare', label: 'Compare' },
  { mode: 'draw', label: 'Draw or upload' },
];

const tabId = (mode: Mode) => `mode-tab-${mode}`;
const MODE_PANEL_ID = 'mode-panel';

/** "Train one model", "Compare" or "Draw or upload": a tab list (arrow keys move between the tabs). */
export function ModeTabs(props: { mode: Mode; onChange: (mode: Mode) => void }) {
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const step = event.key === 'ArrowRight' ? 1 : TABS.length - 1;
    const next = TABS[(TABS.findIndex((t) => t.mode === props.mode) + step) % TABS.length].mode;
    props.onChange(next);
    document.getElementById(tabId(next))?.focus();
  };
  return (
    <div role="tablist" aria-label="Mode" className="mode-tabs">
      {TABS.map((t) => {
        const selected = t.mode === props.mode;
        return (
          <button
            key={t.mode}
            id={tabId(t.mode)}
            type="button"
            role="tab"
            aria-selected={selected}
            aria-controls={MODE_PANEL_ID}
            tabIndex={selected ? 0 : -1}
            className={selected ? 'selected' : ''}
            onClick={() => props.onChange(t.mode)}
            onKeyDown={onKeyDown}
          >
            {t.label}
          </button>
        );
      })}
    </div>
  );
}

/** The panel the tabs control, labelled by the selected tab. */
export function ModePanel(props: { mode: Mode; children: ReactNode }) {
  return (
    <div role="tabpanel" id={MODE_PANEL_ID} aria-labelledby={tabId(props.mode)}>
      {props.children}
    </div>
  );
}
