/**
 * The format of `manifest.json`, the index the data build script writes next to the label files and
 * PNG shards, and that the browser and the CLI read first. parseManifest checks every field so a
 * stale or hand-edited manifest fails loudly with the field's path instead of producing a dataset
 * with the wrong images or labels.
 *
 * Pure: no DOM, no Node.
 */
import { CLASS_NAMES, IMAGE_SIZE } from './classes.ts';
import { IMAGES_PER_SHARD, SPRITE_COLUMNS, shardRanges, spriteGeometry } from './sprites.ts';

/** Name of the manifest inside the data folder. */
export const MANIFEST_FILE = 'manifest.json';
/** Bumped when the layout of the data folder changes incompatibly. */
export const MANIFEST_FORMAT_VERSION = 1;

/** A file in the data folder, with what it must hash to. */
export interface FileEntry {
  /** Plain file name inside the data folder (no directories). */
  file: string;
  bytes: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** One grayscale PNG shard holding images firstIndex .. firstIndex + count - 1 of its split. */
export interface ShardEntry extends FileEntry {
  firstIndex: number;
  count: number;
  width: number;
  height: number;
}

/** One split: `labels` holds one uint8 class index per image; shards hold the images, in order. */
export interface Split {
  count: number;
  labels: FileEntry;
  shards: ShardEntry[];
}

/** An input file the build was made from, as found on disk (e.g. the .gz file). */
export interface SourceInput {
  name: string;
  bytes: number;
  sha256: string;
}

/** The whole manifest.json. */
export interface DatasetManifest {
  formatVersion: 1;
  dataset: 'fashion-mnist';
  imageSize: 28;
  classNames: string[];
  sprite: { columns: number; imagesPerShard: number };
  splits: { train: Split; test: Split };
  /** What the build was made from and by which generator version: lets the build skip rebuilds. */
  source: { generator: string; inputs: SourceInput[] };
}

/** A manifest that does not have the expected shape. The message names the field. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/**
 * Validates parsed JSON as a DatasetManifest.
 * Beyond types it checks consistency: class names equal CLASS_NAMES, the sprite layout is the one
 * this code uses, shards cover the split in order and have the sizes the layout gives, and the
 * labels file has one byte per image.
 * @throws ManifestError naming the first wrong field, e.g. `splits.train.shards[3].width`
 */
export function parseManifest(json: unknown): DatasetManifest {
  const root = object(json, 'manifest');
  constant(root.formatVersion, MANIFEST_FORMAT_VERSION, 'formatVersion');
  constant(root.dataset, 'fashion-mnist', 'dataset');
  constant(root.imageSize, IMAGE_SIZE, 'imageSize');

  if (
    !Array.isArray(root.classNames) ||
    root.classNames.length !== CLASS_NAMES.length ||
    root.classNames.some((name, i) => name !== CLASS_NAMES[i])
  ) {
    fail('classNames', `must be ${JSON.stringify(CLASS_NAMES)}`);
  }

  const sprite = object(root.sprite, 'sprite');
  constant(sprite.columns, SPRITE_COLUMNS, 'sprite.columns');
  constant(sprite.imagesPerShard, IMAGES_PER_SHARD, 'sprite.imagesPerShard');

  const splits = object(root.splits, 'splits');
  checkSplit(splits.train, 'splits.train');
  checkSplit(splits.test, 'splits.test');

  const source = object(root.source, 'source');
  string(source.generator, 'source.generator');
  if (!Array.isArray(source.inputs)) fail('source.inputs', 'must be an array');
  source.inputs.forEach((input, i) => {
    const path = `source.inputs[${i}]`;
    const o = object(input, path);
    string(o.name, `${path}.name`);
    count(o.bytes, `${path}.bytes`, 0);
    sha256(o.sha256, `${path}.sha256`);
  });

  return json as DatasetManifest;
}

function checkSplit(value: unknown, path: string): void {
  const split = object(value, path);
  const total = count(split.count, `${path}.count`, 1);
  checkFile(split.labels, `${path}.labels`);
  const labelBytes = (split.labels as FileEntry).bytes;
  if (labelBytes !== total) fail(`${path}.labels.bytes`, `must be ${total} (one byte per image), got ${labelBytes}`);

  if (!Array.isArray(split.shards)) fail(`${path}.shards`, 'must be an array');
  const expected = shardRanges(total);
  if (split.shards.length !== expected.length) {
    fail(`${path}.shards`, `must have ${expected.length} entries for ${total} images, got ${split.shards.length}`);
  }
  split.shards.forEach((shard, i) => {
    const p = `${path}.shards[${i}]`;
    checkFile(shard, p);
    const s = shard as Record<string, unknown>;
    constant(s.firstIndex, expected[i].firstIndex, `${p}.firstIndex`);
    constant(s.count, expected[i].count, `${p}.count`);
    const geometry = spriteGeometry(expected[i].count);
    constant(s.width, geometry.width, `${p}.width`);
    constant(s.height, geometry.height, `${p}.height`);
  });
}

function checkFile(value: unknown, path: string): void {
  const o = object(value, path);
  const file = string(o.file, `${path}.file`);
  // The browser fetches these relative to the manifest: a path could escape the data folder.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file)) fail(`${path}.file`, `must be a plain file name, got ${JSON.stringify(file)}`);
  count(o.bytes, `${path}.bytes`, 0);
  sha256(o.sha256, `${path}.sha256`);
}

function fail(path: string, problem: string): never {
  throw new ManifestError(`manifest.json: ${path} ${problem}`);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  return value as Record<string, unknown>;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') fail(path, 'must be a non-empty string');
  return value;
}

function count(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    fail(path, `must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function sha256(value: unknown, path: string): void {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) {
    fail(path, `must be 64 lowercase hex digits, got ${JSON.stringify(value)}`);
  }
}

function constant(value: unknown, expected: unknown, path: string): void {
  if (value !== expected) fail(path, `must be ${JSON.stringify(expected)}, got ${JSON.stringify(value)}`);
}
