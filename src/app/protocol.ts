/**
 * Every message between the page and the training worker: one discriminated union each way.
 * Only plain data crosses (numbers, strings, typed arrays): never tensors or models.
 */
import type { TrainingConfig } from '../core/config.ts';
import type { InsideResult } from '../core/inside/look-inside.ts';
import type { ModelData } from '../core/model-json.ts';
import type { Evaluation } from '../core/training/evaluate.ts';
import type { BatchProgress, EpochResult } from '../core/training/train.ts';

/** Which tfjs backend trains: WebGL (the GPU) or WebAssembly with our training kernels. */
export type BackendChoice = 'webgl' | 'wasm';

/** What the worker found out about the machine, shown on the page. */
export interface BackendReport {
  /** The backend in use now. */
  backend: BackendChoice | 'cpu';
  /** The GPU's renderer string (WEBGL_debug_renderer_info), or null without WebGL. */
  renderer: string | null;
  /** True for software renderers (SwiftShader, llvmpipe, …): WebGL there is slower than WASM. */
  softwareRenderer: boolean;
  webglAvailable: boolean;
  /** WASM threads in use (1 without cross-origin isolation). */
  wasmThreads: number;
  /** Threads our own convolution kernels split over on WASM (0 on other backends). */
  kernelThreads: number;
  /** Why the backend differs from what was asked, if it does (e.g. WebGL unavailable). */
  note: string | null;
}

export interface DatasetProgress {
  /** Bytes and images received so far, over everything the manifest lists. */
  loadedBytes: number;
  totalBytes: number;
  loadedImages: number;
  totalImages: number;
  /** True once the training split is complete: Train may start. */
  trainReady: boolean;
}

/** A few images per class for the gallery, and the test set for the evaluation views. */
export interface DatasetSummary {
  trainCount: number;
  testCount: number;
  /** Test images (784 bytes each, row-major) and labels, for misclassified tiles. */
  testImages: Uint8Array;
  testLabels: Uint8Array;
  /** Gallery: `perClass` training images of each class, class by class. */
  gallery: { perClass: number; images: Uint8Array; labels: Uint8Array };
}

/** Most members one run trains (Compare uses two; the engine takes turns between them by epoch). */
export const MAX_RUN_MEMBERS = 4;

/**
 * A model a run trained, handed to the page when the run ends (stopped runs too) so that the page
 * can classify with it, keep it in IndexedDB and export it. `data.weightData` is transferred.
 */
export interface TrainedModel {
  runId: number;
  /** Its index among the run's members. */
  member: number;
  /** The configuration it trained with (its `model` names the network). */
  config: TrainingConfig;
  /** Whole epochs trained (a stopped run may have trained part of one more). */
  epochs: number;
  stopped: boolean;
  /** Images it trained on (the training subset less the validation images). */
  trainImages: number;
  /** Its latest evaluation on the test set, null when it was not evaluated. */
  evaluation: { epoch: number; accuracy: number; loss: number } | null;
  data: ModelData;
}

/** How far one member of a run got, in 'run-end'. */
export interface MemberResult {
  /** Whole epochs trained. */
  epochs: number;
  /** Training seconds (its own gradient steps only: not other members' turns, not validation). */
  seconds: number;
  imagesPerSecond: number;
}

export type PageToWorker =
  | { type: 'load-data'; baseUrl: string }
  | { type: 'set-backend'; backend: BackendChoice }
  /**
   * Trains one model per entry of `members` (1 = Train, 2 = Compare), each with its own
   * configuration, taking turns by epoch. `evaluateEachEpoch`: test every member after each of its
   * epochs; otherwise once at the end. 'stop' with this runId stops them all.
   */
  | { type: 'run'; runId: number; members: TrainingConfig[]; evaluateEachEpoch: boolean }
  | { type: 'stop'; runId: number }
  /** Evaluates every member of the engine's latest run (it keeps that run's models) on the test set. */
  | { type: 'evaluate'; runId: number };

/**
 * Every run message names its run; those about one model name its `member` (an index into the
 * run's members). A run's messages arrive in this order: 'run-start'; then per member, interleaved
 * by turns, 'run-batch'…, 'run-epoch', 'run-inside', 'run-evaluation'; 'run-models'; 'run-end'.
 */
export type WorkerToPage =
  | { type: 'data-progress'; progress: DatasetProgress }
  | { type: 'data-ready'; summary: DatasetSummary }
  /** A file that is missing, truncated or corrupt: `file` names it; the page offers Retry. */
  | { type: 'data-error'; file: string | null; message: string }
  | { type: 'backend'; report: BackendReport }
  | { type: 'run-start'; runId: number; members: { config: TrainingConfig; parameters: number }[] }
  /** `seconds`: this member's training time so far (its own gradient steps), the x of "by time". */
  | { type: 'run-batch'; runId: number; member: number; progress: BatchProgress; seconds: number }
  | { type: 'run-epoch'; runId: number; member: number; result: EpochResult; seconds: number }
  | { type: 'run-evaluation'; runId: number; member: number; epoch: number; evaluation: Evaluation }
  /**
   * "Inside the model" of a member after one of its epochs, on a fixed test image (`image`, 784
   * bytes), so that the page shows its filters and maps forming. Its typed arrays are transferred.
   */
  | { type: 'run-inside'; runId: number; member: number; epoch: number; image: Uint8Array; result: InsideResult }
  /**
   * Every member's model as plain data, just before 'run-end' (stopped runs too), so drawings and
   * uploads can be answered by them. The weight buffers are transferred.
   */
  | { type: 'run-models'; runId: number; models: TrainedModel[] }
  /** Every 'run-start' gets one, also after a failure ('error' with the runId comes first). */
  | { type: 'run-end'; runId: number; stopped: boolean; members: MemberResult[] }
  /** Anything else that went wrong; the worker stays usable. */
  | { type: 'error'; runId: number | null; message: string };
