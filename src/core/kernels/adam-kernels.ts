/**
 * One Adam update of one weight as a single kernel, for the backends where tfjs's own Adam is
 * slow: tfjs's AdamOptimizer spends 14 elementwise kernels per weight tensor, and uploads six
 * scalar constants per weight, at every step. On WebGL each of those is a shader dispatch, and a
 * training step there is bound by dispatches, not arithmetic (the default CNN's Adam alone was
 * about 180 of a step's programs); on WASM each is a pass over the weights.
 *
 *   m' = β1·m + (1 − β1)·g
 *   v' = β2·v + (1 − β2)·g²
 *   w' = w − decay·w − lr · (m' / (1 − β1^t)) / (sqrt(v' / (1 − β2^t)) + ε)     (t: the 1-based step)
 *
 * decay = lr · weightDecay is AdamW's decoupled weight decay (0 for plain Adam, and for the weights
 * that are not decayed): PyTorch's AdamW shrinks w by that fraction before the same Adam step.
 * It is one more attribute, so it costs no kernel and, on WebGL, no second shader.
 *
 * Kernel 'PlaygroundAdam': inputs {w, m, v, g} of one shape, attrs AdamAttrs, outputs [w', m', v'].
 * WebGL: three packed programs (one per output; a WebGL program writes one texture), the
 * hyperparameters as uniforms so the shaders compile once per shape. WASM: one loop over the
 * heap. Backends without it (cpu) use the same formulas as tensor ops (src/core/training/adam.ts).
 *
 * Same code in Node and in the browser: no DOM, no Node APIs, no import of the backend packages.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm-kernel-utils.ts';

export const ADAM_KERNEL = 'PlaygroundAdam';

/**
 * The bias corrections come folded into two numbers, worked out once per step in double precision
 * by the optimizer: firstScale = lr / (1 − β1^t), secondScale = 1 / (1 − β2^t), t the 1-based step.
 * The update is then w' = w − decay · w − firstScale · m' / (sqrt(secondScale · v') + ε), with
 * decay = lr · weightDecay for a decayed weight (AdamW), 0 otherwise.
 */
export interface AdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  firstScale: number;
  secondScale: number;
  decay: number;
}

type TensorInfo = tf.TensorInfo;
interface AdamInputs {
  w: TensorInfo;
  m: TensorInfo;
  v: TensorInfo;
  g: TensorInfo;
}

/** The parts of tfjs-backend-webgl's GPGPUProgram and MathBackendWebGL that a kernel needs. */
interface WebGLProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs: boolean;
  packedOutput: boolean;
  customUniforms: { name: string; type: 'float' }[];
}
interface WebGLBackendLike {
  runWebGLProgram(program: WebGLProgram, inputs: TensorInfo[], dtype: tf.DataType, uniforms: number[][]): TensorInfo;
}

function program(variableNames: string[], uniforms: string[], shape: number[], body: string): WebGLProgram {
  return {
    variableNames,
    outputShape: shape,
    packedInputs: true,
    packedOutput: true,
    customUniforms: uniforms.map((name) => ({ name, type: 'float' as const })),
    userCode: `void main() {\n${body}\n}`,
  };
}

function adamWebGL(args: { inputs: AdamInputs; backend: WebGLBackendLike; attrs: AdamAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { w, m, v, g } = inputs;
  const { beta1, beta2, epsilon, firstScale, secondScale, decay } = attrs;
  const shape = w.shape;
  const m2 = backend.runWebGLProgram(
    program(['M', 'G'], ['beta1'], shape, 'setOutput(beta1 * getMAtOutCoords() + (1.0 - beta1) * getGAtOutCoords());'),
    [m, g],
    'float32',
    [[beta1]],
  );
  const v2 = backend.runWebGLProgram(
    program(['V', 'G'], ['beta2'], shape, 'vec4 g = getGAtOutCoords();\nsetOutput(beta2 * getVAtOutCoords() + (1.0 - beta2) * g * g);'),
    [v, g],
    'float32',
    [[beta2]],
  );
  const w2 = backend.runWebGLProgram(
    program(
      ['W', 'M', 'V'],
      ['firstScale', 'secondScale', 'epsilon', 'decay'],
      shape,
      'vec4 v = getVAtOutCoords() * secondScale;\n' +
        'vec4 w = getWAtOutCoords();\n' +
        'setOutput(w - decay * w - firstScale * getMAtOutCoords() / (sqrt(v) + epsilon));',
    ),
    [w, m2, v2],
    'float32',
    [[firstScale], [secondScale], [epsilon], [decay]],
  );
  return [w2, m2, v2];
}

function adamWasm(args: { inputs: AdamInputs; backend: WasmBackendLike; attrs: AdamAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { beta1, beta2, epsilon, firstScale, secondScale, decay } = attrs;
  const shape = inputs.w.shape;
  const outputs = [0, 1, 2].map(() => backend.makeOutput(shape, 'float32'));
  // Views are taken after every allocation: growing the heap detaches older views.
  const [w, m, v, g, w2, m2, v2] = [inputs.w, inputs.m, inputs.v, inputs.g, ...outputs].map(
    (t) => backend.typedArrayFromHeap(t) as Float32Array,
  );
  const b1 = 1 - beta1;
  const b2 = 1 - beta2;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + b1 * gi;
    const vi = beta2 * v[i] + b2 * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    const wi = w[i];
    w2[i] = wi - decay * wi - (firstScale * mi) / (Math.sqrt(vi * secondScale) + epsilon);
  }
  return outputs;
}

let registered = false;

/** Idempotent: registers the kernel for webgl and wasm (used only where that backend runs). */
export function registerAdamKernels(): void {
  if (registered) return;
  registered = true;
  for (const [backendName, kernelFunc] of [
    ['webgl', adamWebGL],
    ['wasm', adamWasm],
  ] as const) {
    if (tf.getKernel(ADAM_KERNEL, backendName) == null) {
      tf.registerKernel({ kernelName: ADAM_KERNEL, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    }
  }
}
