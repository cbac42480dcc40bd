/**
 * What crosses between the benchmark's three parties: the Node driver (scripts/bench-browser.ts),
 * the page (page.ts) and its worker (worker.ts). Plain data only; no DOM or Node types here, so
 * both sides' compilers read this file.
 */
import type { ModelName } from '../../src/core/models/catalog.ts';

export type BenchBackend = 'webgl' | 'wasm';

/** One row to measure: a fresh worker (a fresh backend) trains one model at one batch size. */
export interface BenchJob {
  backend: BenchBackend;
  /** WASM threads; ignored on WebGL. */
  threads: number;
  model: ModelName;
  batch: number;
  /** Gradient steps per timed rep. */
  steps: number;
  reps: number;
}

/** One measured row, as the worker reports it. */
export interface BenchRow {
  backend: BenchBackend;
  /** The WebGL renderer string (WEBGL_debug_renderer_info) the worker sees; null without WebGL. */
  renderer: string | null;
  /** True where WebGL runs on a software rasteriser (SwiftShader, llvmpipe); null on WASM rows. */
  software: boolean | null;
  /** WASM threads that really run (tfjs's getThreadsCount()); null on WebGL rows. */
  threads: number | null;
  /** Threads our convolution kernels split over (src/core/kernels/threads/); null on WebGL. */
  kernelThreads: number | null;
  /** Which tfjs WASM binary ran: the single-threaded or the threaded SIMD build; null on WebGL. */
  wasmBuild: 'simd' | 'threaded-simd' | null;
  model: ModelName;
  parameters: number;
  batch: number;
  steps: number;
  reps: number;
  /** Median over reps of training images per second (gradient steps only, one read-back per rep). */
  imagesPerSecond: number;
  imagesPerSecondRuns: number[];
  /** Milliseconds per gradient step at that median. */
  msPerStep: number;
  /** Kernels one steady-state training step runs (batch building, forward, backward, Adam, metrics). */
  kernelsPerStep: number;
  /** The same step's kernels by name, most frequent first. */
  kernelNames: Record<string, number>;
  /** The first training step of a fresh backend: shader compilation or XNNPACK set-up included. */
  warmupMs: number;
  /** WebGL only (null on WASM): shader programs compiled by the first step, and by the whole row. */
  shaderProgramsWarmup: number | null;
  shaderProgramsTotal: number | null;
  /** WebGL only: texture uploads and downloads per timed step. */
  uploadsPerStep: number | null;
  downloadsPerStep: number | null;
  /** Tensors still alive after the model was disposed: 0 unless something leaks. */
  tensorsLeft: number;
}

/** What the page knows about itself, for the record. */
export interface PageInfo {
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export type PageToWorker = { type: 'run'; job: BenchJob };

export type WorkerToPage = { type: 'progress'; message: string } | { type: 'result'; row: BenchRow } | { type: 'error'; message: string };

/** What the page puts on `window` for the driver's page.evaluate calls. */
export interface BenchPageApi {
  benchInfo(): PageInfo;
  benchRun(job: BenchJob): Promise<BenchRow>;
}
