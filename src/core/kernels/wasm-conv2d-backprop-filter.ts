/**
 * Conv2DBackpropFilter for the wasm backend (tfjs-backend-wasm 4.22 has none, so no CNN can train).
 *
 *   dW[kh, kw, ci, co] = sum_{b, oh, ow} x[b, oh*sH + kh - padTop, ow*sW + kw - padLeft, ci]
 *                                        * dy[b, oh, ow, co]
 *
 * This is itself a forward convolution once batch and channels trade places: take
 * xT = x^[CI, H, W, B] as the input image (CI "images" with B channels) and dyT = dy^[OH, OW, B, CO]
 * as the filter (an OH x OW kernel, B in-channels, CO out-channels, dilated by the stride). The
 * output is [CI, KH, KW, CO], one transpose away from dW. Expressed like that it runs on the
 * backend's XNNPACK convolution (SIMD, threads) instead of a scalar loop.
 *
 * Stride 1 (every convolution of our zoo) goes to our own SIMD kernel first
 * (wasm-conv2d-backprop-filter-simd.ts), 2-4x faster on our layers; this route remains for
 * strides, dilations and for engines where that module does not load.
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, heapF32, release, type ConvGradAttrs, type WasmBackendLike } from './wasm-kernel-utils.ts';
import { conv2DBackpropFilterSimd } from './wasm-conv2d-backprop-filter-simd.ts';

type TensorInfo = tf.TensorInfo;

export interface Conv2DBackpropFilterAttrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
}

export function conv2DBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackendLike;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat === 'NCHW') {
    throw new Error(`wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  return conv2DBackpropFilterSimd(backend, x, dy, info) ?? conv2DBackpropFilterXnnpack(backend, x, dy, info);
}

/** The XNNPACK route: dW as a forward convolution of transposed x and dy (see the top of the file). */
export function conv2DBackpropFilterXnnpack(
  backend: WasmBackendLike,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  // Bottom/right padding that makes the "output" exactly KH x KW. It can be negative when the
  // forward pass ignored the last rows/columns (valid padding with a stride): crop those instead.
  const spanH = (outHeight - 1) * strideHeight + 1;
  const spanW = (outWidth - 1) * strideWidth + 1;
  let padBottom = filterHeight - 1 + spanH - inHeight - padTop;
  let padRight = filterWidth - 1 + spanW - inWidth - padLeft;

  // Crop rows/columns the forward pass never read (padBottom/padRight < 0) while transposing.
  const H = inHeight + Math.min(0, padBottom);
  const W = inWidth + Math.min(0, padRight);
  padBottom = Math.max(0, padBottom);
  padRight = Math.max(0, padRight);

  // Both transposes in JS on the heap: ~3-4x faster than the backend's generic 4-D Transpose.
  const xT = backend.makeOutput([inChannels, H, W, batchSize], 'float32');
  const dyT = backend.makeOutput([outHeight, outWidth, batchSize, outChannels], 'float32');
  transposeX(heapF32(backend, x), heapF32(backend, xT), batchSize, inHeight, inWidth, inChannels, H, W);
  transposeDy(heapF32(backend, dy), heapF32(backend, dyT), batchSize, outHeight * outWidth, outChannels);
  const temps: TensorInfo[] = [xT, dyT];
  const conv = callKernel(
    'Conv2D',
    backend,
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      dilations: [strideHeight, strideWidth],
      pad: [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
  temps.push(conv);
  // conv: [CI, KH, KW, CO] -> dW: [KH, KW, CI, CO]
  const dW = callKernel('Transpose', backend, { x: conv }, { perm: [1, 2, 0, 3] });
  release(backend, ...temps);
  if (dW.shape.join() !== [filterHeight, filterWidth, inChannels, outChannels].join()) {
    throw new Error(`internal: dW shape ${dW.shape} != ${info.filterShape}`);
  }
  return dW;
}

/** x [B, inH, inW, C] -> xT [C, H, W, B], keeping only the first H rows and W columns. */
function transposeX(x: Float32Array, out: Float32Array, B: number, inH: number, inW: number, C: number, H: number, W: number): void {
  // Output-sequential: each output run of B values gathers one channel of one pixel across the batch.
  const batchStride = inH * inW * C;
  let o = 0;
  for (let c = 0; c < C; c++) {
    for (let h = 0; h < H; h++) {
      for (let w = 0; w < W; w++) {
        let i = (h * inW + w) * C + c;
        for (let b = 0; b < B; b++, i += batchStride) out[o++] = x[i];
      }
    }
  }
}

/** dy [B, P, CO] -> dyT [P, B, CO] (P = OH * OW): moves contiguous runs of CO values. */
function transposeDy(dy: Float32Array, out: Float32Array, B: number, P: number, CO: number): void {
  let i = 0;
  for (let b = 0; b < B; b++) {
    for (let p = 0; p < P; p++) {
      let o = (p * B + b) * CO;
      for (let c = 0; c < CO; c++) out[o++] = dy[i++];
    }
  }
}
