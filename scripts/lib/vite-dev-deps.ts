/**
 * Dev server only: the pre-bundled dependencies (tfjs above all) go out without source maps.
 *
 * Vite serves each pre-bundled dependency with its source map inlined as base64, and every realm
 * that imports tfjs (the page and each worker) downloads its own: tfjs's 3 MB bundle went out as
 * 21 MB, 1,144 original files' text included, so that `npm start` moved about 84 MB where the
 * production build moves 35. Those sources are on DevTools' ignore list anyway (Vite marks
 * everything under node_modules so): the maps bought nothing a stack trace into the plain,
 * unminified bundle does not show.
 */
import type { DevEnvironment, Plugin } from 'vite';

export function devDepsWithoutSourceMaps(): Plugin {
  return {
    name: 'dev-deps-without-source-maps',
    apply: 'serve',
    transform(code, id) {
      // apply: 'serve', so this is the dev server's environment.
      if (!(this.environment as DevEnvironment).depsOptimizer?.isOptimizedDepFile(id)) return null;
      // An empty mapping is Vite's "no source map": nothing is inlined, not even its fallback map.
      return { code, map: { mappings: '' } };
    },
  };
}
