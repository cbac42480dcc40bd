/**
 * MaxPoolGrad for the wasm backend, replacing tfjs-backend-wasm 4.22's own, which is wrong: it
 * drops the gradient of every window whose maximum is negative (its running maximum evidently
 * does not start at -Infinity). After ReLU that rarely matters, but BatchNormalization before
 * pooling makes negative windows common (tests/wasm-kernels.test.ts has the cases).
 *
 * Each window's first maximum in row-major order (the cpu backend's tie-break) gets dy. It runs on
 * our own WebAssembly SIMD code (simd/max-pool-grad.c, four channels at a time), ~5x faster than
 * the JS loop below, which remains for engines where that module does not load. Our module has its
 * own memory: x and dy are copied in, dx out (memcpy speed, a fraction of the loop they replace).
 */
import * as tf from '@tensorflow/tfjs';
import { MAX_POOL_GRAD_BUILDS } from './simd/generated/max-pool-grad-wasm.ts';
import { lazySimdModule, type SimdModule } from './simd/simd-module.ts';
import { heapF32, type WasmBackendLike } from './wasm-kernel-utils.ts';

const simdModule = lazySimdModule(MAX_POOL_GRAD_BUILDS);

/** Starts compiling the SIMD module (once); resolves to whether it is usable. */
export const startMaxPoolGradSimd = simdModule.start;

/** Calls of each route since start, so tests can tell which one ran. */
export const maxPoolGradRoutes = { simd: 0, js: 0 };

type MaxPoolGradFn = (
  x: number,
  dy: number,
  dx: number,
  B: number,
  H: number,
  W: number,
  C: number,
  OH: number,
  OW: number,
  fH: number,
  fW: number,
  sH: number,
  sW: number,
  padTop: number,
  padLeft: number,
) => void;

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
  const simd = simdModule.get();
  if (simd != null && input.dtype === 'float32' && dy.dtype === 'float32') {
    maxPoolGradRoutes.simd++;
    maxPoolGradSimd(simd, backend, input, dy, dx, info);
    return dx;
  }
  maxPoolGradRoutes.js++;
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

function maxPoolGradSimd(
  simd: SimdModule,
  backend: WasmBackendLike,
  input: TensorInfo,
  dy: TensorInfo,
  dx: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): void {
  const xSize = tf.util.sizeFromShape(input.shape);
  const dySize = tf.util.sizeFromShape(dy.shape);
  const [xOff, dyOff, dxOff] = simd.layout([4 * xSize, 4 * dySize, 4 * xSize]);
  // Views after layout() (our memory may grow) and after makeOutput (tfjs's heap may grow).
  simd.f32(xOff, xSize).set(heapF32(backend, input));
  simd.f32(dyOff, dySize).set(heapF32(backend, dy));
  (simd.exports.max_pool_grad as MaxPoolGradFn)(
    xOff,
    dyOff,
    dxOff,
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.effectiveFilterHeight,
    info.effectiveFilterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  );
  heapF32(backend, dx).set(simd.f32(dxOff, xSize));
}
