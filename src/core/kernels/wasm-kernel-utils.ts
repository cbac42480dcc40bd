/**
 * Minimal, structural view of `@tensorflow/tfjs-backend-wasm`'s BackendWasm, plus helpers to call
 * the backend's own kernels from inside our kernels.
 *
 * We describe the backend structurally instead of importing its class so that src/core needs no
 * runtime import of the wasm package (the app decides whether to load it) and compiles with the
 * ES2022 lib only.
 */
import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;

/** The attributes both convolution gradients take (tfjs's Conv2DBackprop* kernels). */
export interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: tf.DataType;
  refCount: number;
}

export interface WasmBackendLike {
  /** The Emscripten module; `tfjs` holds the functions tfjs binds at start (its thread count among them). */
  wasm: { HEAPU8: Uint8Array; tfjs?: { getThreadsCount?: () => number } };
  dataIdMap: { get(dataId: object): WasmTensorData };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

type AnyKernelFunc = (args: {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}) => TensorInfo | TensorInfo[];

/**
 * Runs another kernel of the same backend directly (not through the engine): the result is backend
 * data with refCount 1 that the engine does not track, so the caller must `release` it unless it is
 * the kernel's output. This is how tfjs' own backends compose kernels, and it keeps intermediate
 * tensors out of the gradient tape and out of tf.memory() counts.
 */
export function callKernel(
  kernelName: string,
  backend: WasmBackendLike,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown> = {},
  impl?: AnyKernelFunc,
): TensorInfo {
  const fn = impl ?? (tf.getKernel(kernelName, 'wasm')?.kernelFunc as AnyKernelFunc | undefined);
  if (fn == null) throw new Error(`wasm kernel '${kernelName}' is not registered`);
  const out = fn({ inputs, backend, attrs });
  return Array.isArray(out) ? out[0] : out;
}

export function release(backend: WasmBackendLike, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * The convolutions our SIMD kernels compute (forward and both gradients): stride 1, no dilation,
 * NHWC, every operand float32. Each kernel adds its own limits to this.
 */
export function stride1Nhwc(info: tf.backend_util.Conv2DInfo, dtypes: tf.DataType[]): boolean {
  return (
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.dataFormat === 'channelsLast' &&
    dtypes.every((d) => d === 'float32')
  );
}

/** Float32 view of a tensor's bytes on the wasm heap (valid until the heap grows). */
export function heapF32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}
