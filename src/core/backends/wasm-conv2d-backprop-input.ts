/**
 * Conv2DBackpropInput for the wasm backend, replacing tfjs-backend-wasm 4.22's own. Theirs is
 * correct (tests/wasm-kernels.test.ts) but a scalar C++ loop: it was ~60% of a TinyVGG training
 * step. For stride 1 the input gradient is a plain forward convolution of dy with the filter
 * rotated by 180 degrees and its in/out channels swapped,
 *
 *   dx[b, h, w, ci] = sum_{kh, kw, co} dy[b, h + kh - (KH-1-padTop), w + kw - (KW-1-padLeft), co]
 *                                      * W[KH-1-kh, KW-1-kw, ci, co],
 *
 * so it runs on XNNPACK like the forward pass. Strides > 1 (never in our zoo) keep the original.
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, heapF32, release, type ConvGradAttrs, type WasmBackendLike } from './wasm-kernel-utils.ts';

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
    const { filterHeight: KH, filterWidth: KW, inChannels: CI, outChannels: CO } = info;
    const padTop = KH - 1 - info.padInfo.top;
    const padLeft = KW - 1 - info.padInfo.left;
    const padBottom = info.inHeight - info.outHeight + info.padInfo.top;
    const padRight = info.inWidth - info.outWidth + info.padInfo.left;
    const usable =
      info.strideHeight === 1 &&
      info.strideWidth === 1 &&
      info.dataFormat === 'channelsLast' &&
      Math.min(padTop, padLeft, padBottom, padRight) >= 0;
    if (!usable) {
      if (original == null) throw new Error('wasm Conv2DBackpropInput: unsupported configuration');
      return original(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    }

    // Rotated, channel-swapped filter [KH, KW, CO, CI]: tiny, so a JS loop on the heap.
    const rotated = backend.makeOutput([KH, KW, CO, CI], 'float32');
    const src = heapF32(backend, filter);
    const dst = heapF32(backend, rotated);
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const s0 = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CI * CO;
        const d0 = (kh * KW + kw) * CO * CI;
        for (let ci = 0; ci < CI; ci++) {
          for (let co = 0; co < CO; co++) dst[d0 + co * CI + ci] = src[s0 + ci * CO + co];
        }
      }
    }
    const dx = callKernel(
      'Conv2D',
      backend,
      { x: dy, filter: rotated },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [
          [0, 0],
          [padTop, padBottom],
          [padLeft, padRight],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    );
    release(backend, rotated);
    return dx;
  };
}
