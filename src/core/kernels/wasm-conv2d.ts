/**
 * Conv2D and FusedConv2D (bias, and ReLU or none) for the wasm backend on our own SIMD
 * convolution (wasm-conv2d-simd.ts), where it measured faster than tfjs's XNNPACK: when tfjs's
 * pool has one thread (its single-threaded builds; the page below 4 cores), for stride 1, no
 * dilation, NHWC, float32, at least 4 input channels: there ours beat XNNPACK on one thread
 * on TinyVGG's and the default CNN's layers, on one kernel thread and more so on two. With a pool
 * of two, XNNPACK's own split scaled better than our kernel threads, which copy in and out, so it
 * keeps the forward pass there (docs/training-kernels.md has the timings). Below 4
 * input channels (a first layer) XNNPACK was twice as fast, so it keeps those; it also keeps 1x1
 * kernels, which are Dense layers' products (wasm-batch-matmul.ts) with thousands of input
 * channels, where its blocked matrix product suits better. Everything else ours does not cover
 * (strides, dilations, other activations) goes to the backend's original.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DSimd, conv2DSimdReady } from './wasm-conv2d-simd.ts';
import { stride1Nhwc, type WasmBackendLike } from './wasm-kernel-utils.ts';

type TensorInfo = tf.TensorInfo;

/** Calls of each route since start, so tests can tell which one ran. */
export const forwardConvRoutes = { simd: 0, original: 0 };

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

type Args = {
  inputs: { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: WasmBackendLike;
  attrs: ConvAttrs;
};

/** Fewer input channels than this stay on XNNPACK. */
const MIN_IN_CHANNELS = 4;

/** Threads in tfjs's own pool (XNNPACK's): 1 for its single-threaded builds. */
function xnnpackThreads(backend: WasmBackendLike): number {
  return backend.wasm.tfjs?.getThreadsCount?.() ?? 1;
}

/** The kernel for Conv2D or FusedConv2D; `original` is the backend's own, used where ours does not apply. */
export function makeConv2DWasm(original: tf.KernelFunc | undefined) {
  return function conv2DWasm(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const { x, filter, bias, preluActivationWeights } = inputs;
    const activation = attrs.activation ?? 'linear';
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
    );
    const ours =
      stride1Nhwc(info, [x.dtype, filter.dtype, ...(bias == null ? [] : [bias.dtype])]) &&
      info.inChannels >= MIN_IN_CHANNELS &&
      info.filterHeight * info.filterWidth > 1 &&
      (bias == null || tf.util.sizeFromShape(bias.shape) === info.outChannels) &&
      preluActivationWeights == null &&
      (activation === 'linear' || activation === 'relu');
    if (ours && xnnpackThreads(backend) === 1 && conv2DSimdReady()) {
      forwardConvRoutes.simd++;
      return conv2DSimd(backend, {
        src: x,
        filter,
        bias: bias ?? null,
        outShape: info.outShape as [number, number, number, number],
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
        flip: false,
        relu: activation === 'relu',
      });
    }
    forwardConvRoutes.original++;
    if (original == null) throw new Error('wasm Conv2D: unsupported configuration');
    return original(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  };
}
