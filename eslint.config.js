// ESLint as the Vite React TypeScript template sets it up, with each folder given the globals of the
// place it runs in (the same split as the tsconfig files).
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import tseslint from 'typescript-eslint';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  globalIgnores(['dist', 'public/data', 'node_modules', 'runs', 'bench-results', 'test-results', '.cache', '.scratch']),
  {
    files: ['**/*.{ts,tsx,js}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022 },
    rules: {
      // Relaxed to TypeScript's own rule (noUnusedParameters): a name starting with '_' is unused on
      // purpose, as a parameter a callback's signature requires or a field left out of a rest copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The page, its workers and the browser benchmark run in Chromium.
    files: ['src/ui/**', 'src/app/**', 'src/main.tsx', 'scripts/bench-browser/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ['src/ui/**', 'src/main.tsx'],
    extends: [reactHooks.configs.flat.recommended, reactRefresh.configs.vite],
  },
  {
    // The command-line tools and the build config run in Node.
    files: ['scripts/**', 'vite.config.ts', 'eslint.config.js'],
    ignores: ['scripts/bench-browser/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // The tests run in Node and drive the app layer, which is written against browser types.
    files: ['tests/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
]);
