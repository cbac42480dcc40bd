/**
 * Conv2DBackpropFilter on our own WebAssembly SIMD code (simd/conv2d-filter-grad.c) for the case
 * training runs: NHWC, stride 1, no dilation, float32, any padding and kernel size. The XNNPACK
 * route (wasm-conv2d-backprop-filter.ts) reaches ~3 GFLOP/s on our 1-10 channel layers because
 * the "filter" it convolves with is a whole 28x28 image; this kernel walks the pixels once per
 * register tile of the [KH*KW*CI, CO] result instead.
 *
 * Our module has its own linear memory: x and dy are copied in from tfjs's heap with one
 * Float32Array.set each (a memcpy), the result copied out into the output tensor. Measured at
 * batch 64, copies and the padding pass take 2-12% of the kernel's time on our layers, up to half
 * on a first layer (1 input channel), whose arithmetic is tiny.
 */
import * as tf from '@tensorflow/tfjs';
import { CONV2D_FILTER_GRAD_WASM } from './simd/conv2d-filter-grad-wasm.ts';
import { lazySimdModule } from './simd/simd-module.ts';
import { heapF32, type WasmBackendLike } from './wasm-kernel-utils.ts';

type TensorInfo = tf.TensorInfo;

type FilterGradFn = (
  x: number, dy: number, xp: number, acc: number, off: number, part: number, dw: number,
  B: number, H: number, W: number, CI: number, OH: number, OW: number, CO: number,
  KH: number, KW: number, padTop: number, padLeft: number,
) => void;

const simdModule = lazySimdModule(CONV2D_FILTER_GRAD_WASM);

/** Starts compiling the module (once); resolves to whether it is usable (WebAssembly SIMD present). */
export const startConv2DFilterGradSimd = simdModule.start;

/** Whether this kernel computes a convolution of this geometry (else the XNNPACK route does). */
export function simdFilterGradApplies(info: tf.backend_util.Conv2DInfo, dtypes: tf.DataType[]): boolean {
  return (
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.dataFormat === 'channelsLast' &&
    dtypes.every((d) => d === 'float32') &&
    info.batchSize * info.outHeight * info.outWidth > 0
  );
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
  const COp = Math.ceil(CO / 4) * 4;
  const K = KH * KW * CI;
  const Hp = OH + KH - 1;
  const Wp = OW + KW - 1;
  const xSize = B * H * W * CI;
  const dySize = B * OH * OW * CO;
  const [xOff, dyOff, xpOff, accOff, offOff, partOff, dwOff] = simd.layout([
    4 * xSize,
    4 * dySize + 16, // the C code reads up to 3 floats past dy's end (into lanes it discards)
    4 * B * Hp * Wp * CI,
    8 * K * COp,
    4 * K,
    4 * 128,
    4 * K * CO,
  ]);
  // Views after layout(): growing our memory detaches the old buffer.
  simd.f32(xOff, xSize).set(heapF32(backend, x));
  simd.f32(dyOff, dySize).set(heapF32(backend, dy));
  (simd.exports.conv2d_filter_grad as FilterGradFn)(
    xOff, dyOff, xpOff, accOff, offOff, partOff, dwOff,
    B, H, W, CI, OH, OW, CO, KH, KW, info.padInfo.top, info.padInfo.left,
  );
  const out = backend.makeOutput([KH, KW, CI, CO], 'float32');
  // tfjs's heap view after makeOutput: its malloc may grow (and detach) that heap.
  heapF32(backend, out).set(simd.f32(dwOff, K * CO));
  return out;
}
