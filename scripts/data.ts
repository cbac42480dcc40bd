/**
 * Builds the browser's copy of Fashion-MNIST: per split a raw labels file and grayscale PNG sprite
 * shards, plus manifest.json describing them (see src/core/manifest.ts).
 *
 *   npx tsx scripts/data.ts [--out DIR] [--force]      (default DIR: public/data)
 *
 * The output is built in a temporary sibling folder and swapped in only when complete, so a failed
 * build leaves the previous good output as it was. A build is skipped when the existing manifest
 * was made from the same input files by the same generator version and its files are all there.
 * The output is deterministic: the same inputs give the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { CLASS_NAMES, IMAGE_PIXELS, IMAGE_SIZE } from '../src/core/classes.ts';
import {
  MANIFEST_FILE,
  parseManifest,
  type DatasetManifest,
  type FileEntry,
  type ShardEntry,
  type SourceInput,
  type Split,
} from '../src/core/manifest.ts';
import { IMAGES_PER_SHARD, SPRITE_COLUMNS, packSprite, shardRanges } from '../src/core/sprites.ts';
import { loadSplit } from './lib/fashion-data.ts';
import { FASHION_MNIST_FILES, locateFashionMnist, type LocatedData, type LocateOptions } from './lib/locate-data.ts';

/** Recorded in the manifest; bump it whenever the output for the same inputs would change. */
export const GENERATOR = 'fashion-mnist-playground scripts/data.ts v1';
export const DEFAULT_OUT_DIR = 'public/data';

/** Options for buildDataset. */
export interface BuildOptions {
  outDir: string;
  /** Rebuild even when the output is up to date. */
  force?: boolean;
  locate?: LocateOptions;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** What buildDataset did. */
export interface BuildResult {
  status: 'built' | 'up-to-date';
  outDir: string;
  manifest: DatasetManifest;
}

/**
 * Locates, reads, validates and writes the dataset into options.outDir (see the module comment).
 * @throws DataNotFoundError when the input files cannot be found, IdxError when one is malformed
 */
export async function buildDataset(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir);
  const located = await locateFashionMnist({ ...options.locate, log: options.locate?.log ?? log });
  log(`source: ${located.place}`);

  const inputs: SourceInput[] = FASHION_MNIST_FILES.map((f) => {
    const path = located.files[f.key].path;
    const bytes = readFileSync(path);
    return { name: basename(path), bytes: bytes.length, sha256: sha256(bytes) };
  });

  if (!options.force) {
    const existing = upToDateManifest(outDir, inputs);
    if (existing) return { status: 'up-to-date', outDir, manifest: existing };
  }

