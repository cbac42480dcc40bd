/**
 * Identity for the wasm backend, replacing tfjs-backend-wasm 4.22's own, which copies the tensor
 * into fresh heap memory (and, for strings, builds an engine tensor inside the kernel). Tensor data
 * is immutable once written (no kernel writes into its inputs, Variable.assign swaps data ids), so,
 * like the cpu backend's Identity and wasm's own Reshape, the output shares the input's data and
 * just takes a reference: gradients route through Identity (tf.grad's seeds, layer outputs, clone)
 * a hundred-odd times per training step. Works for every dtype: a string tensor's byte arrays sit
 * in the same shared data record.
 */
import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;

interface RefCountingBackend {
  incRef(dataId: object): void;
}

/** `original` is unused (every dtype is handled); the signature matches the other replacements. */
export function makeIdentityWasm(_original?: tf.KernelFunc) {
  return function identityWasm(args: { inputs: { x: TensorInfo }; backend: RefCountingBackend }): TensorInfo {
    const { inputs, backend } = args;
    const { x } = inputs;
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
