/** Number formatting shared by the panels (English, like the rest of the page). */

export const formatInt = (n: number): string => Math.round(n).toLocaleString('en');

export const formatMB = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** 0.9132 → "91.3%". */
export const formatPercent = (fraction: number, digits = 1): string => `${(fraction * 100).toFixed(digits)}%`;

/** Seconds → "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A message as one sentence: its own full stop kept, one added where it has none (never ". ."). */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** What a caught value says: an Error's message, or the value itself as text. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