  const tmpDir = siblingPath(outDir, 'partial');
  removeStaleSiblings(outDir);
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  try {
    // One split at a time: only one split's images are in memory at once.
    const train = writeSplit(tmpDir, located, 'train', log);
    const test = writeSplit(tmpDir, located, 'test', log);
    const manifest: DatasetManifest = {
      formatVersion: 1,
      dataset: 'fashion-mnist',
      imageSize: IMAGE_SIZE,
      classNames: [...CLASS_NAMES],
      sprite: { columns: SPRITE_COLUMNS, imagesPerShard: IMAGES_PER_SHARD },
      splits: { train, test },
      source: { generator: GENERATOR, inputs },
    };
    // Parse our own output: a manifest the readers would reject must never be swapped in.
    parseManifest(manifest);
    writeFileSync(join(tmpDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    swapIn(tmpDir, outDir);
    return { status: 'built', outDir, manifest };
  } catch (err) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

/** Reads one split, writes its labels file and PNG shards into dir, and returns its manifest entry. */
function writeSplit(dir: string, located: LocatedData, split: 'train' | 'test', log: (line: string) => void): Split {
  const { images, labels, count } = loadSplit(located, split);
  const labelsEntry = writeOutput(dir, `${split}-labels.bin`, labels);
  const shards: ShardEntry[] = shardRanges(count).map((range, i) => {
    const start = range.firstIndex * IMAGE_PIXELS;
    const sprite = packSprite(images.subarray(start, start + range.count * IMAGE_PIXELS), range.count);
    const file = writeOutput(dir, `${split}-${String(i).padStart(2, '0')}.png`, encodeGrayPng(sprite));
    return { ...file, ...range, width: sprite.width, height: sprite.height };
  });
  const total = shards.reduce((sum, s) => sum + s.bytes, labelsEntry.bytes);
  log(`${split}: ${count} images -> ${labelsEntry.file} + ${shards.length} PNG shards, ${formatBytes(total)}`);
  return { count, labels: labelsEntry, shards };
}

/**
 * Encodes a one-channel sprite as an 8-bit grayscale PNG. pngjs writes no timestamp or other
 * varying chunk and zlib is deterministic for fixed settings, so equal pixels give equal bytes.
 */
export function encodeGrayPng(sprite: { width: number; height: number; gray: Uint8Array }): Uint8Array {
  const png = new PNG();
  png.width = sprite.width;
  png.height = sprite.height;
  png.data = Buffer.from(sprite.gray.buffer, sprite.gray.byteOffset, sprite.gray.byteLength);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}

function writeOutput(dir: string, file: string, bytes: Uint8Array): FileEntry {
  writeFileSync(join(dir, file), bytes);
  return { file, bytes: bytes.length, sha256: sha256(bytes) };
}

/**
 * Returns the existing manifest when it was made from exactly these inputs by this generator and
 * every file it lists exists with the listed size (sizes, not hashes: hashing every shard on each
 * `npm start` would cost more than it protects against).
 */
function upToDateManifest(outDir: string, inputs: SourceInput[]): DatasetManifest | undefined {
  let manifest: DatasetManifest;
  try {
    manifest = parseManifest(JSON.parse(readFileSync(join(outDir, MANIFEST_FILE), 'utf8')));
  } catch {
    return undefined; // missing, unreadable or stale format: rebuild
  }
  if (manifest.source.generator !== GENERATOR) return undefined;
  if (JSON.stringify(manifest.source.inputs) !== JSON.stringify(inputs)) return undefined;
  const files = [manifest.splits.train, manifest.splits.test].flatMap((s) => [s.labels, ...s.shards]);
  const intact = files.every((f) => statSync(join(outDir, f.file), { throwIfNoEntry: false })?.size === f.bytes);
  return intact ? manifest : undefined;
}

/** `public/data` -> `public/.data.partial-1234`: beside the output, so the final rename is atomic. */
function siblingPath(outDir: string, kind: 'partial' | 'old'): string {
  return join(dirname(outDir), `.${basename(outDir)}.${kind}-${process.pid}`);
}

/** Removes temporary folders left by builds that crashed (their process is gone). */
function removeStaleSiblings(outDir: string): void {
  const parent = dirname(outDir);
  if (!existsSync(parent)) return;
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(outDir))}\\.(partial|old)-(\\d+)$`);
  for (const name of readdirSync(parent)) {
    const match = pattern.exec(name);
    if (match && !processAlive(Number(match[2]))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** Replaces outDir by tmpDir; if the second rename fails, the old output is put back. */
function swapIn(tmpDir: string, outDir: string): void {
  if (!existsSync(outDir)) {
    renameSync(tmpDir, outDir);
    return;
  }
  const oldDir = siblingPath(outDir, 'old');
  rmSync(oldDir, { recursive: true, force: true });
  renameSync(outDir, oldDir);
  try {
    renameSync(tmpDir, outDir);
  } catch (err) {
    renameSync(oldDir, outDir);
    throw err;
  }
  rmSync(oldDir, { recursive: true, force: true });
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

const USAGE =
  'usage: npx tsx scripts/data.ts [--out DIR] [--force]\n' +
  `  --out DIR   where to write the dataset (default ${DEFAULT_OUT_DIR})\n` +
  '  --force     rebuild even when the output is up to date';

/** Parses the command line; returns undefined for --help. @throws Error on a bad argument */
export function parseArgs(argv: string[]): { outDir: string; force: boolean } | undefined {
  let outDir = DEFAULT_OUT_DIR;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return undefined;
    else if (arg === '--force') force = true;
    else if (arg === '--out') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--') || value === '') throw new Error('--out needs a folder');
      outDir = value;
    } else if (arg.startsWith('--out=') && arg.length > '--out='.length) outDir = arg.slice('--out='.length);
    else throw new Error(`unknown argument ${JSON.stringify(arg)}`);
  }
  return { outDir, force };
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`data: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (!args) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  try {
    const result = await buildDataset({ outDir: args.outDir, force: args.force, log: (line) => console.log(line) });
    const where = relative(process.cwd(), result.outDir) || '.';
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.status === 'up-to-date') {
      console.log(`${where} is up to date (${seconds} s); use --force to rebuild`);
    } else {
      const { train, test } = result.manifest.splits;
      const files = [train, test].flatMap((s) => [s.labels, ...s.shards]);
      const total = files.reduce((sum, f) => sum + f.bytes, 0);
      console.log(`wrote ${where}: ${files.length} files + ${MANIFEST_FILE}, ${formatBytes(total)} in ${seconds} s`);
    }
  } catch (err) {
    // Expected failures (no data, bad file) have messages written for people; a stack adds noise.
    console.error(`data: ${(err as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
