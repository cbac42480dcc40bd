/**
 * Our stride-1 NHWC convolution (simd/conv2d.c), shared by the forward kernels (Conv2D,
 * FusedConv2D: wasm-conv2d.ts) and the input gradient (Conv2DBackpropInput:
 * wasm-conv2d-backprop-input.ts), which is the same convolution of dy with the filter rotated.
 *
 * The source, filter and bias are copied into our module's memory, the result copied out into a new
 * output tensor. A call of at least MIN_SPLIT_MACS multiply-adds is split by batch over kernel
 * threads: each part pads its own images and writes its own images of the result.
 */
import type * as tf from '@tensorflow/tfjs';
import { CONV2D_BUILDS } from './simd/generated/conv2d-wasm.ts';
import { lazySimdModule } from './simd/simd-module.ts';
import { batchRanges } from './threads/batch-ranges.ts';
import { runParts, threadsFor } from './threads/kernel-threads.ts';
import { heapF32, type WasmBackendLike } from './wasm-kernel-utils.ts';

type TensorInfo = tf.TensorInfo;

const simdModule = lazySimdModule(CONV2D_BUILDS);

/** Starts compiling the module (once); resolves to whether it is usable. */
export const startConv2DSimd = simdModule.start;

/** Whether the module has loaded (until then, and where WebAssembly SIMD is missing, callers fall back). */
export function conv2DSimdReady(): boolean {
  return simdModule.get() != null;
}

/** One convolution: out [B, OH, OW, COUT] from src [B, IH, IW, CIN]. */
export interface Conv2DSimdCall {
  src: TensorInfo;
  /** [KH, KW, CIN, COUT]; with `flip`, [KH, KW, COUT, CIN] used rotated by 180 degrees. */
  filter: TensorInfo;
  /** [COUT] added to every pixel, or null. */
  bias: TensorInfo | null;
  outShape: [number, number, number, number];
  /** Zero rows above src and columns left of it (the rest follows from the output's size). */
  padTop: number;
  padLeft: number;
  flip: boolean;
  relu: boolean;
}

/** Runs the convolution (the module must be ready: conv2DSimdReady()) and returns its output. */
export function conv2DSimd(backend: WasmBackendLike, call: Conv2DSimdCall): TensorInfo {
  const simd = simdModule.get();
  if (simd == null) throw new Error('conv2DSimd: the SIMD module has not loaded');
  const [B, IH, IW, CIN] = call.src.shape;
  const [, OH, OW, COUT] = call.outShape;
  const [KH, KW] = call.filter.shape;
  const CINp = Math.ceil(CIN / 4) * 4;
  const COUTp = Math.ceil(COUT / 4) * 4;
  const srcSize = B * IH * IW * CIN;
  const wSize = KH * KW * CIN * COUT;
  const outSize = B * OH * OW * COUT;
  if (outSize === 0) return backend.makeOutput(call.outShape, 'float32');
  // One part per kernel thread, each a run of whole images with scratch of its own.
  const ranges = batchRanges(B, threadsFor(simd, outSize * KH * KW * CIN));
  const perPart = (n: number): number[] => [
    4 * n * (OH + KH - 1) * (OW + KW - 1) * CINp, // padded source
    4 * (KH * KW * Math.max(CIN * COUTp, COUT * CINp) + COUTp), // filter as the loops read it, bias
    COUTp === COUT ? 0 : 4 * n * OH * OW * COUTp, // output with whole vectors of channels
  ];
  const offsets = simd.layout([4 * srcSize, 4 * wSize, 4 * COUT, 4 * outSize, ...ranges.flatMap(([b0, b1]) => perPart(b1 - b0))]);
  const [srcOff, wOff, biasOff, outOff] = offsets;
  const out = backend.makeOutput(call.outShape, 'float32');
  // Views after layout() (our memory may grow) and after makeOutput (tfjs's heap may grow).
  simd.f32(srcOff, srcSize).set(heapF32(backend, call.src));
  simd.f32(wOff, wSize).set(heapF32(backend, call.filter));
  if (call.bias != null) simd.f32(biasOff, COUT).set(heapF32(backend, call.bias));
  const parts = ranges.map(([b0, b1], p) => {
    const [srcpOff, wtOff, outpOff] = offsets.slice(4 + 3 * p, 7 + 3 * p);
    const outPart = outOff + 4 * b0 * OH * OW * COUT;
    return [
      srcOff + 4 * b0 * IH * IW * CIN,
      wOff,
      call.bias != null ? biasOff : 0,
      srcpOff,
      wtOff,
      COUTp === COUT ? outPart : outpOff,
      outPart,
      b1 - b0,
      IH,
      IW,
      CIN,
      OH,
      OW,
      COUT,
      KH,
      KW,
      call.padTop,
      call.padLeft,
      call.flip ? 1 : 0,
      call.relu ? 1 : 0,
    ];
  });
  runParts(simd, 'conv2d', parts);
  heapF32(backend, out).set(simd.f32(outOff, outSize));
  return out;
}
