/**
 * The page's dataset loading (src/app/data/load-dataset.ts, fetch-verified.ts) against a local
 * HTTP server that stalls one file: the load fails naming that file and saying it stalled, and a
 * retry with the server answering again loads everything. Runs in Node: PNG shards are decoded
 * with pngjs in place of the browser's createImageBitmap.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFileError, loadDataset, type DecodedPng, type LoadOptions } from '../src/app/data/load-dataset.ts';
import { buildDataset } from '../scripts/data.ts';
import { firstDifference, tempDir, writeFashionFixture, type FashionFixture } from './helpers/idx-fixtures.ts';

/** How the server treats one file's request. */
type Behaviour =
  | 'serve'
  /** Accepts the request and never answers: no status line, no headers. */
  | 'no-answer'
  /** Sends the headers (with the full Content-Length), then no byte of the body. */
  | 'headers-only'
  /** Sends the headers and the first half of the body, then nothing more. */
  | 'half-then-stall'
  /** Sends the body in 16 pieces 100 ms apart: slow, but never silent for long. */
  | 'trickle';

let root: string;
let fixture: FashionFixture;
let dataDir: string;
let server: Server;
let baseUrl: string;
const behaviour = new Map<string, Behaviour>();
/** Every file asked for, in the order the requests came. */
const requested: string[] = [];

const decodePng = async (bytes: Uint8Array): Promise<DecodedPng> => {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { rgba: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), width: png.width, height: png.height };
};
const load = (options: LoadOptions = {}) => loadDataset(baseUrl, { decodePng, stallTimeoutMs: 300, ...options });

function handle(req: IncomingMessage, res: ServerResponse): void {
  const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
  requested.push(name);
  let body: Buffer;
  try {
    body = readFileSync(join(dataDir, name));
  } catch {
    res.writeHead(404).end();
    return;
  }
  // A fresh connection per request: no attempt reuses a socket an earlier one left stalled.
  const headers = { 'content-type': 'application/octet-stream', 'content-length': body.length, connection: 'close' };
  switch (behaviour.get(name) ?? 'serve') {
    case 'serve':
      res.writeHead(200, headers).end(body);
      return;
    case 'no-answer':
      return; // held open until the client gives up or the test closes every connection
    case 'headers-only':
      res.writeHead(200, headers);
      res.flushHeaders();
      return;
    case 'half-then-stall':
      res.writeHead(200, headers);
      res.write(body.subarray(0, body.length >> 1));
      return;
    case 'trickle': {
      res.writeHead(200, headers);
      const pieces = 16;
      const size = Math.ceil(body.length / pieces);
      let i = 0;
      const next = () => {
        if (res.destroyed) return;
        res.write(body.subarray(i * size, (i + 1) * size));
        if (++i < pieces) setTimeout(next, 100);
        else res.end();
      };
      next();
      return;
    }
  }
}

beforeAll(async () => {
  root = tempDir('fmnist-stall-');
  // 5003 training images: two shards (5000 and 3); 130 test images: one shard.
  fixture = writeFashionFixture(mkdirSync(join(root, 'idx'), { recursive: true })!, { train: 5003, test: 130 });
  dataDir = join(root, 'data');
  const locate = { env: { FASHION_MNIST_DIR: fixture.dir }, debianDir: join(root, 'none'), cacheDir: join(root, 'none'), download: false };
  await buildDataset({ outDir: dataDir, locate });
  server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}, 120_000);

afterEach(() => {
  behaviour.clear();
  server.closeAllConnections(); // held responses of a failed attempt
});

afterAll(async () => {
  if (server) await new Promise((done) => server.close(done));
  rmSync(root, { recursive: true, force: true });
});

/** The loaded splits hold exactly the fixture's images and labels. */
function expectFixture(set: Awaited<ReturnType<typeof loadDataset>>): void {
  expect(set.train.count).toBe(5003);
  expect(set.test.count).toBe(130);
  expect(firstDifference(set.train.images, fixture.train.images)).toBe(-1);
  expect(firstDifference(set.train.labels, fixture.train.labels)).toBe(-1);
  expect(firstDifference(set.test.images, fixture.test.images)).toBe(-1);
  expect(firstDifference(set.test.labels, fixture.test.labels)).toBe(-1);
}

async function failure(promise: Promise<unknown>): Promise<DatasetFileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetFileError);
  return error as DatasetFileError;
}

describe('the order of the data requests', () => {
  it('asks for the training split before the test split: what Train needs comes first', async () => {
    requested.length = 0;
    expectFixture(await load({ concurrency: 1 }));
    expect(requested).toEqual(['manifest.json', 'train-labels.bin', 'train-00.png', 'train-01.png', 'test-labels.bin', 'test-00.png']);
  });
});

describe('a stalled data request', () => {
  it.each([
    ['no-answer', 'train-01.png', /^train-01\.png: the download stalled: the server sent no answer for 0\.3 s$/],
    ['headers-only', 'train-01.png', /^train-01\.png: the download stalled: no data arrived for 0\.3 s after 0 bytes$/],
    ['half-then-stall', 'train-00.png', /^train-00\.png: the download stalled: no data arrived for 0\.3 s after [1-9]\d* bytes$/],
    ['no-answer', 'manifest.json', /^manifest\.json: the download stalled/],
  ] as const)('%s on %s fails naming the file, and a retry loads the data', async (how, file, message) => {
    behaviour.set(file, how);
    const error = await failure(load());
    expect(error.file).toBe(file);
    expect(error.problem).toBe('network');
    expect(error.message).toMatch(message);

    // The server answers again: Retry (another loadDataset call) succeeds.
    behaviour.clear();
    expectFixture(await load());
  });

  it('keeps a slow download that never goes quiet for the stall timeout', async () => {
    // 16 pieces 100 ms apart take longer than a 1 s timeout in all, but no gap comes near it.
    behaviour.set('train-00.png', 'trickle');
    expectFixture(await load({ stallTimeoutMs: 1000 }));
  });
});
