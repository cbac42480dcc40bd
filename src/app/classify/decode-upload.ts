/**
 * The browser's part of reading an upload: decodes an uploaded, dropped or pasted file into RGBA
 * pixels of at most MAX_DECODE_SIDE on the longest side, or says clearly why it cannot: empty file,
 * not an image, SVG, damaged, too large. upload-input.ts turns the pixels into the model's input.
 *
 * The header is checked first (core/image-format.ts), so a 10000 × 10000 picture is decoded
 * straight to a bounded size by createImageBitmap (off the main thread), never into a full-size
 * canvas of 400 MB.
 */
import { boundedSize, FORMAT_NAMES, sniffImage } from '../../core/image-format.ts';
import { UploadError, type DecodedPicture } from './upload-input.ts';

/** Longest side pictures are decoded at: plenty for a 28 × 28 result, small enough to be quick. */
export const MAX_DECODE_SIDE = 1024;
/** Larger pictures are refused: browsers cannot decode them reliably. */
export const MAX_MEGAPIXELS = 200;
/** Bytes read to find the header (a JPEG's frame header may follow a large EXIF block). */
const HEADER_BYTES = 256 * 1024;

function canvasOf(width: number, height: number): { ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D } {
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (ctx) return { ctx };
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new UploadError('This browser could not create a canvas to read the picture.');
  return { ctx };
}

/**
 * Decodes `file` to RGBA at a bounded size.
 * @throws UploadError with a message for the person
 */
export async function decodeUpload(file: Blob, name = (file as File).name || 'the pasted picture'): Promise<DecodedPicture> {
  if (file.size === 0) throw new UploadError(`${name} is empty (0 bytes): choose a picture file.`);
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  const sniff = sniffImage(head);
  if (sniff.kind === 'svg') {
    throw new UploadError(`${name} is an SVG drawing. SVG is not supported; export it as PNG (or JPEG) and upload that.`);
  }
  if (sniff.kind === 'unknown') {
    throw new UploadError(`${name} is not an image this page can read: choose a PNG, JPEG, GIF, WebP or BMP picture.`);
  }
  if (sniff.kind === 'corrupt') {
    throw new UploadError(`${name} is a damaged ${FORMAT_NAMES[sniff.format]} file (${sniff.reason}) and cannot be read.`);
  }
  const { format } = sniff;
  const damaged = () => new UploadError(`${name} could not be decoded: the ${FORMAT_NAMES[format]} data is damaged or incomplete.`);
  let width = sniff.width;
  let height = sniff.height;
  if (width !== null && height !== null && width * height > MAX_MEGAPIXELS * 1e6) {
    throw new UploadError(
      `${name} is too large (${width.toLocaleString('en')} × ${height.toLocaleString('en')} pixels): the limit is ${MAX_MEGAPIXELS} megapixels. Scale it down and try again.`,
    );
  }

  let bitmap: ImageBitmap;
  try {
    if (width !== null && height !== null && Math.max(width, height) > MAX_DECODE_SIDE) {
      const size = boundedSize(width, height, MAX_DECODE_SIDE);
      bitmap = await createImageBitmap(file, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });
    } else {
      bitmap = await createImageBitmap(file);
    }
  } catch {
    throw damaged();
  }
  try {
    width ??= bitmap.width;
    height ??= bitmap.height;
    // A format whose header gave no size (AVIF) is scaled here if it is large.
    const size = boundedSize(bitmap.width, bitmap.height, MAX_DECODE_SIDE);
    const { ctx } = canvasOf(size.width, size.height);
    ctx.fillStyle = '#fff'; // transparent areas read as the light background they show on
    ctx.fillRect(0, 0, size.width, size.height);
    ctx.drawImage(bitmap, 0, 0, size.width, size.height);
    const pixels = ctx.getImageData(0, 0, size.width, size.height).data;
    return { pixels, width: size.width, height: size.height, originalWidth: width, originalHeight: height, format: FORMAT_NAMES[format] };
  } finally {
    bitmap.close();
  }
}
