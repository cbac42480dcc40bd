/**
 * How long a run is expected to take, before it starts: from training speeds we measured (docs/benchmarks.md,
 * "Expected run times", has the runs behind each figure), per backend and model. Only measured
 * speeds: where a backend has none for a model (a real GPU, so far), the estimate says so and
 * gives the WebAssembly figure instead.
 */
import type { TrainingConfig } from './config.ts';
import type { ModelName } from './models/catalog.ts';

/** What trains: WebAssembly on the CPU, or WebGL on a graphics card or a software renderer. */
export type EstimateBackend = 'wasm' | 'webgl-software' | 'webgl-gpu' | 'cpu';

/**
 * Training images per second, measured on 2 CPU cores for WebAssembly (the Wide CNN with the
 * Best preset's augmentation, which is how it is trained) and on SwiftShader for software WebGL.
 */
export const MEASURED_SPEEDS: Readonly<Record<EstimateBackend, Partial<Record<ModelName, number>>>> = {
  wasm: { dense: 4_978, tinyvgg: 851, 'keras-cnn': 132, compact: 765, default: 1_235, 'dense-wide': 2_051, wide: 268 },
  'webgl-software': { dense: 1_573, tinyvgg: 60, default: 31 },
  'webgl-gpu': {},
  cpu: {},
};

/** Where each backend's speeds were measured, in a visitor's words. */
export const MEASURED_ON: Readonly<Record<EstimateBackend, string>> = {
  wasm: 'WebAssembly on 2 CPU cores',
  'webgl-software': 'WebGL on a software renderer',
  'webgl-gpu': 'WebGL on a graphics card',
  cpu: 'plain JavaScript',
};

/** The test set every run is scored on. */
const TEST_IMAGES = 10_000;

/**
 * An image tested (the test set, the validation images) costs about half an image trained: a
 * forward pass without the backward one, and no better batched. Measured runs' time from the click
 * less their training time bear that out (docs/benchmarks.md, "Expected run times").
 */
const FORWARD_SHARE = 1 / 2;

/** Runs expected to take longer than this (seconds) ask before they start. */
export const CONFIRM_ABOVE_SECONDS = 5 * 60;

export interface RunEstimate {
  /** Expected seconds from the click to the end on `backend`; null where its speed is not measured. */
  seconds: number | null;
  /** The same on WebAssembly with 2 CPU cores, where every model's speed is measured. */
  wasmSeconds: number;
  backend: EstimateBackend;
}

/** Seconds one member takes at `speed` training images a second: training, validation and testing. */
function memberSeconds(config: TrainingConfig, speed: number, evaluateEachEpoch: boolean): number {
  const held = Math.floor(config.trainSize * config.validationSplit);
  const trained = (config.trainSize - held) * config.epochs;
  const views = config.flipTest ? 2 : 1;
  const tested = (held * config.epochs + TEST_IMAGES * (evaluateEachEpoch ? config.epochs : 1)) * views;
  return (trained + tested * FORWARD_SHARE) / speed;
}

function secondsOn(backend: EstimateBackend, members: readonly TrainingConfig[], evaluateEachEpoch: boolean): number | null {
  let total = 0;
  for (const config of members) {
    const speed = MEASURED_SPEEDS[backend][config.model];
    if (speed === undefined) return null;
    total += memberSeconds(config, speed, evaluateEachEpoch);
  }
  return total;
}

/** The expected time of a run of `members` (Train: one, Compare: two, taking turns) on `backend`. */
export function estimateRun(members: readonly TrainingConfig[], evaluateEachEpoch: boolean, backend: EstimateBackend): RunEstimate {
  return {
    seconds: secondsOn(backend, members, evaluateEachEpoch),
    wasmSeconds: secondsOn('wasm', members, evaluateEachEpoch) ?? 0,
    backend,
  };
}

/** Whether to ask before starting: the expected time (the WebAssembly one where none is measured) is long. */
export function needsConfirmation(estimate: RunEstimate): boolean {
  return (estimate.seconds ?? estimate.wasmSeconds) > CONFIRM_ABOVE_SECONDS;
}
