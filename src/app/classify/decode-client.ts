/**
 * Reads an upload into the model's 28×28 input in a worker where the browser can (module workers
 * with OffscreenCanvas), on the page otherwise. Either way the result and the errors are those of
 * readUpload (upload-input.ts), and `where` says which ran it.
 */
import { engineRunsInWorker } from '../backend/worker-support.ts';
import { decodeUpload } from './decode-upload.ts';
import { readUpload, UploadError, type DecodeReply, type DecodeRequest, type UploadInput } from './upload-input.ts';

export interface ReadPicture {
  input: UploadInput;
  where: 'worker' | 'page';
}

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, { resolve: (p: ReadPicture) => void; reject: (e: Error) => void }>();
let fallback = false;

function decoder(): Worker | null {
  if (worker) return worker;
  if (!engineRunsInWorker()) return null; // the same needs: module workers and OffscreenCanvas
  worker = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module', name: 'decode' });
  worker.onmessage = (event: MessageEvent<DecodeReply>) => {
    const reply = event.data;
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (!pending) return;
    if ('input' in reply) pending.resolve({ input: reply.input, where: 'worker' });
    else pending.reject(reply.upload ? new UploadError(reply.error) : new Error(reply.error));
  };
  worker.onerror = (event) => {
    // A worker that cannot start: read on the page from now on.
    event.preventDefault();
    worker?.terminate();
    worker = null;
    for (const [, p] of waiting) p.reject(new Error('the picture decoder stopped'));
    waiting.clear();
    fallback = true;
  };
  return worker;
}

/**
 * Decodes and preprocesses `file`.
 * @throws UploadError for a file that cannot be read (empty, not a picture, damaged, too large)
 */
export async function readPicture(file: File): Promise<ReadPicture> {
  const w = fallback ? null : decoder();
  if (!w) return { input: await readUpload(file, decodeUpload, file.name || undefined), where: 'page' };
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    const request: DecodeRequest = { id, file, name: file.name || undefined };
    w.postMessage(request);
  });
}
