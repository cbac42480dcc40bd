/**
 * MaxPoolGrad for the wasm backend, replacing tfjs-backend-wasm 4.22's own, which is wrong: it
 * drops the gradient of every window whose maximum is negative (its running maximum evidently
 * does not start at -Infinity). After ReLU that rarely matters, but BatchNormalization before
 * pooling makes negative windows common (tests/wasm-kernels.test.ts has the cases).
 *
 * Written in JS directly on the wasm heap: one pass over the input, finding each window's first
 * maximum in row-major order (the cpu backend's tie-break) and adding dy there. It is memory-bound
 * and small next to the convolutions, so JS is fast enough and needs no native code.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type WasmBackendLike } from './wasm-kernel-utils.ts';

type TensorInfo = tf.TensorInfo;

export interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function maxPoolGradWasm(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: WasmBackendLike;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sH, strideWidth: sW, effectiveFilterHeight: fH, effectiveFilterWidth: fW } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;

  const dx = backend.makeOutput(input.shape, 'float32');
  // Views only after the allocation above: malloc may grow (and detach) the heap.
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const out = heapF32(backend, dx);
  out.fill(0);

  const rowStride = W * C;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * H * rowStride;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sH - padTop;
      const hMin = Math.max(0, h0);
      const hMax = Math.min(H, h0 + fH);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * sW - padLeft;
        const wMin = Math.max(0, w0);
        const wMax = Math.min(W, w0 + fW);
        const dyBase = ((b * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let bestIdx = -1;
          for (let h = hMin; h < hMax; h++) {
            let idx = xBatch + h * rowStride + wMin * C + c;
            for (let w = wMin; w < wMax; w++, idx += C) {
              const v = x[idx];
              if (v > best) {
                best = v;
                bestIdx = idx;
              }
            }
          }
          if (bestIdx >= 0) out[bestIdx] += g[dyBase + c];
        }
      }
    }
  }
  return dx;
}
