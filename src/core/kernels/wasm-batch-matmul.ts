/**
 * BatchMatMul for the wasm backend, replacing tfjs-backend-wasm 4.22's own for single matrices.
 *
 * The stock kernel is slow on exactly the products a Dense layer's gradient needs: on the default
 * CNN's [64, 3136] × [3136, 128] layer, its forward product, dx = dy·Wᵀ and dW = xᵀ·dy together
 * took a third of a whole training step. The same products as a 1×1 convolution on the backend's
 * XNNPACK run about ten times faster (docs/training-kernels.md has the timings):
 *
 *   out[M, N] = A[M, K] · B[K, N]  is  conv2d(x = A as [1, 1, M, K], filter = B as [1, 1, K, N])
 *
 * (M "pixels" of K channels, a 1×1 kernel mapping K channels to N). Batched products (a batch
 * dimension over 1) and other dtypes go to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, heapF32, release, type WasmBackendLike } from './wasm-kernel-utils.ts';

type TensorInfo = tf.TensorInfo;

interface Args {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: WasmBackendLike;
  attrs: { transposeA: boolean; transposeB: boolean };
}

export function makeBatchMatMulWasm(original: tf.KernelFunc | undefined) {
  return function batchMatMulWasm(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    // One matrix each: rank 2, or higher with every leading (batch) dimension 1.
    const rank = a.shape.length;
    const single =
      a.dtype === 'float32' &&
      b.dtype === 'float32' &&
      rank >= 2 &&
      b.shape.length === rank &&
      a.shape.slice(0, -2).every((d) => d === 1) &&
      b.shape.slice(0, -2).every((d) => d === 1);
    if (!single) {
      if (original == null) throw new Error('wasm BatchMatMul: the original kernel is missing');
      return original(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    }
    const [aRows, aCols] = a.shape.slice(-2);
    const [bRows, bCols] = b.shape.slice(-2);
    const M = attrs.transposeA ? aCols : aRows;
    const K = attrs.transposeA ? aRows : aCols;
    const N = attrs.transposeB ? bRows : bCols;
    const kB = attrs.transposeB ? bCols : bRows;
    if (K !== kB) {
      throw new Error(
        `wasm BatchMatMul: inner dimensions differ (${a.shape} × ${b.shape}, transposeA ${attrs.transposeA}, transposeB ${attrs.transposeB})`,
      );
    }
    if (M * N === 0 || K === 0) return original!(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    const outShape = [...a.shape.slice(0, -2), M, N];

    const conv = (x: TensorInfo, filter: TensorInfo) =>
      callKernel('Conv2D', backend, { x, filter }, { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' });
    // An operand used as it lies is read in place, only its shape re-read as 4-D.
    const view = (t: TensorInfo, rows: number, cols: number): TensorInfo => ({ ...t, shape: [1, 1, rows, cols] });

    if (!attrs.transposeA && !attrs.transposeB) {
      const product = conv(view(a, M, K), view(b, K, N));
      const out = callKernel('Reshape', backend, { x: product }, { shape: outShape });
      release(backend, product);
      return out;
    }
    // With a transposed operand, compute outᵀ[N, M] = Bᵀ[N, K] · Aᵀ[K, M] instead: the transposed
    // operands are then read in place and only the others are transposed. Measured with fresh
    // operands (as in training), this orientation is 5-10x faster than transposing the transposed
    // operand back: XNNPACK packs the filter anew on every call, and a big repacked filter is slow.
    const temps: TensorInfo[] = [];
    const x = attrs.transposeB ? view(b, N, K) : backend.makeOutput([1, 1, N, K], 'float32');
    const filter = attrs.transposeA ? view(a, K, M) : backend.makeOutput([1, 1, K, M], 'float32');
    // Heap views only after the allocations: malloc may grow (and detach) the heap.
    if (!attrs.transposeB) {
      transpose2d(heapF32(backend, b), heapF32(backend, x), K, N);
      temps.push(x);
    }
    if (!attrs.transposeA) {
      transpose2d(heapF32(backend, a), heapF32(backend, filter), M, K);
      temps.push(filter);
    }
    const productT = conv(x, filter);
    temps.push(productT);
    const out = backend.makeOutput(outShape, 'float32');
    transpose2d(heapF32(backend, productT), heapF32(backend, out), N, M);
    release(backend, ...temps);
    return out;
  };
}

/** src [rows, cols] -> dst [cols, rows], in tiles so that both sides stay in cache. */
function transpose2d(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) {
        let i = r * cols + c0;
        for (let c = c0; c < c1; c++, i++) dst[c * rows + r] = src[i];
      }
    }
  }
}
