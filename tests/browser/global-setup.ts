/**
 * Vitest's global setup for the browser tests: one production build for the whole run (each file
 * serves it with its own static server), handed to the test files as inject('appDist'). Skipped
 * where there is no Chromium, since every browser test is skipped then too.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildApp } from './build-app.ts';
import { haveChromium } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the production build, or '' where no browser test runs. */
    appDist: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (!haveChromium) {
    project.provide('appDist', '');
    return () => {};
  }
  const started = Date.now();
  const dist = await buildApp();
  console.log(`[browser tests] one build for the run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('appDist', dist);
  return () => rmSync(dist, { recursive: true, force: true });
}
