/**
 * Renders authored sketches as a contact sheet PNG, to look at while authoring them:
 * each sketch as drawn (left, through the pad's own raster), two seeded replays of it, and the
 * 28×28 input the model gets from the first (right, enlarged). Also checks each sketch's shape.
 *
 *   npx tsx scripts/render-sketches.ts <class file, e.g. coat> [out.png]
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { Rng } from '../src/core/rng.ts';
import { drawingInput } from '../src/core/sketch/drawing-input.ts';
import { StrokeRaster } from '../src/core/sketch/stroke-raster.ts';
import { IDENTITY, PAD, randomVariation, replaySketch } from '../src/core/answers/sketch-replay.ts';
import type { SketchDrawing } from '../src/core/answers/sketches/types.ts';

const which = process.argv[2];
if (!which) throw new Error('usage: tsx scripts/render-sketches.ts <class file name> [out.png]');
const mod = (await import(`../src/core/answers/sketches/${which}.ts`)) as Record<string, readonly SketchDrawing[]>;
const sketches = Object.values(mod).find(Array.isArray) ?? [];
const out = process.argv[3] ?? `sketches-${which}.png`;

for (const s of sketches) {
  const problems: string[] = [];
  if (!s.name) problems.push('no name');
  if (!(s.brush >= 4 && s.brush <= 40)) problems.push(`brush ${s.brush}`);
  if (s.strokes.length === 0) problems.push('no strokes');
  for (const st of s.strokes)
    for (const [x, y] of st) if (!(x >= 0 && x <= PAD && y >= 0 && y <= PAD)) problems.push(`point ${x},${y} off the pad`);
  if (problems.length) console.error(`${s.name}: ${problems.join('; ')}`);
}
if (new Set(sketches.map((s) => s.label)).size > 1) console.error('sketches of several labels in one file');

const TILE = 140; // a 280 pad at half size
const COLS = 4; // as drawn, replay 1, replay 2, model input
const img = new PNG({ width: TILE * COLS, height: TILE * sketches.length });
img.data.fill(255);
const raster = new StrokeRaster(PAD, PAD);
sketches.forEach((s, row) => {
  const rng = new Rng(1000 + row);
  const versions = [replaySketch(s, IDENTITY, rng), replaySketch(s, randomVariation(rng), rng), replaySketch(s, randomVariation(rng), rng)];
  versions.forEach((strokes, col) => {
    raster.drawAll(strokes);
    for (let y = 0; y < TILE; y++)
      for (let x = 0; x < TILE; x++) {
        const src = (y * 2 * PAD + x * 2) * 4;
        const dst = ((row * TILE + y) * img.width + col * TILE + x) * 4;
        for (let c = 0; c < 3; c++) img.data[dst + c] = col === 0 || y > 0 ? raster.rgba[src + c] : 128;
      }
    if (col === 1) {
      const input = drawingInput(raster.rgba, PAD, PAD).image;
      for (let y = 0; y < 28 * 5; y++)
        for (let x = 0; x < 28 * 5; x++) {
          const v = 255 - input[Math.floor(y / 5) * 28 + Math.floor(x / 5)];
          const dst = ((row * TILE + y) * img.width + 3 * TILE + x) * 4;
          img.data[dst] = img.data[dst + 1] = img.data[dst + 2] = v;
        }
    }
  });
  // a grey line between rows
  for (let x = 0; x < img.width; x++) {
    const dst = ((row * TILE + TILE - 1) * img.width + x) * 4;
    img.data[dst] = img.data[dst + 1] = img.data[dst + 2] = 160;
  }
});
writeFileSync(out, PNG.sync.write(img));
console.log(`${sketches.length} sketches → ${out}`);
