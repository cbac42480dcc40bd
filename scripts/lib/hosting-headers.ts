/**
 * The HTTP headers the built page is served with: one list for `npm run preview`, for the browser
 * tests' static server, and for docs/hosting.md (a test checks that the docs quote these exactly).
 * Why each is there is in docs/hosting.md.
 */

/**
 * Cross-origin isolation: SharedArrayBuffer, which WebAssembly threads need (tfjs's threaded build
 * and our kernel threads). Without it the page trains on one WebAssembly thread.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/**
 * What the page needs, and nothing more: its own scripts and WebAssembly (compiling WASM needs
 * 'wasm-unsafe-eval', not 'unsafe-eval'); workers from its own files and from blob: URLs (tfjs's
 * WASM threads and our kernel threads start from their source text in a Blob); its own styles
 * and images (it draws pictures on canvases); fetches of its own data and models only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Every header a host should send with the built page (docs/hosting.md). */
export const HOSTING_HEADERS = {
  ...ISOLATION_HEADERS,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
} as const;
