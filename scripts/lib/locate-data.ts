/**
 * Finds the four Fashion-MNIST IDX files on this machine, or downloads them into a local cache.
 *
 * Places, in order:
 *   1. FASHION_MNIST_DIR (explicit: if it is set, it must be complete; we never look past it)
 *   2. /usr/share/datasets/fashion-mnist/ (Debian package dataset-fashion-mnist)
 *   3. .cache/fashion-mnist/ under the repository root
 *   4. the official mirror, downloaded into the cache and checked against known sizes and SHA-256
 * Each file may be gzipped (`name.gz`) or raw (`name`). This module only finds files; reading and
 * validating their contents is fashion-data.ts's job.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** Which of the four files. */
export type DataFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** A file of the official dataset and what its decompressed IDX bytes must be. */
export interface KnownDataFile {
  key: DataFileKey;
  /** Base name without `.gz`. */
  name: string;
  /** Size and SHA-256 of the uncompressed IDX content. */
  idxBytes: number;
  idxSha256: string;
}

/**
 * The four files. Checksums are of the *decompressed* IDX bytes, computed from Debian's copies:
 * Debian re-compressed the files (its .gz bytes differ from the mirror's, whose gzip headers carry
 * the original file names), but the content inside is the same, so checking it accepts both.
 */
export const FASHION_MNIST_FILES: readonly KnownDataFile[] = [
  {
    key: 'trainImages',
    name: 'train-images-idx3-ubyte',
    idxBytes: 47_040_016,
    idxSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  },
  {
    key: 'trainLabels',
    name: 'train-labels-idx1-ubyte',
    idxBytes: 60_008,
    idxSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  },
  {
    key: 'testImages',
    name: 't10k-images-idx3-ubyte',
    idxBytes: 7_840_016,
    idxSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  },
  {
    key: 'testLabels',
    name: 't10k-labels-idx1-ubyte',
    idxBytes: 10_008,
    idxSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
  },
];

export const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../.cache/fashion-mnist', import.meta.url));
export const OFFICIAL_MIRROR = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** One located file. */
export interface LocatedFile {
  /** Base name without `.gz`, e.g. `train-images-idx3-ubyte`. */
  name: string;
  /** Absolute path of the file as found (`.gz` or raw). */
  path: string;
}

/** Where the data was found and the four files' paths. */
export interface LocatedData {
  /** Human-readable description of the place, e.g. `Debian package (/usr/share/datasets/fashion-mnist)`. */
  place: string;
  dir: string;
  files: Record<DataFileKey, LocatedFile>;
}

/** Options, mainly so tests can steer the search away from the real machine. */
export interface LocateOptions {
  /** Environment to read FASHION_MNIST_DIR from (default process.env). */
  env?: Record<string, string | undefined>;
  debianDir?: string;
  cacheDir?: string;
  /** Try the official mirror when nothing is found locally (default true). */
  download?: boolean;
  mirrorUrl?: string;
  /** How long to wait for the mirror to answer, per file (default 10 s). */
  timeoutMs?: number;
  /** Progress lines (downloads). */
  log?: (line: string) => void;
}

/** Nothing usable was found, or FASHION_MNIST_DIR names an incomplete folder. */
export class DataNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataNotFoundError';
  }
}

const HOW_TO_GET =
  'To get the data, install the Debian package:\n' +
  '  sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist\n' +
  'or set FASHION_MNIST_DIR to a folder holding the four files (each may be gzipped as NAME.gz):\n' +
  FASHION_MNIST_FILES.map((f) => `  ${f.name}`).join('\n');

/**
 * Finds the four files (see the module comment for the order).
 * @throws DataNotFoundError naming every place tried and why it failed, with how to get the data
 */
