/**
 * Fetches one data file with byte-level progress and checks it against its manifest entry (size,
 * then SHA-256), so a stale, truncated or tampered file fails here and names itself instead of
 * training on wrong pixels.
 */
import type { FileEntry } from '../../core/manifest.ts';
import { DatasetFileError } from './dataset-error.ts';

const HINT = 'run `npm run data` to rebuild public/data/';

/** How long a request may go without receiving anything (headers, then body bytes) by default. */
export const DEFAULT_STALL_TIMEOUT_MS = 20_000;

export interface FetchOptions {
  signal?: AbortSignal;
  maxBytes?: number;
  /**
   * Give up when nothing arrived for this long (ms): no response headers since the request went
   * out, or no body bytes since the previous chunk. A slow but moving download never trips it.
   */
  stallTimeoutMs?: number;
}

/** `ms` as seconds for a message: "20 s", "0.3 s". */
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * GET `url` and read it in chunks, calling onBytes(n) for each chunk's size. Throws a
 * DatasetFileError named `file` on a network failure, an HTTP error, an HTML page where data
 * was expected (Vite's dev server answers unknown paths with index.html and status 200), or a
 * request that stalls (see FetchOptions.stallTimeoutMs).
 */
export async function fetchBytes(url: string, file: string, onBytes: (n: number) => void, options: FetchOptions = {}): Promise<Uint8Array> {
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  // One controller aborts the request: the caller's signal, or the stall timer.
  const controller = new AbortController();
  const outer = options.signal;
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** (Re)starts the stall timer: called when the request goes out and whenever something arrives. */
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort(new Error('stalled'));
    }, stallMs);
  };
  let total = 0;
  const stallError = (phase: 'headers' | 'body') =>
    new DatasetFileError(
      file,
      'network',
      phase === 'headers'
        ? `${file}: the download stalled: the server sent no answer for ${seconds(stallMs)}`
        : `${file}: the download stalled: no data arrived for ${seconds(stallMs)} after ${total} bytes`,
    );

  try {
    let response: Response;
    arm();
    try {
      response = await fetch(url, { signal: controller.signal, cache: 'no-cache' });
    } catch (error) {
      if (stalled) throw stallError('headers');
      throw new DatasetFileError(file, 'network', `${file}: could not be downloaded (${(error as Error).message})`);
    }
    arm();
    if (response.status === 404) throw new DatasetFileError(file, 'missing', `${file} is missing (HTTP 404): ${HINT}`);
    if (!response.ok) {
      throw new DatasetFileError(file, 'network', `${file}: the server answered HTTP ${response.status} ${response.statusText}`);
    }
    if (!file.endsWith('.html') && (response.headers.get('content-type') ?? '').includes('text/html')) {
      throw new DatasetFileError(file, 'missing', `${file} is missing (the server sent a web page instead): ${HINT}`);
    }
    if (!response.body) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        if (stalled) throw stallError('body');
        throw new DatasetFileError(file, 'network', `${file}: the download broke off (${(error as Error).message})`);
      }
      onBytes(bytes.length);
      return bytes;
    }
    const chunks: Uint8Array[] = [];
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arm();
        chunks.push(value);
        total += value.length;
        onBytes(value.length);
        // A file far larger than expected is wrong anyway: stop downloading it.
        if (options.maxBytes !== undefined && total > options.maxBytes) break;
      }
    } catch (error) {
      if (stalled) throw stallError('body');
      throw new DatasetFileError(file, 'network', `${file}: the download broke off (${(error as Error).message})`);
    } finally {
      reader.cancel().catch(() => {});
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', forward);
  }
}

/** Lowercase hex SHA-256, or null where WebCrypto is unavailable (plain http on a LAN address). */
export async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Downloads `entry` from `baseUrl` and checks its size and hash. */
export async function fetchVerified(
  baseUrl: string,
  entry: FileEntry,
  onBytes: (n: number) => void,
  options: Omit<FetchOptions, 'maxBytes'> = {},
): Promise<Uint8Array> {
  const bytes = await fetchBytes(new URL(entry.file, baseUrl).href, entry.file, onBytes, { ...options, maxBytes: entry.bytes });
  if (bytes.length !== entry.bytes) {
    const how = bytes.length < entry.bytes ? 'truncated' : 'corrupt';
    throw new DatasetFileError(
      entry.file,
      how,
      `${entry.file} is ${how === 'truncated' ? 'truncated' : 'the wrong size'}: ${bytes.length} bytes, the manifest says ${entry.bytes}; ${HINT}`,
    );
  }
  const hash = await sha256Hex(bytes);
  if (hash !== null && hash !== entry.sha256) {
    throw new DatasetFileError(entry.file, 'corrupt', `${entry.file} is corrupt: its SHA-256 does not match the manifest; ${HINT}`);
  }
  return bytes;
}
