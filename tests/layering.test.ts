/**
 * The layers of src/ keep to their jobs: the core (data, models, training) imports nothing outside
 * itself but tfjs and umap-js (pure computation, no DOM); the application layer (engine, protocol, state, data loading, classification)
 * imports neither React nor the UI, so it runs and is tested in Node; only src/ui renders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module a file imports (static, dynamic and `new URL(…, import.meta.url)` workers), resolved when relative. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+|new URL\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((spec) => (spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)) : spec));
}

const layer = (dir: string) => sources(join(SRC, dir)).map((file) => ({ file: relative(SRC, file), imports: imports(file) }));

describe('layers', () => {
  it('the core imports only the core, tfjs and umap-js', () => {
    const outside = layer('core').flatMap(({ file, imports }) =>
      imports.filter((i) => !i.startsWith('core/') && !i.startsWith('@tensorflow/') && i !== 'umap-js').map((i) => `${file} → ${i}`),
    );
    expect(outside).toEqual([]);
  });

  it('the application layer imports neither React nor the UI', () => {
    const files = layer('app');
    expect(files.length).toBeGreaterThan(10);
    const bad = files.flatMap(({ file, imports }) =>
      imports
        .filter((i) => i.startsWith('ui/') || i === 'react' || i.startsWith('react-dom') || i.startsWith('react/'))
        .map((i) => `${file} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('every source file says what it holds in a comment at its top', () => {
    const bare = sources(SRC)
      .filter((file) => !/^\s*(\/\*\*|\/\/|\/\*)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(bare).toEqual([]);
  });
});
