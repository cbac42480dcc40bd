// Builds only the engine check page (npx vite build --config src/ui/dev/engine-check.vite.config.mjs),
// so it can be served statically: the dev server reloads the page whenever a core file changes.
const root = new URL('../../../', import.meta.url).pathname;
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
export default {
  root,
  build: {
    outDir: '/tmp/engine-check-dist',
    emptyOutDir: true,
    rollupOptions: { input: { check: root + 'src/ui/dev/engine-check.html' } },
  },
  preview: { headers: isolation, port: 4391, host: '127.0.0.1' },
  worker: { format: 'es' },
};
