/**
 * Registers, for backend 'wasm', the kernels that training needs and tfjs-backend-wasm 4.22 lacks.
 *
 * What a training step of our zoo (Conv2D/MaxPool/BatchNorm/Dropout/Dense + Adam + softmax
 * cross-entropy) runs was listed with tf.profile on the cpu backend and checked against the wasm
 * kernel registry: every kernel exists on wasm except Conv2DBackpropFilter (tests/wasm-kernels.test.ts
 * checks parity with cpu of every gradient path, so a missing or wrong kernel shows up there).
 *
 * It also replaces a few stock kernels that are correct but slow on the training path (Conv2D and
 * FusedConv2D where tfjs runs one thread: tests/wasm-simd-kernels.test.ts; Tile, Sum and Mean over
 * leading axes, Identity: BatchNormalization's gradient; BatchMatMul: Dense layers;
 * tests/wasm-fast-kernels.test.ts).
 *
 * Same code in Node and in the browser: no DOM, no Node APIs.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterWasm } from './wasm-conv2d-backprop-filter.ts';
import { startConv2DFilterGradSimd } from './wasm-conv2d-backprop-filter-simd.ts';
import { maxPoolGradWasm, startMaxPoolGradSimd } from './wasm-max-pool-grad.ts';
import { makeConv2DBackpropInputWasm } from './wasm-conv2d-backprop-input.ts';
import { startConv2DSimd } from './wasm-conv2d-simd.ts';
import { makeConv2DWasm } from './wasm-conv2d.ts';
import { makeTileWasm } from './wasm-tile.ts';
import { makeMeanWasm, makeSumWasm, startColumnSumsSimd } from './wasm-reduce.ts';
import { makeIdentityWasm } from './wasm-identity.ts';
import { makeBatchMatMulWasm } from './wasm-batch-matmul.ts';

let registered = false;

/** Idempotent. Returns the kernel names it registered on the first call, [] afterwards. */
export function registerWasmTrainingKernels(): string[] {
  if (registered) return [];
  registered = true;
  const names: string[] = [];
  const add = (config: tf.KernelConfig, replace = false): void => {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing != null) {
      // Someone (a newer tfjs-backend-wasm) already provides it: keep theirs unless we replace a
      // kernel on purpose.
      if (!replace) return;
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
    names.push(config.kernelName);
  };
  // Our SIMD modules compile now (synchronously where the engine allows), not in the first step.
  void startConv2DFilterGradSimd();
  void startMaxPoolGradSimd();
  void startConv2DSimd();
  void startColumnSumsSimd();
  add({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilterWasm as unknown as tf.KernelFunc,
  });
  add({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGradWasm as unknown as tf.KernelFunc }, true);
  // The original stays in use for strides > 1; keep its setupFunc (it binds the C++ function when
  // the backend initialises) by carrying it over into our config.
  const originalBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  add(
    {
      kernelName: 'Conv2DBackpropInput',
      backendName: 'wasm',
      setupFunc: originalBackpropInput?.setupFunc,
      kernelFunc: makeConv2DBackpropInputWasm(originalBackpropInput?.kernelFunc) as unknown as tf.KernelFunc,
    },
    true,
  );
  // Faster replacements for forward convolutions (our SIMD kernel beats XNNPACK on one thread), for
  // kernels BatchNormalization's gradient leans on (stock Tile is a scalar index loop, stock
  // Sum/Mean transpose before reducing leading axes, stock Identity copies), and for Dense layers
  // (stock BatchMatMul is 5-20x slower than XNNPACK's convolution). Each
  // falls back to the original where it does not apply, so the original's setupFunc is kept too.
  const faster: Array<[string, (original: tf.KernelFunc | undefined) => unknown]> = [
    ['Conv2D', makeConv2DWasm],
    ['FusedConv2D', makeConv2DWasm],
    ['Tile', makeTileWasm],
    ['Sum', makeSumWasm],
    ['Mean', makeMeanWasm],
    ['Identity', makeIdentityWasm],
    ['BatchMatMul', makeBatchMatMulWasm],
  ];
  for (const [kernelName, make] of faster) {
    const original = tf.getKernel(kernelName, 'wasm');
    add(
      {
        kernelName,
        backendName: 'wasm',
        setupFunc: original?.setupFunc,
        kernelFunc: make(original?.kernelFunc) as tf.KernelFunc,
      },
      true,
    );
  }
  return names;
}
