/**
 * The page's own canvases are drawn through canvas2d() (src/ui/components/canvas-2d.ts), which keeps
 * them on the CPU: a GPU-backed canvas redrawn while a person draws made the page wait for the GPU
 * process on every stroke where the GPU is software.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

it("gets every 2D context of the page's canvases through canvas2d()", () => {
  const files = sources('src/ui');
  expect(files).toContain('src/ui/components/canvas-2d.ts');
  const elsewhere = files.filter((f) => !f.endsWith('canvas-2d.ts') && /\.getContext\(/.test(readFileSync(f, 'utf8')));
  expect(elsewhere).toEqual([]);
});
