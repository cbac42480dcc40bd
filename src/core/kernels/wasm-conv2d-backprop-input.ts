/**
 * Conv2DBackpropInput for the wasm backend, replacing tfjs-backend-wasm 4.22's own. Theirs is
 * correct (tests/wasm-kernels.test.ts) but a scalar C++ loop: it was ~60% of a TinyVGG training
 * step. For stride 1 the input gradient is a plain forward convolution of dy with the filter
 * rotated by 180 degrees and its in/out channels swapped,
 *
 *   dx[b, h, w, ci] = sum_{kh, kw, co} dy[b, h + kh - (KH-1-padTop), w + kw - (KW-1-padLeft), co]
 *                                      * W[KH-1-kh, KW-1-kw, ci, co],
 *
 * so it runs on our own WebAssembly SIMD code (simd/conv2d-input-grad.c). Strides > 1 (never in our
 * zoo), and every call where that module does not load (no WebAssembly SIMD), keep the original.
 */
import * as tf from '@tensorflow/tfjs';
import { CONV2D_INPUT_GRAD_BUILDS } from './simd/conv2d-input-grad-wasm.ts';
import { lazySimdModule, type SimdModule } from './simd/simd-module.ts';
import { batchRanges } from './threads/batch-ranges.ts';
import { runParts, threadsFor } from './threads/kernel-threads.ts';
import { heapF32, type ConvGradAttrs, type WasmBackendLike } from './wasm-kernel-utils.ts';

const simdModule = lazySimdModule(CONV2D_INPUT_GRAD_BUILDS);

/** Starts compiling the SIMD module (once); resolves to whether it is usable. */
export const startConv2DInputGradSimd = simdModule.start;

/** Calls of each route since start, so tests can tell which one ran. */
export const inputGradRoutes = { simd: 0, original: 0 };

type TensorInfo = tf.TensorInfo;

export interface Conv2DBackpropInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

type Args = {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackendLike;
  attrs: Conv2DBackpropInputAttrs;
};

/** Builds the kernel; `original` is the backend's own implementation, used where ours does not apply. */
export function makeConv2DBackpropInputWasm(original: tf.KernelFunc | undefined) {
  return function conv2DBackpropInputWasm(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(dataFormat),
    );
    // Ours for stride 1 with the forward pass's padding (every convolution we train); with register
    // tiles that fit V8's registers it measured faster than XNNPACK (as a forward convolution with
    // the rotated filter) at every channel count we train: TinyVGG's 10 at batch 64 took 3.0 ms
    // against 4.0 on one thread, 1.9 against 2.1 on two.
    // dy is padded by KH-1 minus the forward padding on each side, so that padding must not exceed it.
    const { filterHeight: KH, filterWidth: KW, padInfo } = info;
    const ours =
      info.strideHeight === 1 &&
      info.strideWidth === 1 &&
      info.dataFormat === 'channelsLast' &&
      Math.max(padInfo.top, padInfo.bottom) <= KH - 1 &&
      Math.max(padInfo.left, padInfo.right) <= KW - 1 &&
      dy.dtype === 'float32' &&
      filter.dtype === 'float32';
    const simd = simdModule.get();
    if (ours && simd != null) {
      inputGradRoutes.simd++;
      return inputGradSimd(simd, backend, dy, filter, info);
    }
    inputGradRoutes.original++;
    if (original == null) throw new Error('wasm Conv2DBackpropInput: unsupported configuration');
    return original(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  };
}

/** dx [B, H, W, CI] on our SIMD module: dy and the filter copied in, dx copied out. */
function inputGradSimd(
  simd: SimdModule,
  backend: WasmBackendLike,
  dy: TensorInfo,
  filter: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  const COp = Math.ceil(CO / 4) * 4;
  const CIp = Math.ceil(CI / 4) * 4;
  const dySize = B * OH * OW * CO;
  const wSize = KH * KW * CI * CO;
  const dxSize = B * H * W * CI;
  // One part per kernel thread, each a run of whole images with scratch of its own; each writes
  // its own images of dx.
  const ranges = batchRanges(B, threadsFor(simd, B * H * W * CI * KH * KW * CO));
  const perPart = (n: number): number[] => [
    4 * n * (H + KH - 1) * (W + KW - 1) * COp,
    4 * KH * KW * Math.max(CO * CIp, CI * COp),
    CIp === CI ? 0 : 4 * n * H * W * CIp,
  ];
  const offsets = simd.layout([4 * dySize, 4 * wSize, 4 * dxSize, ...ranges.flatMap(([b0, b1]) => perPart(b1 - b0))]);
  const [dyOff, wOff, dxOff] = offsets;
  const dx = backend.makeOutput([B, H, W, CI], 'float32');
  // Views after layout() (our memory may grow) and after makeOutput (tfjs's heap may grow).
  simd.f32(dyOff, dySize).set(heapF32(backend, dy));
  simd.f32(wOff, wSize).set(heapF32(backend, filter));
  const parts = ranges.map(([b0, b1], p) => {
    const [dypOff, wtOff, dxpOff] = offsets.slice(3 + 3 * p, 6 + 3 * p);
    const dxPart = dxOff + 4 * b0 * H * W * CI;
    return [
      dyOff + 4 * b0 * OH * OW * CO, wOff, dypOff, wtOff, CIp === CI ? dxPart : dxpOff, dxPart,
      b1 - b0, H, W, CI, OH, OW, CO, KH, KW, info.padInfo.top, info.padInfo.left,
    ];
  });
  runParts(simd, 'conv2d_input_grad', parts);
  heapF32(backend, dx).set(simd.f32(dxOff, dxSize));
  return dx;
}
