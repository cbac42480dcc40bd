/**
 * A wide table in a box of its own that scrolls sideways, so the page never does. While the table
 * is wider than the box, a line under it says there is more and which way, the hidden side's edge
 * is shaded, and the box takes keyboard focus (arrow keys scroll it) as a named region.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

type Overflow = { left: boolean; right: boolean } | null;

export function TableScroll(props: { label: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState<Overflow>(null);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const update = () => {
      const max = el.scrollWidth - el.clientWidth;
      const next = max > 1 ? { left: el.scrollLeft > 1, right: el.scrollLeft < max - 1 } : null;
      setOverflow((now) => (now?.left === next?.left && now?.right === next?.right ? now : next));
    };
    update();
    // The box narrows with the screen; the table widens as rows come in.
    const resize = new ResizeObserver(update);
    resize.observe(el);
    if (el.firstElementChild) resize.observe(el.firstElementChild);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      resize.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, []);

  const edges = `${overflow?.left ? ' more-left' : ''}${overflow?.right ? ' more-right' : ''}`;
  return (
    <div className={`table-scroll-frame${edges}`}>
      <div
        ref={box}
        className="table-scroll"
        tabIndex={overflow ? 0 : undefined}
        role={overflow ? 'region' : undefined}
        aria-label={overflow ? `${props.label}, scrolls sideways` : undefined}
      >
        {props.children}
      </div>
      {overflow && (
        <p className="table-scroll-hint muted small" aria-hidden="true">
          {overflow.right ? 'More to the right: scroll the table sideways →' : '← The table scrolls back to the left'}
        </p>
      )}
    </div>
  );
}
