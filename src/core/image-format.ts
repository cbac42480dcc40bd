/**
 * Tells an image file's format and pixel size from its first bytes, without decoding it: the page
 * uses this to reject what is not a picture (or an SVG) with a clear message, and to decode huge
 * pictures straight to a bounded size instead of allocating width × height × 4 bytes first.
 */

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'avif';

export type SniffResult =
  /**
   * A raster format, its size as shown (a JPEG's EXIF turn applied); width and height are null
   * where the header does not say (AVIF here).
   */
  | { kind: 'raster'; format: ImageFormat; width: number | null; height: number | null }
  /** Vector graphics (SVG): not decoded by this app. */
  | { kind: 'svg' }
  /** A known raster signature whose header is cut short or invalid. */
  | { kind: 'corrupt'; format: ImageFormat; reason: string }
  /** No image signature at all. */
  | { kind: 'unknown' };

/** Display names for messages. */
export const FORMAT_NAMES: Record<ImageFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  gif: 'GIF',
  webp: 'WebP',
  bmp: 'BMP',
  avif: 'AVIF',
};

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const be16 = (b: Uint8Array, i: number): number => (b[i] << 8) | b[i + 1];
const be32 = (b: Uint8Array, i: number): number => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const le16 = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8);
const le24 = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const le32 = (b: Uint8Array, i: number): number => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;

function raster(format: ImageFormat, width: number, height: number): SniffResult {
  if (width <= 0 || height <= 0) return { kind: 'corrupt', format, reason: `its header gives a size of ${width} × ${height}` };
  return { kind: 'raster', format, width, height };
}

const cut = (format: ImageFormat): SniffResult => ({ kind: 'corrupt', format, reason: 'its header is cut short' });

function sniffPng(b: Uint8Array): SniffResult {
  // Signature, then the IHDR chunk: length 13, "IHDR", width, height.
  if (b.length < 24) return cut('png');
  if (!startsWith(b, ascii('IHDR'), 12)) return { kind: 'corrupt', format: 'png', reason: 'it has no IHDR header' };
  return raster('png', be32(b, 16), be32(b, 20));
}

/**
 * The EXIF orientation (1-8) in an APP1 segment's data starting at `at`, or 1 when there is none.
 * Browsers turn the picture by it when decoding, so orientations 5-8 swap width and height.
 */
function exifOrientation(b: Uint8Array, at: number, end: number): number {
  if (!startsWith(b, [...ascii('Exif'), 0, 0], at)) return 1;
  const tiff = at + 6;
  const little = startsWith(b, ascii('II'), tiff);
  if (!little && !startsWith(b, ascii('MM'), tiff)) return 1;
  const u16 = (i: number) => (little ? le16(b, i) : be16(b, i));
  const u32 = (i: number) => (little ? le32(b, i) : be32(b, i));
  if (tiff + 8 > end) return 1;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return 1;
  const entries = u16(ifd);
  for (let e = 0; e < entries; e++) {
    const entry = ifd + 2 + e * 12;
    if (entry + 12 > end) return 1;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8); // a SHORT sits at the start of the value field
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

function sniffJpeg(b: Uint8Array): SniffResult {
  // Walk the marker segments to the first start-of-frame (SOF0-SOF15 except DHT, JPG and DAC),
  // noting an EXIF orientation on the way: the size returned is the picture as it is shown.
  let orientation = 1;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return { kind: 'corrupt', format: 'jpeg', reason: 'its markers are damaged' };
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return { kind: 'corrupt', format: 'jpeg', reason: 'it has no frame header' };
    const length = be16(b, i + 2);
    if (length < 2) return { kind: 'corrupt', format: 'jpeg', reason: 'its markers are damaged' };
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return cut('jpeg');
      const [width, height] = [be16(b, i + 7), be16(b, i + 5)];
      return orientation >= 5 ? raster('jpeg', height, width) : raster('jpeg', width, height);
    }
    if (marker === 0xe1 && orientation === 1) orientation = exifOrientation(b, i + 4, Math.min(b.length, i + 2 + length));
    i += 2 + length;
  }
  return cut('jpeg');
}

function sniffWebp(b: Uint8Array): SniffResult {
  if (b.length < 30) return cut('webp');
  const chunk = String.fromCharCode(...b.subarray(12, 16));
  if (chunk === 'VP8X') return raster('webp', le24(b, 24) + 1, le24(b, 27) + 1);
  if (chunk === 'VP8L') {
    const bits = le32(b, 21);
    return raster('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8 ') return raster('webp', le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  return { kind: 'corrupt', format: 'webp', reason: `it has an unknown "${chunk}" chunk` };
}

/** True when the bytes look like SVG text (optionally after a BOM, an XML declaration, comments). */
function looksLikeSvg(b: Uint8Array): boolean {
  const head = String.fromCharCode(...b.subarray(0, 4096))
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (!head.startsWith('<')) return false;
  return /<svg[\s>]/.test(head);
}

/**
 * The format and size of the image in `bytes` (the file's first bytes: 64 KiB is plenty for every
 * format but a JPEG with a large EXIF block before its frame header).
 */
export function sniffImage(bytes: Uint8Array): SniffResult {
  const b = bytes;
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return sniffPng(b);
  if (startsWith(b, [0xff, 0xd8, 0xff])) return sniffJpeg(b);
  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) {
    return b.length < 10 ? cut('gif') : raster('gif', le16(b, 6), le16(b, 8));
  }
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return sniffWebp(b);
  if (startsWith(b, ascii('BM')) && b.length >= 26) {
    // Height is signed: negative means top-down rows.
    const height = le32(b, 22) | 0;
    return raster('bmp', le32(b, 18) | 0, Math.abs(height));
  }
  if (startsWith(b, ascii('ftyp'), 4) && (startsWith(b, ascii('avif'), 8) || startsWith(b, ascii('avis'), 8))) {
    return { kind: 'raster', format: 'avif', width: null, height: null };
  }
  if (looksLikeSvg(b)) return { kind: 'svg' };
  return { kind: 'unknown' };
}

/**
 * The size to decode a width × height picture at: unchanged when its longest side is at most
 * `maxSide`, else scaled down keeping the aspect ratio (each side at least 1 pixel).
 */
export function boundedSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