export async function locateFashionMnist(options: LocateOptions = {}): Promise<LocatedData> {
  const env = options.env ?? process.env;
  const attempts: string[] = [];

  const explicit = env.FASHION_MNIST_DIR;
  if (explicit !== undefined && explicit !== '') {
    const dir = resolve(explicit);
    const found = findFilesIn(dir);
    if ('missing' in found) {
      // An explicit choice that is wrong must not be papered over by data from somewhere else.
      throw new DataNotFoundError(`FASHION_MNIST_DIR=${explicit}: ${found.missing}\n${HOW_TO_GET}`);
    }
    return { place: `FASHION_MNIST_DIR (${dir})`, dir, files: found.files };
  }
  attempts.push('FASHION_MNIST_DIR: not set');

  const debianDir = resolve(options.debianDir ?? DEBIAN_DIR);
  const debian = findFilesIn(debianDir);
  if ('files' in debian) return { place: `Debian package (${debianDir})`, dir: debianDir, files: debian.files };
  attempts.push(`${debianDir} (Debian package dataset-fashion-mnist): ${debian.missing}`);

  const cacheDir = resolve(options.cacheDir ?? DEFAULT_CACHE_DIR);
  const cache = findFilesIn(cacheDir);
  if ('files' in cache) return { place: `local cache (${cacheDir})`, dir: cacheDir, files: cache.files };
  attempts.push(`${cacheDir} (local cache): ${cache.missing}`);

  const mirror = options.mirrorUrl ?? OFFICIAL_MIRROR;
  if (options.download ?? true) {
    try {
      await downloadMissing(mirror, cacheDir, options);
      const after = findFilesIn(cacheDir);
      if ('files' in after) return { place: `download from ${mirror} into ${cacheDir}`, dir: cacheDir, files: after.files };
      attempts.push(`${mirror} (official mirror): ${after.missing} after download`);
    } catch (err) {
      attempts.push(`${mirror} (official mirror): ${(err as Error).message}`);
    }
  } else {
    attempts.push(`${mirror} (official mirror): download disabled`);
  }

  throw new DataNotFoundError(`Fashion-MNIST data not found. Looked in:\n${attempts.map((a) => `  - ${a}\n`).join('')}${HOW_TO_GET}`);
}

type FindResult = { files: Record<DataFileKey, LocatedFile> } | { missing: string };

/** Looks for all four files in one folder; `.gz` wins when both forms are present. */
function findFilesIn(dir: string): FindResult {
  if (!isDir(dir)) return { missing: 'folder does not exist' };
  const files: Partial<Record<DataFileKey, LocatedFile>> = {};
  const missing: string[] = [];
  for (const f of FASHION_MNIST_FILES) {
    const path = [join(dir, `${f.name}.gz`), join(dir, f.name)].find(isFile);
    if (path) files[f.key] = { name: f.name, path };
    else missing.push(`${f.name}(.gz)`);
  }
  if (missing.length > 0) return { missing: `missing ${missing.join(', ')}` };
  return { files: files as Record<DataFileKey, LocatedFile> };
}

/** Downloads each file the cache lacks; each is verified before it is moved into place. */
async function downloadMissing(mirror: string, cacheDir: string, options: LocateOptions): Promise<void> {
  mkdirSync(cacheDir, { recursive: true });
  for (const f of FASHION_MNIST_FILES) {
    if (isFile(join(cacheDir, `${f.name}.gz`)) || isFile(join(cacheDir, f.name))) continue;
    const url = new URL(`${f.name}.gz`, mirror).href;
    options.log?.(`downloading ${url}`);
    const gz = await fetchBytes(url, options.timeoutMs ?? 10_000);
    verifyDownload(f, gz, url);
    // Write beside the final name, then rename: an interrupted download never looks complete.
    const target = join(cacheDir, `${f.name}.gz`);
    const partial = `${target}.partial-${process.pid}`;
    try {
      writeFileSync(partial, gz);
      renameSync(partial, target);
    } finally {
      rmSync(partial, { force: true });
    }
  }
}

async function fetchBytes(url: string, timeoutMs: number): Promise<Uint8Array> {
  const controller = new AbortController();
  // Short wait for the server to answer (no network fails fast), then a generous one for the body.
  let timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal });
    } catch (err) {
      throw new Error(`download of ${url} failed: ${describeFetchError(err, timeoutMs)}`, { cause: err });
    }
    if (!response.ok) throw new Error(`download of ${url} failed: HTTP ${response.status} ${response.statusText}`);
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), 300_000);
    return new Uint8Array(await response.arrayBuffer());
  } finally {
    clearTimeout(timer);
  }
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : e.message;
}

/** Checks a downloaded file's decompressed content against the known size and SHA-256. */
function verifyDownload(f: KnownDataFile, gz: Uint8Array, url: string): void {
  let idx: Uint8Array;
  try {
    idx = gunzipSync(gz);
  } catch (err) {
    throw new Error(`${url}: not valid gzip data (${(err as Error).message})`, { cause: err });
  }
  if (idx.length !== f.idxBytes) {
    throw new Error(`${url}: decompressed size ${idx.length} bytes, expected ${f.idxBytes}`);
  }
  const sha = createHash('sha256').update(idx).digest('hex');
  if (sha !== f.idxSha256) throw new Error(`${url}: SHA-256 ${sha} of the content, expected ${f.idxSha256}`);
}

function isDir(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
