/**
 * A static file server for the production build, with the cross-origin isolation headers the
 * page needs for threaded WASM (or every header a host should send, docs/hosting.md), and a hook
 * to replace a file's bytes: the way a test serves a corrupt or missing shard and then the good
 * one again.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { ISOLATION_HEADERS } from '../../scripts/lib/hosting-headers.ts';

/** What the tests serve by default: isolation, and nothing cached between a test's pages. */
export const TEST_HEADERS: Readonly<Record<string, string>> = { ...ISOLATION_HEADERS, 'Cache-Control': 'no-store' };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

/** What to send instead of a file: other bytes, or an HTTP status with no body. */
export type Override = { body: Uint8Array } | { status: number };

/** Where the hosting test's report-only policy sends Content-Security-Policy violations (POST). */
export const CSP_REPORT_PATH = '/csp-report';

export interface StaticServer {
  url: string;
  /** The bodies of the violation reports POSTed to CSP_REPORT_PATH, page and workers alike. */
  cspReports: string[];
  /** Replaces the response for a path like '/data/train-03.png'; null restores the real file. */
  override(path: string, value: Override | null): void;
  close(): Promise<void>;
}

/** @param headers sent with every response, besides Content-Type and Content-Length */
export async function serveStatic(root: string, headers: Readonly<Record<string, string>> = TEST_HEADERS): Promise<StaticServer> {
  const overrides = new Map<string, Override>();
  const cspReports: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (request.method === 'POST' && path === CSP_REPORT_PATH) {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      cspReports.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(204).end();
      return;
    }
    const override = overrides.get(path);
    if (override && 'status' in override) {
      response.writeHead(override.status, headers).end();
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(normalize(root))) {
      response.writeHead(403, headers).end();
      return;
    }
    try {
      const body = override && 'body' in override ? override.body : await readFile(file);
      response.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
      });
      response.end(body);
    } catch {
      response.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    cspReports,
    override: (path, value) => (value ? overrides.set(path, value) : overrides.delete(path)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
