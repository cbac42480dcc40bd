/**
 * Sum and Mean for the wasm backend over leading axes, replacing tfjs-backend-wasm 4.22's own in
 * that case. Theirs can only reduce innermost axes, so for BatchNormalization's per-channel
 * statistics and gradients (axes [0, 1, 2] of an NHWC tensor) they first transpose the whole
 * activation to [C, N*H*W]. Reducing leading axes of a row-major tensor is a column sum of an
 * [R, N] matrix instead: one pass over contiguous memory, adding each row into an accumulator row.
 *
 * The accumulator is float64, like the cpu backend's sums (which add in JS numbers), so results
 * agree with cpu closely even over 10^5 terms. float32 sums run on our WebAssembly SIMD code
 * (simd/column-sums.c: float blocks of 32 rows into double sums, about three times faster than
 * the JS loop below on TinyVGG's bias gradient); int32 ones, and engines
 * without that module, on the JS loop. Other axis sets (and the innermost case, which the original
 * handles without a transpose), other dtypes and empty tensors go to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { COLUMN_SUMS_BUILDS } from './simd/generated/column-sums-wasm.ts';
import { lazySimdModule, type SimdModule } from './simd/simd-module.ts';
import type { WasmBackendLike } from './wasm-kernel-utils.ts';

const simdModule = lazySimdModule(COLUMN_SUMS_BUILDS);

/** Starts compiling the SIMD module (once); resolves to whether it is usable. */
export const startColumnSumsSimd = simdModule.start;

/** Calls of each route for leading-axes sums since start, so tests can tell which one ran. */
export const columnSumRoutes = { simd: 0, js: 0 };

type ColumnSumsFn = (src: number, rows: number, cols: number, block: number, acc: number) => void;

/** columnSums on our SIMD module: src copied in, the double sums read back. */
function columnSumsSimd(simd: SimdModule, src: Float32Array, rows: number, cols: number): Float64Array {
  const [srcOff, blockOff, accOff] = simd.layout([4 * src.length, 4 * (Math.ceil(cols / 4) * 4), 8 * cols]);
  simd.f32(srcOff, src.length).set(src);
  (simd.exports.column_sums as ColumnSumsFn)(srcOff, rows, cols, blockOff, accOff);
  return simd.f64(accOff, cols).slice();
}

type TensorInfo = tf.TensorInfo;

type Args = {
  inputs: { x: TensorInfo };
  backend: WasmBackendLike;
  attrs: { axis: number | number[]; keepDims: boolean };
};

/**
 * Number of leading axes reduced when `axis` is exactly {0, ..., k-1} with 0 < k < rank, else 0.
 * (Reducing every axis is innermost too, and the original kernel already does that in place.)
 */
export function leadingAxesCount(axis: number | number[], rank: number): number {
  const list = tf.util.parseAxisParam(axis, new Array<number>(rank).fill(1));
  const unique = [...new Set(list)].sort((a, b) => a - b);
  if (unique.length === 0 || unique.length >= rank) return 0;
  for (let i = 0; i < unique.length; i++) if (unique[i] !== i) return 0;
  return unique.length;
}

/** acc[j] = sum over rows i < R of src[i * N + j]. */
export function columnSums(src: Float32Array | Int32Array, rows: number, cols: number): Float64Array {
  const acc = new Float64Array(cols);
  let i = 0;
  // Four rows per pass: a quarter of the accumulator loads and stores.
  for (; i + 4 <= rows; i += 4) {
    const a = i * cols;
    const b = a + cols;
    const c = b + cols;
    const d = c + cols;
    for (let j = 0; j < cols; j++) acc[j] += src[a + j] + src[b + j] + src[c + j] + src[d + j];
  }
  for (; i < rows; i++) {
    const a = i * cols;
    for (let j = 0; j < cols; j++) acc[j] += src[a + j];
  }
  return acc;
}

function makeLeadingReduce(kind: 'Sum' | 'Mean', original: tf.KernelFunc | undefined) {
  return function reduceWasm(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const rank = x.shape.length;
    const k = leadingAxesCount(attrs.axis, rank);
    const size = tf.util.sizeFromShape(x.shape);
    if (k === 0 || size === 0 || (x.dtype !== 'float32' && x.dtype !== 'int32')) {
      if (original == null) throw new Error(`wasm ${kind}: unsupported configuration`);
      return original(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    }
    const rows = tf.util.sizeFromShape(x.shape.slice(0, k));
    const cols = size / rows;
    const outShape = attrs.keepDims ? [...new Array<number>(k).fill(1), ...x.shape.slice(k)] : x.shape.slice(k);
    const outDtype: tf.DataType = kind === 'Mean' ? 'float32' : x.dtype;
    const out = backend.makeOutput(outShape, outDtype);
    // Views only after the allocation above: malloc may grow (and detach) the heap.
    const src = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
    const simd = simdModule.get();
    const useSimd = simd != null && src instanceof Float32Array;
    columnSumRoutes[useSimd ? 'simd' : 'js']++;
    const acc = useSimd ? columnSumsSimd(simd, src, rows, cols) : columnSums(src, rows, cols);
    const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
    if (kind === 'Mean') {
      for (let j = 0; j < cols; j++) dst[j] = acc[j] / rows;
    } else {
      dst.set(acc); // int32: values are whole numbers already; float32: rounds once
    }
    return out;
  };
}

/** Builds the Sum kernel; `original` is the backend's own implementation, used where ours does not apply. */
export function makeSumWasm(original: tf.KernelFunc | undefined) {
  return makeLeadingReduce('Sum', original);
}

/** Builds the Mean kernel; `original` is the backend's own implementation, used where ours does not apply. */
export function makeMeanWasm(original: tf.KernelFunc | undefined) {
  return makeLeadingReduce('Mean', original);
}
