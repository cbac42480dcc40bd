/**
 * Conv2DBackpropInput for the wasm backend, replacing tfjs-backend-wasm 4.22's own. Theirs is
 * correct (tests/wasm-kernels.test.ts) but a scalar C++ loop: it was ~60% of a TinyVGG training
 * step. For stride 1 the input gradient is a plain forward convolution of dy with the filter
 * rotated by 180 degrees and its in/out channels swapped,
 *
 *   dx[b, h, w, ci] = sum_{kh, kw, co} dy[b, h + kh - (KH-1-padTop), w + kw - (KW-1-padLeft), co]
 *                                      * W[KH-1-kh, KW-1-kw, ci, co],
 *
 * so it runs on our own WebAssembly SIMD convolution (wasm-conv2d-simd.ts). Strides > 1 (never in our
 * zoo), and every call where that module does not load (no WebAssembly SIMD), keep the original.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DSimd, conv2DSimdReady } from './wasm-conv2d-simd.ts';
import { stride1Nhwc, type ConvGradAttrs, type WasmBackendLike } from './wasm-kernel-utils.ts';

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
    // the rotated filter) at every channel count we train, on one thread and on two
    // (docs/training-kernels.md has the timings).
    // dy is padded by KH-1 minus the forward padding on each side, so that padding must not exceed it.
    const { filterHeight: KH, filterWidth: KW, padInfo } = info;
    const ours =
      stride1Nhwc(info, [dy.dtype, filter.dtype]) &&
      Math.max(padInfo.top, padInfo.bottom) <= KH - 1 &&
      Math.max(padInfo.left, padInfo.right) <= KW - 1;
    if (ours && conv2DSimdReady()) {
      inputGradRoutes.simd++;
      return conv2DSimd(backend, {
        src: dy,
        filter,
        bias: null,
        outShape: [info.batchSize, info.inHeight, info.inWidth, info.inChannels],
        padTop: KH - 1 - padInfo.top,
        padLeft: KW - 1 - padInfo.left,
        flip: true,
        relu: false,
      });
    }
    inputGradRoutes.original++;
    if (original == null) throw new Error('wasm Conv2DBackpropInput: unsupported configuration');
    return original(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  };
}
