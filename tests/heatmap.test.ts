/**
 * The confusion matrix's heatmap colours (src/ui/components/heatmap.ts) and the per-class accuracy
 * bars (chart-data.ts): every cell's text must read on its colour, and the scales must match the
 * legend. (The page used to draw the matrix twice, once as a tfjs-vis heatmap with dark numbers on
 * dark cells; tests/browser/layout.test.ts checks the page itself.)
 */
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../src/core/classes.ts';
import { classAccuracyBars } from '../src/ui/components/chart-data.ts';
import {
  cellColours,
  contrast,
  countPosition,
  EMPTY_CELL,
  EMPTY_TEXT,
  heatmapScale,
  MISTAKE_RAMP,
  RAMP_START,
  rampColor,
  rampGradient,
  RIGHT_RAMP,
  textOn,
  type Rgb,
} from '../src/ui/components/heatmap.ts';

const rgb = (css: string): Rgb => {
  if (css.startsWith('#')) {
    const h = css.length === 4 ? [...css.slice(1)].map((c) => c + c).join('') : css.slice(1);
    const n = parseInt(h, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = /^rgb\((\d+) (\d+) (\d+)\)$/.exec(css);
  if (!m) throw new Error(`not a colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

/** A matrix with `right` on the diagonal and `wrong` spread over the rest of each row. */
function matrix(right: number[], offDiagonal: (t: number, p: number) => number): number[][] {
  return right.map((r, t) => right.map((_, p) => (p === t ? r : offDiagonal(t, p))));
}

describe('heatmap colours', () => {
  it('reads at 4.5:1 or better on every shade of both ramps, and on an empty cell', () => {
    let worst = Infinity;
    for (const ramp of [RIGHT_RAMP, MISTAKE_RAMP]) {
      for (let i = 0; i <= 1000; i++) {
        const bg = rampColor(ramp, i / 1000);
        worst = Math.min(worst, contrast(bg, rgb(textOn(bg))));
      }
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
    expect(contrast(EMPTY_CELL, rgb(EMPTY_TEXT))).toBeGreaterThanOrEqual(4.5);
    // The old table's text: #1d2330 on any shade. It fails on the ramps' dark middle, which is why the
    // text now switches to white there.
    const dark = rgb('#1d2330');
    expect(Math.min(...RIGHT_RAMP.map((c) => contrast(c, dark)))).toBeLessThan(4.5);
  });

  it('dark cells get white text, light cells black, each cell its computed pair', () => {
    const scale = { rightMax: 1000, mistakeMax: 100 };
    const strongest = cellColours(1000, true, scale);
    expect(strongest.background).toBe('rgb(8 48 107)'); // the ramp's last stop, #08306b
    expect(strongest.color).toBe('#fff');
    const faint = cellColours(1, false, scale);
    expect(faint.color).toBe('#000');
    expect(cellColours(0, true, scale)).toEqual({ background: 'rgb(255 255 255)', color: EMPTY_TEXT });
    expect(cellColours(0, false, scale)).toEqual({ background: 'rgb(255 255 255)', color: EMPTY_TEXT });
    for (let count = 1; count <= 1000; count += 37) {
      for (const diagonal of [true, false]) {
        const c = cellColours(Math.min(count, diagonal ? 1000 : 100), diagonal, scale);
        expect(contrast(rgb(c.background), rgb(c.color)), `${count} ${diagonal}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('right answers are blue and mistakes orange; more is darker', () => {
    const scale = { rightMax: 1000, mistakeMax: 200 };
    const [r, , b] = rgb(cellColours(500, true, scale).background);
    expect(b).toBeGreaterThan(r);
    const [r2, , b2] = rgb(cellColours(100, false, scale).background);
    expect(r2).toBeGreaterThan(b2);
    const lum = (count: number) => rgb(cellColours(count, false, scale).background).reduce((s, x) => s + x, 0);
    expect(lum(10)).toBeGreaterThan(lum(100));
    expect(lum(100)).toBeGreaterThan(lum(200));
  });

  it('maps 1 to the ramp start and the maximum to its end; the legend gradient spans the same', () => {
    expect(countPosition(1, 500)).toBeCloseTo(RAMP_START, 10);
    expect(countPosition(500, 500)).toBe(1);
    expect(countPosition(1, 1)).toBe(1);
    const gradient = rampGradient(MISTAKE_RAMP);
    expect(gradient.startsWith('linear-gradient(to right, ')).toBe(true);
    const stops = gradient.match(/rgb\(\d+ \d+ \d+\)/g)!;
    const start = rampColor(MISTAKE_RAMP, RAMP_START).map(Math.round);
    expect(stops[0]).toBe(`rgb(${start.join(' ')})`);
    expect(stops.at(-1)).toBe('rgb(127 39 4)'); // #7f2704
  });

  it('one scale for several matrices: the largest class and the largest mistake of any', () => {
    const a = matrix([900, 800], () => 30);
    const b = matrix([700, 990], (t) => (t === 0 ? 120 : 5));
    expect(heatmapScale([a])).toEqual({ rightMax: 930, mistakeMax: 30 });
    expect(heatmapScale([a, b])).toEqual({ rightMax: 995, mistakeMax: 120 });
    expect(
      heatmapScale([
        [
          [0, 0],
          [0, 0],
        ],
      ]),
    ).toEqual({ rightMax: 1, mistakeMax: 1 });
  });
});

describe('per-class accuracy bars', () => {
  it('are the diagonal over each row, in percent, indexed by class name', () => {
    const m = CLASS_NAMES.map((_, t) => CLASS_NAMES.map((__, p) => (p === t ? 800 + t * 10 : p === (t + 1) % 10 ? 200 - t * 10 : 0)));
    m[3] = m[3].map(() => 0); // a class with no test images
    const bars = classAccuracyBars(m);
    expect(bars.map((b) => b.index)).toEqual([...CLASS_NAMES]);
    expect(bars[0].value).toBe(80);
    expect(bars[9].value).toBe(89);
    expect(bars[3].value).toBe(0);
  });
});
