/**
 * An upload's way from decoded pixels to the model's 28×28 input, and the decode worker's
 * request and reply: the worker (decode-worker.ts) decodes and preprocesses, and answers with the
 * 784 bytes and what the caption says about the picture, so the page does no pixel work for an
 * upload. No DOM here: the browser's decoding (decode-upload.ts) is passed in, so Node tests run it.
 */
import { preprocessImage, type PreprocessOptions } from '../../core/preprocess.ts';

/** A problem with the file itself, said to the person as it is. */
export class UploadError extends Error {
  override name = 'UploadError';
}

/** A picture decoded to RGBA at a bounded size. */
export interface DecodedPicture {
  pixels: Uint8ClampedArray;
  width: number;
  height: number;
  /** The picture's own size, before decoding at a bounded size. */
  originalWidth: number;
  originalHeight: number;
  /** "PNG", "JPEG", … */
  format: string;
}

/** What the model sees of an upload, and what the page says about where it came from. */
export interface UploadInput {
  /** 784 bytes, row-major, bright object on black (zeros when `empty`). */
  image: Uint8Array;
  /** True when no object was found: the picture looks blank. */
  empty: boolean;
  /** True when the background was light and the picture was inverted. */
  inverted: boolean;
  format: string;
  /** The picture's own size. */
  originalWidth: number;
  originalHeight: number;
  /** The size it was read at (at most MAX_DECODE_SIDE on the longest side). */
  width: number;
  height: number;
}

export type DecodeRequest = { id: number; file: Blob; name?: string };
/** `upload`: the error is about the file (an UploadError), not the page. */
export type DecodeReply = { id: number; input: UploadInput } | { id: number; error: string; upload: boolean };

export type Decode = (file: Blob, name?: string) => Promise<DecodedPicture>;

/**
 * How uploads are preprocessed. A photo's item is trimmed at 10% of its strongest pixel, not 5%:
 * JPEG ringing and sensor noise around the item reach past 5%, widen the trimmed box and shrink the
 * item in the 28 × 28 input, which the models read worse than their own images (measured on
 * product-style photos of test images held apart from the photo benchmark: docs/answers.md).
 */
export const UPLOAD_PREPROCESS: PreprocessOptions = { threshold: 0.1 };

/** The Fashion-MNIST-style input of a decoded picture (see core/preprocess.ts). */
export function toUploadInput(picture: DecodedPicture): UploadInput {
  const r = preprocessImage(picture.pixels, picture.width, picture.height, 4, UPLOAD_PREPROCESS);
  return {
    image: r.image,
    empty: r.empty,
    inverted: r.inverted,
    format: picture.format,
    originalWidth: picture.originalWidth,
    originalHeight: picture.originalHeight,
    width: picture.width,
    height: picture.height,
  };
}

/**
 * Decodes `file` with `decode` and preprocesses it: what the worker does, and the page where
 * workers are not available.
 * @throws UploadError (from `decode`) for a file that cannot be read
 */
export async function readUpload(file: Blob, decode: Decode, name?: string): Promise<UploadInput> {
  return toUploadInput(await decode(file, name));
}

/** The decode worker's answer to one request: the input, or the error as a value. */
export async function answerDecodeRequest(request: DecodeRequest, decode: Decode): Promise<DecodeReply> {
  try {
    return { id: request.id, input: await readUpload(request.file, decode, request.name) };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error), upload: error instanceof UploadError };
  }
}
