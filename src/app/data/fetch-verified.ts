/**
 * Fetches one data file with byte-level progress and checks it against its manifest entry (size,
 * then SHA-256), so a stale, truncated or tampered file fails here and names itself instead of
 * training on wrong pixels.
 */
import type { FileEntry } from '../../core/manifest.ts';
import { DatasetFileError } from './dataset-error.ts';

const HINT = 'run `npm run data` to rebuild public/data/';

/**
 * GET `url` and read it in chunks, calling onBytes(n) for each chunk's size. Throws a
 * DatasetFileError named `file` on a network failure, an HTTP error, or an HTML page where data
 * was expected (Vite's dev server answers unknown paths with index.html and status 200).
 */
export async function fetchBytes(
  url: string,
  file: string,
  onBytes: (n: number) => void,
  options: { signal?: AbortSignal; maxBytes?: number } = {},
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal, cache: 'no-cache' });
  } catch (error) {
    throw new DatasetFileError(file, 'network', `${file}: could not be downloaded (${(error as Error).message})`);
  }
  if (response.status === 404) throw new DatasetFileError(file, 'missing', `${file} is missing (HTTP 404): ${HINT}`);
  if (!response.ok) {
    throw new DatasetFileError(file, 'network', `${file}: the server answered HTTP ${response.status} ${response.statusText}`);
  }
  if (!file.endsWith('.html') && (response.headers.get('content-type') ?? '').includes('text/html')) {
    throw new DatasetFileError(file, 'missing', `${file} is missing (the server sent a web page instead): ${HINT}`);
  }
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onBytes(bytes.length);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      onBytes(value.length);
      // A file far larger than expected is wrong anyway: stop downloading it.
      if (options.maxBytes !== undefined && total > options.maxBytes) break;
    }
  } catch (error) {
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
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const bytes = await fetchBytes(new URL(entry.file, baseUrl).href, entry.file, onBytes, {
    signal,
    maxBytes: entry.bytes,
  });
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
