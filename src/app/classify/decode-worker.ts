/**
 * Decodes uploads off the main thread: Chrome scales a huge picture's bitmap on the calling thread,
 * which on the page meant a task of a quarter of a second for 10000 × 10000 pixels.
 * Receives { id, file }, answers { id, picture } (pixels transferred) or { id, error, upload }.
 */
import { decodeUpload, UploadError } from './decode-upload.ts';

self.onmessage = async (event: MessageEvent<{ id: number; file: File }>) => {
  const { id, file } = event.data;
  try {
    const picture = await decodeUpload(file, file.name || undefined);
    (self as unknown as Worker).postMessage({ id, picture }, [picture.pixels.buffer]);
  } catch (error) {
    (self as unknown as Worker).postMessage({ id, error: (error as Error).message, upload: error instanceof UploadError });
  }
};
