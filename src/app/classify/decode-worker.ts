/**
 * Reads uploads off the main thread: decodes (Chrome scales a huge picture's bitmap on the calling
 * thread, which on the page meant a task of a quarter of a second for 10000 × 10000 pixels) and
 * preprocesses to the model's 28×28 input, so the page gets 784 bytes, not megabytes of RGBA.
 * Receives a DecodeRequest, answers a DecodeReply (upload-input.ts).
 */
import { decodeUpload } from './decode-upload.ts';
import { answerDecodeRequest, type DecodeRequest } from './upload-input.ts';

self.onmessage = async (event: MessageEvent<DecodeRequest>) => {
  (self as unknown as Worker).postMessage(await answerDecodeRequest(event.data, decodeUpload));
};
