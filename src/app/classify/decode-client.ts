/**
 * Decodes an upload in a worker where the browser can (module workers with OffscreenCanvas), on
 * the page otherwise. Either way the result and the errors are those of decodeUpload.
 */
import { engineRunsInWorker } from '../backend/worker-support.ts';
import { decodeUpload, UploadError, type DecodedPicture } from './decode-upload.ts';

type Reply = { id: number; picture: DecodedPicture } | { id: number; error: string; upload: boolean };

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, { resolve: (p: DecodedPicture) => void; reject: (e: Error) => void }>();

function decoder(): Worker | null {
  if (worker) return worker;
  if (!engineRunsInWorker()) return null; // the same needs: module workers and OffscreenCanvas
  worker = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module', name: 'decode' });
  worker.onmessage = (event: MessageEvent<Reply>) => {
    const reply = event.data;
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (!pending) return;
    if ('picture' in reply) pending.resolve(reply.picture);
    else pending.reject(reply.upload ? new UploadError(reply.error) : new Error(reply.error));
  };
  worker.onerror = (event) => {
    // A worker that cannot start: decode on the page from now on.
    event.preventDefault();
    worker?.terminate();
    worker = null;
    for (const [, p] of waiting) p.reject(new Error('the picture decoder stopped'));
    waiting.clear();
    fallback = true;
  };
  return worker;
}

let fallback = false;

export function decodePicture(file: File): Promise<DecodedPicture> {
  const w = fallback ? null : decoder();
  if (!w) return decodeUpload(file);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, file });
  });
}
