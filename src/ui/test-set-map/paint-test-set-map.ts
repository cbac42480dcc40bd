/** Paints the map of the test set onto a canvas: one dot per test image in its class's colour, and the picture's marker. */
import { canvas2d } from '../components/canvas-2d.ts';
import { CLASS_COLOURS } from './class-colours.ts';

/** Room around the unit square, as a share of the side, so dots and the marker at the edges show whole. */
const MARGIN = 0.04;

/** Canvas pixels of a point at (x, y) in [0, 1]² on a square canvas of `side` pixels. */
export const toCanvas = (x: number, y: number, side: number): [number, number] => [
  (MARGIN + (1 - 2 * MARGIN) * x) * side,
  (MARGIN + (1 - 2 * MARGIN) * y) * side,
];

/**
 * Draws `positions` (x, y per image in [0, 1]²) coloured by `labels`, on a square canvas of `css`
 * CSS pixels (sharp on dense screens), and the marker at `marker` when there is one.
 */
export function paintTestSetMap(
  canvas: HTMLCanvasElement,
  css: number,
  positions: Float32Array | null,
  labels: Uint8Array | null,
  marker: [number, number] | null,
): void {
  const ratio = globalThis.devicePixelRatio || 1;
  const side = Math.round(css * ratio);
  const ctx = canvas2d(canvas, side, side);
  if (!ctx) return;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, side, side);
  if (!positions || !labels) return;
  const radius = 2.2 * ratio;
  ctx.globalAlpha = 0.75;
  for (let c = 0; c < CLASS_COLOURS.length; c++) {
    ctx.fillStyle = CLASS_COLOURS[c];
    ctx.beginPath();
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== c) continue;
      const [x, y] = toCanvas(positions[2 * i], positions[2 * i + 1], side);
      ctx.moveTo(x + radius, y);
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
    }
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  if (!marker) return;
  // A ring with a white halo and a cross: it stands out on every class colour.
  const [x, y] = toCanvas(marker[0], marker[1], side);
  const r = 8 * ratio;
  for (const [colour, width] of [
    ['#ffffff', 5 * ratio],
    ['#111111', 2.5 * ratio],
  ] as const) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.moveTo(x - 1.8 * r, y);
    ctx.lineTo(x - 0.5 * r, y);
    ctx.moveTo(x + 0.5 * r, y);
    ctx.lineTo(x + 1.8 * r, y);
    ctx.moveTo(x, y - 1.8 * r);
    ctx.lineTo(x, y - 0.5 * r);
    ctx.moveTo(x, y + 0.5 * r);
    ctx.lineTo(x, y + 1.8 * r);
    ctx.stroke();
  }
}
