/** The drawing pad: a canvas for mouse, pen, touch and keyboard that reports the picture as it is drawn. */
import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { StrokeRaster, type DirtyRect, type PadStroke } from '../../core/sketch/stroke-raster';
import { useLatest } from '../hooks/useLatest.ts';
import { canvas2d } from '../components/canvas-2d.ts';

/** The pad's own resolution (and CSS size): 10 × the model's 28 pixels. */
export const PAD_SIZE = 280;
/** Predictions while drawing at most this often (ms); the stroke's end always gets one. */
export const PREDICT_INTERVAL_MS = 100;
/** One arrow key moves the keyboard's pen one model pixel; with Shift, four. */
export const KEY_STEP = PAD_SIZE / 28;
/** Stands for the keyboard in place of a pointer id while its pen is down. */
const KEYBOARD = -1;
type Stroke = PadStroke;

/**
 * A sketch pad for mouse, touch and pen (pointer events, captured so a stroke may leave the pad)
 * and for the keyboard (arrows move a pen, Space or Enter puts it down and lifts it): dark strokes
 * on light paper, brush size, Undo and Clear. Reports the picture's RGBA pixels while drawing
 * (throttled) and at each stroke's end; null when the pad is blank.
 *
 * The strokes are inked by the core's StrokeRaster, not the canvas's own line drawing: the canvas
 * shows the raster's pixels and the pad reports the same pixels, so the sketch benchmark, which
 * replays strokes through that raster in Node, measures exactly what the pad answers.
 *
 * While an upload is answered (`inactiveNote`), the sketch stays, dimmed, under a note; the next
 * stroke answers the drawing again.
 */
