/**
 * Streams the dataset `npm run data` writes to public/data/: the manifest, then the training split,
 * then the test split (labels and PNG sprite shards), checking every file against the manifest and
 * reporting progress in bytes and images. Training images first: they are most of the bytes and
 * what a run trains on; the ready-trained model waits for them (classify/page-models.ts). Runs in the training worker, so decoding
 * never blocks the page.
 *
 * Retry-friendly: files that were already downloaded and verified in a failed attempt are kept,
 * so calling loadDataset again only fetches what is still missing.
 */
import { IMAGE_PIXELS } from '../../core/classes.ts';
import { checkImageSet, type ImageSet } from '../../core/data/image-set.ts';
import { MANIFEST_FILE, ManifestError, parseManifest, type DatasetManifest, type FileEntry, type Split } from '../../core/manifest.ts';
import { unpackSprite } from '../../core/sprites.ts';
import type { DatasetProgress } from '../protocol.ts';
import { DatasetFileError } from './dataset-error.ts';
import { decodePng } from './decode-png.ts';
import { fetchBytes, fetchVerified } from './fetch-verified.ts';

export { DatasetFileError } from './dataset-error.ts';

export interface LoadedDataset {
  manifest: DatasetManifest;
  train: ImageSet;
  test: ImageSet;
}

export interface LoadOptions {
  onProgress?: (progress: DatasetProgress) => void;
  signal?: AbortSignal;
  /** Files fetched and decoded at once: overlaps one file's download with another's decoding. */
  concurrency?: number;
  /**
   * A file whose request receives nothing (no answer, or no further bytes) for this long (ms)
   * fails as stalled, naming itself, so the page offers Retry (default 20 s: DEFAULT_STALL_TIMEOUT_MS).
   */
  stallTimeoutMs?: number;
  /** Turns a PNG shard into RGBA pixels (default: the browser's decoder; Node tests pass their own). */
  decodePng?: (bytes: Uint8Array) => Promise<DecodedPng>;
}

export type DecodedPng = Awaited<ReturnType<typeof decodePng>>;

/** Decoded contents of verified files, by URL and hash, kept between attempts for Retry. */
const verified = new Map<string, Uint8Array>();

/** Progress events at most this often (ms); the last one of each file and of the load always go. */
const PROGRESS_INTERVAL = 100;

/**
 * Loads both splits from the folder at `baseUrl` (absolute, or relative to the current script's
 * location; it should end in '/').
 * @throws DatasetFileError naming the file that is missing, truncated or corrupt
 */
export async function loadDataset(baseUrl: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const base = new URL(baseUrl, globalThis.location?.href).href;
  const manifest = await loadManifest(base, options.signal, options.stallTimeoutMs);
  const splits = [manifest.splits.train, manifest.splits.test];
  const files = splits.flatMap((s) => [s.labels, ...s.shards]);

  const progress: DatasetProgress = {
    loadedBytes: 0,
    totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    loadedImages: 0,
    totalImages: splits.reduce((sum, s) => sum + s.count, 0),
    trainReady: false,
  };
  let lastReport = 0;
  // Once this attempt has failed, files of it still in flight (the pool's other lanes) must not
  // report progress: the page clears its error on progress, and would hide the error and Retry.
  let failed = false;
  const report = (force = false) => {
    if (failed) return;
    const t = Date.now();
    if (!force && t - lastReport < PROGRESS_INTERVAL) return;
    lastReport = t;
    options.onProgress?.({ ...progress });
  };
  report(true);

  const ctx: SplitContext = {
    base,
    progress,
    report,
    signal: options.signal,
    stallTimeoutMs: options.stallTimeoutMs,
    decodePng: options.decodePng ?? decodePng,
    concurrency: options.concurrency ?? 3,
  };
  let test: ImageSet;
  let train: ImageSet;
  try {
    train = await loadSplit(manifest.splits.train, 'train', ctx);
    test = await loadSplit(manifest.splits.test, 'test', ctx);
  } catch (error) {
    failed = true;
    throw error;
  }
  progress.trainReady = true;
  report(true);
  verified.clear();
  return { manifest, train, test };
}

async function loadManifest(base: string, signal?: AbortSignal, stallTimeoutMs?: number): Promise<DatasetManifest> {
  const bytes = await fetchBytes(new URL(MANIFEST_FILE, base).href, MANIFEST_FILE, () => {}, { signal, stallTimeoutMs });
  try {
    return parseManifest(JSON.parse(new TextDecoder().decode(bytes)));
  } catch (error) {
    const why = error instanceof ManifestError ? error.message : `${MANIFEST_FILE} is not valid JSON`;
    throw new DatasetFileError(MANIFEST_FILE, 'corrupt', `${why}; run \`npm run data -- --force\` to rebuild it`);
  }
}

interface SplitContext {
  base: string;
  progress: DatasetProgress;
  report: (force?: boolean) => void;
  signal?: AbortSignal;
  stallTimeoutMs?: number;
  decodePng: (bytes: Uint8Array) => Promise<DecodedPng>;
  concurrency: number;
}

async function loadSplit(split: Split, name: string, ctx: SplitContext): Promise<ImageSet> {
  const images = new Uint8Array(split.count * IMAGE_PIXELS);
  const labels = await loadFile(split.labels, ctx, async (bytes) => bytes);
  const jobs = split.shards.map((shard) => async () => {
    const pixels = await loadFile(shard, ctx, async (bytes) => {
      let decoded;
      try {
        decoded = await ctx.decodePng(bytes);
      } catch (error) {
        throw new DatasetFileError(shard.file, 'corrupt', `${shard.file} could not be decoded as a PNG (${(error as Error).message})`);
      }
      try {
        return unpackSprite(decoded.rgba, decoded.width, decoded.height, 4, shard.count);
      } catch (error) {
        throw new DatasetFileError(shard.file, 'corrupt', `${shard.file}: ${(error as Error).message}`);
      }
    });
    images.set(pixels, shard.firstIndex * IMAGE_PIXELS);
    ctx.progress.loadedImages += shard.count;
    ctx.report(true);
  });
  await runPool(jobs, ctx.concurrency);
  try {
    return checkImageSet({ images, labels, count: split.count }, `${name} split`);
  } catch (error) {
    throw new DatasetFileError(split.labels.file, 'corrupt', `${split.labels.file}: ${(error as Error).message}`);
  }
}

/** Fetches, verifies and converts one file, or takes it from an earlier attempt. */
async function loadFile(entry: FileEntry, ctx: SplitContext, convert: (bytes: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array> {
  const key = `${ctx.base}${entry.file}#${entry.sha256}`;
  const cached = verified.get(key);
  if (cached) {
    ctx.progress.loadedBytes += entry.bytes;
    return cached;
  }
  let received = 0;
  try {
    const onBytes = (n: number) => {
      received += n;
      ctx.progress.loadedBytes += n;
      ctx.report();
    };
    const bytes = await fetchVerified(ctx.base, entry, onBytes, { signal: ctx.signal, stallTimeoutMs: ctx.stallTimeoutMs });
    const result = await convert(bytes);
    verified.set(key, result);
    return result;
  } catch (error) {
    // Take back what this file counted, so a retry's progress starts from what is really kept.
    ctx.progress.loadedBytes -= received;
    throw error;
  }
}

/** Runs the jobs with at most `limit` in flight; the first failure rejects (others may finish). */
async function runPool(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < jobs.length) {
      const job = jobs[next++];
      try {
        await job();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, lane));
}
