/**
 * The README stays a page to scan and the docs stay true: every docs page is reachable from the
 * README, every link and every repository path they name exists, and neither they nor the source
 * speak in issue numbers or seed numbers, which mean nothing to a reader.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const README = 'README.md';
const README_MAX_BYTES = 8192;

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const docsPages = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);
const pages = [README, ...docsPages];

/** Markdown without its fenced code blocks, where a link-like text is not a link. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

interface Link {
  /** The file it points at, relative to the repository root ('' for the page itself). */
  file: string;
  anchor: string | null;
  text: string;
}

/** The page's relative links (inline links and images), resolved from its folder. */
function relativeLinks(page: string): Link[] {
  return [...prose(read(page)).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => {
      const [path, anchor = null] = target.split('#');
      const file = path ? normalize(relative(ROOT, resolve(ROOT, dirname(page), path))) : page;
      return { file, anchor, text: target };
    });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = (page: string) => new Set([...prose(read(page)).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1])));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx|c|css|html)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * "issue 12", "Issue #12", "issue12", or a bare "#12" (one or two digits: no colour is that short,
 * and an HTML entity has its "&" before).
 */
const ISSUE_NUMBER = /\bissues? ?#?\d+|(?<![\w&/#])#\d{1,2}(?![\w-])/i;
/** "seed 003", "Seed 000": a seed project by number, not a random seed's value. */
const SEED_NUMBER = /\bseeds? ?0\d\d\b/i;

describe('the README', () => {
  it(`stays under ${README_MAX_BYTES} bytes`, () => {
    expect(statSync(join(ROOT, README)).size).toBeLessThan(README_MAX_BYTES);
  });

  it('leads to every docs page, directly or through a docs page it links', () => {
    const reached = new Set<string>([README]);
    const queue = [README];
    while (queue.length) {
      for (const { file } of relativeLinks(queue.shift()!)) {
        if (file.endsWith('.md') && !reached.has(file) && existsSync(join(ROOT, file))) {
          reached.add(file);
          queue.push(file);
        }
      }
    }
    expect(docsPages.filter((page) => !reached.has(page))).toEqual([]);
  });
});

describe('the README and docs pages', () => {
  it('link only to files that exist, and to headings those files have', () => {
    const broken = pages.flatMap((page) =>
      relativeLinks(page)
        .filter(({ file, anchor }) => {
          if (!existsSync(join(ROOT, file))) return true;
          return anchor !== null && file.endsWith('.md') && !anchorsOf(file).has(anchor);
        })
        .map(({ text }) => `${page}: ${text}`),
    );
    expect(broken).toEqual([]);
  });

  it('name only repository paths that exist', () => {
    // Paths in backquotes under the tracked folders; built folders (public/data/) are not tracked.
    const missing = pages.flatMap((page) =>
      [...read(page).matchAll(/`((?:src|scripts|tests|docs|public\/models|\.ci)\/[^`\s*]*)`/g)]
        .map((m) => m[1])
        .filter((path) => !existsSync(join(ROOT, path)))
        .map((path) => `${page}: ${path}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('no internal words', () => {
  const texts = [...pages, ...sources('src')];

  it('no issue numbers in the README, docs or source', () => {
    const found = texts.flatMap((path) =>
      read(path)
        .split('\n')
        .flatMap((line, i) => (ISSUE_NUMBER.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it('no seed-project numbers in the README, docs or source', () => {
    const found = texts.flatMap((path) =>
      read(path)
        .split('\n')
        .flatMap((line, i) => (SEED_NUMBER.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it('the patterns catch what they are for and spare colours and seeds', () => {
    for (const bad of ['issue 12', "Issue 12's recipe", 'issue #7', 'see #12', 'Seed 003: the Keras CNN']) {
      expect(ISSUE_NUMBER.test(bad) || SEED_NUMBER.test(bad), bad).toBe(true);
    }
    for (const fine of ["'#000'", 'color: #fff;', '--seed 1', 'seed 2', 'seed 12345', '&#215;', 'a.md#the-data']) {
      expect(ISSUE_NUMBER.test(fine) || SEED_NUMBER.test(fine), fine).toBe(false);
    }
  });
});