export function DrawingPad(props: {
  onPicture: (rgba: Uint8ClampedArray | null, width: number, height: number) => void;
  /** Set while another input (an upload) is answered: the sketch is dimmed, with this note over it. */
  inactiveNote?: string | null;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Stroke[]>([]);
  const raster = useRef<StrokeRaster | null>(null);
  raster.current ??= new StrokeRaster(PAD_SIZE, PAD_SIZE);
  const drawing = useRef<{ pointerId: number; stroke: Stroke } | null>(null);
  const [strokeCount, setStrokeCount] = useState(0);
  const [brush, setBrush] = useState(18);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastReport = useRef(0);
  // The keyboard's pen, shown as a ring over the pad while the pad has keyboard focus.
  const [pen, setPen] = useState({ x: PAD_SIZE / 2, y: PAD_SIZE / 2, down: false });
  const hintId = useId();
  const onPicture = useLatest(props.onPicture);

  // Dimming a blank pad would say nothing: only a sketch that is not answered is dimmed.
  const inactive = Boolean(props.inactiveNote) && strokeCount > 0;

  const report = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    lastReport.current = performance.now();
    if (strokes.current.length === 0) onPicture.current(null, PAD_SIZE, PAD_SIZE);
    else onPicture.current(raster.current!.rgba.slice(), PAD_SIZE, PAD_SIZE);
  }, [onPicture]);

  /** Reports now if the last report is old enough, else once the interval is up. */
  const reportSoon = useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, PREDICT_INTERVAL_MS - (performance.now() - lastReport.current));
    timer.current = setTimeout(report, wait);
  }, [report]);

  /** Copies the raster's pixels in `rect` onto the canvas. */
  const paint = useCallback((rect: DirtyRect) => {
    const ctx = canvas.current ? canvas2d(canvas.current, PAD_SIZE, PAD_SIZE) : null;
    const w = rect.x1 - rect.x0;
    const h = rect.y1 - rect.y0;
    if (!ctx || w <= 0 || h <= 0) return;
    ctx.putImageData(new ImageData(raster.current!.rgba, PAD_SIZE, PAD_SIZE), 0, 0, rect.x0, rect.y0, w, h);
  }, []);
  const segment = (stroke: Stroke, from: number) => paint(raster.current!.drawStroke(stroke, from));

  const redraw = useCallback(() => {
    raster.current!.drawAll(strokes.current);
    paint({ x0: 0, y0: 0, x1: PAD_SIZE, y1: PAD_SIZE });
  }, [paint]);

  useEffect(() => {
    redraw();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [redraw]);

  const point = (e: { clientX: number; clientY: number }) => {
    const rect = canvas.current!.getBoundingClientRect();
    return {
      x: ((e.clientX - rect.left) * PAD_SIZE) / Math.max(1, rect.width),
      y: ((e.clientY - rect.top) * PAD_SIZE) / Math.max(1, rect.height),
    };
  };

  // A stroke's life, the same for a pointer and for the keyboard (pointerId KEYBOARD).
  const startStroke = (pointerId: number, at: { x: number; y: number }) => {
    const stroke: Stroke = { size: brush, points: [at] };
    strokes.current.push(stroke);
    drawing.current = { pointerId, stroke };
    setStrokeCount(strokes.current.length);
    segment(stroke, 0);
    reportSoon();
  };
  const extendStroke = (stroke: Stroke, points: { x: number; y: number }[]) => {
    const from = stroke.points.length;
    stroke.points.push(...points);
    segment(stroke, from);
    reportSoon();
  };
  /** Ends the stroke of `pointerId`, if it is drawing one. */
  const endStroke = (pointerId: number) => {
    if (drawing.current?.pointerId !== pointerId) return;
    drawing.current = null;
    report();
  };

  const down = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (drawing.current || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    startStroke(e.pointerId, point(e));
  };

  const move = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const d = drawing.current;
    if (!d || d.pointerId !== e.pointerId) return;
    // Coalesced events: every sample a fast pen or mouse made since the last frame.
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    extendStroke(d.stroke, (events.length ? events : [e.nativeEvent]).map(point));
  };

  const up = (e: ReactPointerEvent<HTMLCanvasElement>) => endStroke(e.pointerId);

  const liftKeyboardPen = () => {
    setPen((p) => ({ ...p, down: false }));
    endStroke(KEYBOARD);
  };

  const key = (e: ReactKeyboardEvent<HTMLCanvasElement>) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      undo();
      return;
    }
    const step = e.shiftKey ? 4 * KEY_STEP : KEY_STEP;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const d = drawing.current;
    if (e.key in moves) {
      const [dx, dy] = moves[e.key];
      const clamp = (v: number) => Math.min(PAD_SIZE, Math.max(0, v));
      const next = { x: clamp(pen.x + dx), y: clamp(pen.y + dy), down: pen.down };
      setPen(next);
      if (d?.pointerId === KEYBOARD) extendStroke(d.stroke, [{ x: next.x, y: next.y }]);
    } else if (e.key === ' ' || e.key === 'Enter') {
      if (d?.pointerId === KEYBOARD) liftKeyboardPen();
      else if (!d) {
        setPen({ ...pen, down: true });
        startStroke(KEYBOARD, { x: pen.x, y: pen.y });
      }
    } else if (e.key === 'Escape') {
      liftKeyboardPen();
    } else {
      return;
    }
    e.preventDefault(); // arrows and Space would scroll the page
  };

  const undo = () => {
    if (drawing.current?.pointerId === KEYBOARD) liftKeyboardPen();
    if (drawing.current) return;
    strokes.current.pop();
    setStrokeCount(strokes.current.length);
    redraw();
    report();
  };

  const clear = () => {
    drawing.current = null;
    setPen((p) => ({ ...p, down: false }));
    strokes.current = [];
    setStrokeCount(0);
    redraw();
    report();
  };

  return (
    <div className="drawing-pad">
      <div className={inactive ? 'pad-surface inactive' : 'pad-surface'}>
        <canvas
          ref={canvas}
          width={PAD_SIZE}
          height={PAD_SIZE}
          role="application"
          aria-roledescription="drawing pad"
          aria-label="Drawing pad"
          aria-describedby={hintId}
          tabIndex={0}
          className="pad-canvas"
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={up}
          onLostPointerCapture={up}
          onKeyDown={key}
          onBlur={liftKeyboardPen}
        />
        <span
          className={pen.down ? 'pad-pen down' : 'pad-pen'}
          aria-hidden="true"
          style={{ left: `${(pen.x / PAD_SIZE) * 100}%`, top: `${(pen.y / PAD_SIZE) * 100}%`, width: `${(brush / PAD_SIZE) * 100}%` }}
        />
        {inactive && <p className="pad-inactive-note small">{props.inactiveNote}</p>}
      </div>
      <p id={hintId} className="pad-hint muted small">
        Keys: arrows move the pen (Shift: further), Space draws or lifts it, Ctrl+Z undoes.
      </p>
      <div className="pad-controls">
        <label className="brush">
          Brush
          <input
            type="range"
            min={4}
            max={40}
            step={1}
            value={brush}
            onChange={(e) => setBrush(Number(e.target.value))}
            aria-label="Brush size"
          />
          <span className="muted small">{brush} px</span>
        </label>
        <button type="button" onClick={undo} disabled={strokeCount === 0}>
          Undo
        </button>
        <button type="button" onClick={clear} disabled={strokeCount === 0}>
          Clear
        </button>
      </div>
    </div>
  );
}
