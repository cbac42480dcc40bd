/**
 * Every message between the page and the training worker: one discriminated union each way.
 * Only plain data crosses (numbers, strings, typed arrays): never tensors or models.
 */
import type { CompareMember } from '../core/compare.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { ModelData } from '../core/model-json.ts';
import type { ModelName } from '../core/models/catalog.ts';
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

/**
 * A model a run trained, handed to the page when the run ends (stopped runs too) so that the page
 * can classify with it, keep it in IndexedDB and export it. `model.weightData` is transferred.
 */
export interface TrainedModelMessage {
  type: 'trained-model';
  runId: number;
  config: TrainingConfig;
  /** Whole epochs trained (a stopped run may have trained part of one more). */
  epochs: number;
  stopped: boolean;
  /** Images it trained on (the training subset less the validation images). */
  trainImages: number;
  /** The run's latest evaluation on the test set, null when it was not evaluated. */
  evaluation: { epoch: number; accuracy: number; loss: number } | null;
  model: ModelData;
}

export type PageToWorker =
  | { type: 'load-data'; baseUrl: string }
  | { type: 'set-backend'; backend: BackendChoice }
  | { type: 'train'; runId: number; config: TrainingConfig; evaluateEachEpoch: boolean }
  | { type: 'stop'; runId: number }
  | { type: 'evaluate'; runId: number }
  /**
   * Compare mode: trains `models.dense` (a dense-only network) and `models.cnn` (a CNN) on the same
   * data with the same `config` (its `model` field is ignored), taking turns by epoch, and
   * evaluates each on the test set after each of its epochs. 'stop' with this runId stops both.
   */
  | { type: 'compare'; runId: number; config: TrainingConfig; models: Record<CompareMember, ModelName> }
  /** Class probabilities from one model of the last comparison, answered with 'predictions'. */
  | { type: 'compare-predict'; requestId: number; member: CompareMember; images: Uint8Array[] };

/** How far one model of a comparison got, in 'compare-end'. */
export interface CompareMemberResult {
  /** Whole epochs trained. */
  epochs: number;
  /** Training seconds (gradient steps only: not the other model's turns, not validation). */
  seconds: number;
  imagesPerSecond: number;
}

export type WorkerToPage =
  | { type: 'data-progress'; progress: DatasetProgress }
  | { type: 'data-ready'; summary: DatasetSummary }
  /** A file that is missing, truncated or corrupt: `file` names it; the page offers Retry. */
  | { type: 'data-error'; file: string | null; message: string }
  | { type: 'backend'; report: BackendReport }
  | { type: 'train-start'; runId: number; config: TrainingConfig; parameters: number }
  | { type: 'batch'; runId: number; progress: BatchProgress }
  | { type: 'epoch'; runId: number; result: EpochResult }
  | { type: 'evaluation'; runId: number; epoch: number; evaluation: Evaluation }
  | { type: 'train-end'; runId: number; stopped: boolean; seconds: number; imagesPerSecond: number }
  | { type: 'predictions'; requestId: number; probabilities: Float32Array }
  | TrainedModelMessage
  // ---- Compare mode: every message names its run and which model it is about ----
  | { type: 'compare-start'; runId: number; config: TrainingConfig; models: Record<CompareMember, { model: ModelName; parameters: number }> }
  /** `seconds`: this model's training time so far (its own gradient steps), the x of "by time". */
  | { type: 'compare-batch'; runId: number; member: CompareMember; progress: BatchProgress; seconds: number }
  | { type: 'compare-epoch'; runId: number; member: CompareMember; result: EpochResult; seconds: number }
  | { type: 'compare-evaluation'; runId: number; member: CompareMember; epoch: number; evaluation: Evaluation }
  /** Every 'compare-start' gets one, also after a failure ('error' with the runId comes first). */
  | { type: 'compare-end'; runId: number; stopped: boolean; results: Record<CompareMember, CompareMemberResult> }
  /**
   * Both models of a comparison as plain data, just before its 'compare-end' (stopped ones too), so
   * drawings and uploads can be answered by both side by side. The weight buffers are transferred.
   */
  | { type: 'compare-models'; runId: number; models: Record<CompareMember, { model: ModelName; data: ModelData }> }
  /** Anything else that went wrong; the worker stays usable. */
  | { type: 'error'; runId: number | null; message: string };
