/**
 * Conv2DBackpropFilter on our own WebAssembly SIMD code (simd/conv2d-filter-grad.c) for the case
 * training runs: NHWC, stride 1, no dilation, float32, any padding and kernel size. The XNNPACK
 * route (wasm-conv2d-backprop-filter.ts) reaches ~3 GFLOP/s on our 1-10 channel layers because
 * the "filter" it convolves with is a whole 28x28 image; this kernel walks the pixels once per
 * register tile of the [KH*KW*CI, CO] result instead.
 *
 * Our module has its own linear memory (shared with kernel threads where they run): x and dy are
 * copied in from tfjs's heap with one Float32Array.set each (a memcpy), the result copied out into
 * the output tensor. Measured at batch 64, copies and the padding pass take 2-12% of the kernel's
 * time on our layers, up to half on a first layer (1 input channel), whose arithmetic is tiny.
 */
import * as tf from '@tensorflow/tfjs';
import { CONV2D_FILTER_GRAD_BUILDS } from './simd/generated/conv2d-filter-grad-wasm.ts';
import { lazySimdModule, MAX_HELPERS } from './simd/simd-module.ts';
import { batchRanges } from './threads/batch-ranges.ts';
import { MIN_SPLIT_MACS, runParts } from './threads/kernel-threads.ts';
import { heapF32, stride1Nhwc, type WasmBackendLike } from './wasm-kernel-utils.ts';

type TensorInfo = tf.TensorInfo;

/**
 * Parts a filter gradient of `macs` multiply-adds is split into: none under MIN_SPLIT_MACS, then
 * one per half of it, up to one per thread at the most threads we start. Parts of a few million
 * multiply-adds each pay for their set-up (padding, accumulators): TinyVGG's 14x14 layer (11M) on
 * 2 threads ran slower in 8 parts than in 2 (docs/training-kernels.md has the timings).
 */
export function filterParts(macs: number): number {
  if (macs < MIN_SPLIT_MACS) return 1;
  return Math.min(1 + MAX_HELPERS, Math.floor(macs / (MIN_SPLIT_MACS / 2)));
}

const simdModule = lazySimdModule(CONV2D_FILTER_GRAD_BUILDS);

/** Starts compiling the module (once); resolves to whether it is usable (WebAssembly SIMD present). */
export const startConv2DFilterGradSimd = simdModule.start;

/** Whether this kernel computes a convolution of this geometry (else the XNNPACK route does). */
export function simdFilterGradApplies(info: tf.backend_util.Conv2DInfo, dtypes: tf.DataType[]): boolean {
  return stride1Nhwc(info, dtypes) && info.batchSize * info.outHeight * info.outWidth > 0;
}

/** Calls of each route since start, so tests can tell which one ran. */
export const filterGradRoutes = { simd: 0, fallback: 0 };

/**
 * dW [KH, KW, CI, CO] of x [B, H, W, CI] and dy [B, OH, OW, CO], or null when the module is not
 * (yet) loaded or the geometry is not ours: the caller then takes the XNNPACK route.
 */
export function conv2DBackpropFilterSimd(
  backend: WasmBackendLike,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo | null {
  const simd = simdModule.get();
  if (simd == null || !simdFilterGradApplies(info, [x.dtype, dy.dtype])) {
    filterGradRoutes.fallback++;
    return null;
  }
  filterGradRoutes.simd++;
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outChannels: CO } = info;
  const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
  const K = KH * KW * CI;
  const Hp = OH + KH - 1;
  const Wp = OW + KW - 1;
  const xSize = B * H * W * CI;
  const dySize = B * OH * OW * CO;
  const accDoubles = (simd.exports.acc_doubles as (...args: number[]) => number)(KH, KW, CI, CO);
  // Parts of the batch, each with scratch of its own, whose sums are added below; kernel threads
  // share them out. How many depends on the call alone, never on the threads, so neither does the
  // result (a seed trains the same on any machine); small calls stay whole.
  const ranges = batchRanges(B, filterParts(B * OH * OW * K * CO));
  // Per part: padded x (the C code reads up to 3 floats past its end), accumulators, offsets, tile.
  const perPart = (n: number): number[] => [4 * n * Hp * Wp * CI + 16, 8 * accDoubles, 4 * K, 4 * 128];
  const offsets = simd.layout([
    4 * xSize,
    4 * dySize + 16, // the C code reads up to 3 floats past dy's end (into lanes it discards)
    4 * K * CO, // dw
    ...ranges.flatMap(([b0, b1]) => perPart(b1 - b0)),
  ]);
  const [xOff, dyOff, dwOff] = offsets;
  // Views after layout(): growing our memory replaces its buffer.
  simd.f32(xOff, xSize).set(heapF32(backend, x));
  simd.f32(dyOff, dySize).set(heapF32(backend, dy));
  const accOffs: number[] = [];
  const parts = ranges.map(([b0, b1], p) => {
    const [xpOff, accOff, offOff, partOff] = offsets.slice(3 + 4 * p, 7 + 4 * p);
    accOffs.push(accOff);
    return [
      xOff + 4 * b0 * H * W * CI,
      dyOff + 4 * b0 * OH * OW * CO,
      xpOff,
      accOff,
      offOff,
      partOff,
      b1 - b0,
      H,
      W,
      CI,
      OH,
      OW,
      CO,
      KH,
      KW,
      info.padInfo.top,
      info.padInfo.left,
    ];
  });
  runParts(simd, 'conv2d_filter_grad', parts);
  // Several parts: their double sums added into the first part's, in part order (so the same bits
  // on any thread count), then rounded to float once, as one part's are.
  if (accOffs.length > 1) {
    const total = simd.f64(accOffs[0], accDoubles);
    for (const off of accOffs.slice(1)) {
      const acc = simd.f64(off, accDoubles);
      for (let i = 0; i < accDoubles; i++) total[i] += acc[i];
    }
  }
  (simd.exports.filter_grad_write as (...args: number[]) => void)(accOffs[0], dwOff, KH, KW, CI, CO);
  const out = backend.makeOutput([KH, KW, CI, CO], 'float32');
  // tfjs's heap view after makeOutput: its malloc may grow (and detach) that heap.
  heapF32(backend, out).set(simd.f32(dwOff, K * CO));
  return out;
}
