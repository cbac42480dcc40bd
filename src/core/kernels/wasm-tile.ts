/**
 * Tile for the wasm backend, replacing tfjs-backend-wasm 4.22's own. Theirs computes every output
 * element's source index in a scalar C++ loop; BatchNormalization's gradient tiles a [1,1,1,C]
 * vector to the whole [N,H,W,C] activation, and that single Tile was about a third of a training
 * step of our `default` model.
 *
 * Here the output is built in blocks: the innermost dimension copies one input row with
 * `TypedArray.set`, and each dimension then repeats the block it has written with `copyWithin`,
 * doubling the copied length each time (so a [1,1,1,C] -> [N,H,W,C] tile is a single C-element
 * copy followed by ~log2(N*H*W) memmoves). Before that, dimensions are merged where the result is
 * the same: size-1 dimensions without repetition vanish, neighbours that are both un-repeated become
 * one contiguous row, and neighbours that are both size 1 become one repeated dimension.
 *
 * Works on any numeric dtype the heap holds (float32, int32, bool) and on strings (kept outside the
 * heap as byte arrays; the original kernel aborts the wasm module on them). Anything else goes to
 * the original.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm-kernel-utils.ts';

type TensorInfo = tf.TensorInfo;
type HeapArray = Float32Array | Int32Array | Uint8Array;

type Args = {
  inputs: { x: TensorInfo };
  backend: WasmBackendLike;
  attrs: { reps: number[] };
};

/**
 * Merges dimensions of a tile problem without changing its result. Returns parallel arrays of
 * input sizes and repetitions; never empty (a trivial problem becomes [[1], [1]]).
 */
export function simplifyTile(shape: readonly number[], reps: readonly number[]): { sizes: number[]; reps: number[] } {
  const sizes: number[] = [];
  const outReps: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d];
    const r = reps[d];
    if (s === 1 && r === 1) continue; // contributes nothing
    const last = sizes.length - 1;
    if (last >= 0 && r === 1 && outReps[last] === 1) {
      sizes[last] *= s; // two contiguous, un-repeated runs form one longer run
    } else if (last >= 0 && s === 1 && sizes[last] === 1) {
      outReps[last] *= r; // [1]x[a] then [1]x[b] is [1]x[a*b]
    } else {
      sizes.push(s);
      outReps.push(r);
    }
  }
  if (sizes.length === 0) return { sizes: [1], reps: [1] };
  return { sizes, reps: outReps };
}

/** Fills dst[off + len, off + len * times) with copies of dst[off, off + len), doubling each pass. */
function repeatBlock(dst: HeapArray, off: number, len: number, times: number): void {
  const total = len * times;
  let filled = len;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    dst.copyWithin(off + filled, off, off + n);
    filled += n;
  }
}

/** Tiles `src` (shape `sizes`) into `dst` (shape sizes[i] * reps[i]); both row-major. */
export function tileInto(src: HeapArray, dst: HeapArray, sizes: readonly number[], reps: readonly number[]): void {
  const rank = sizes.length;
  // inStride[d]: elements of one index step in dimension d of the input; outBlock[d]: elements of
  // one output block along dimension d (the product of output sizes after d).
  const inStride = new Array<number>(rank);
  const outBlock = new Array<number>(rank);
  let si = 1;
  let so = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStride[d] = si;
    outBlock[d] = so;
    si *= sizes[d];
    so *= sizes[d] * reps[d];
  }
  const last = rank - 1;
  const fill = (d: number, inOff: number, outOff: number): void => {
    if (d === last) {
      const s = sizes[d];
      if (s === 1) dst.fill(src[inOff], outOff, outOff + reps[d]);
      else {
        dst.set(src.subarray(inOff, inOff + s), outOff);
        repeatBlock(dst, outOff, s, reps[d]);
      }
      return;
    }
    const s = sizes[d];
    for (let i = 0; i < s; i++) fill(d + 1, inOff + i * inStride[d], outOff + i * outBlock[d]);
    repeatBlock(dst, outOff, s * outBlock[d], reps[d]);
  };
  fill(0, 0, 0);
}

/** The wasm backend keeps a string tensor's values as `stringBytes` in its data record. */
interface StringData {
  stringBytes: Uint8Array[] | null;
}

function tileStrings(x: TensorInfo, reps: readonly number[], outShape: number[], backend: WasmBackendLike): TensorInfo {
  const src = (backend.dataIdMap.get(x.dataId) as unknown as StringData).stringBytes ?? [];
  const simple = simplifyTile(x.shape, reps);
  // Tile the indices with the numeric code, then look the byte arrays up.
  const index = new Int32Array(src.length);
  for (let i = 0; i < index.length; i++) index[i] = i;
  const tiled = new Int32Array(tf.util.sizeFromShape(outShape));
  if (tiled.length > 0) tileInto(index, tiled, simple.sizes, simple.reps);
  const out = backend.makeOutput(outShape, 'string');
  (backend.dataIdMap.get(out.dataId) as unknown as StringData).stringBytes = Array.from(tiled, (i) => src[i]);
  return out;
}

/** Builds the kernel; `original` is the backend's own implementation, used for dtypes we do not know. */
export function makeTileWasm(original: tf.KernelFunc | undefined) {
  return function tileWasm(args: Args): TensorInfo {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const reps = attrs.reps;
    const known = x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool' || x.dtype === 'string';
    if (!known) {
      if (original == null) throw new Error(`wasm Tile: unsupported dtype ${x.dtype}`);
      return original(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    }
    if (reps.length !== x.shape.length) {
      throw new Error(`wasm Tile: reps ${JSON.stringify(reps)} do not match rank ${x.shape.length}`);
    }
    const outShape = x.shape.map((s, i) => s * reps[i]);
    if (x.dtype === 'string') return tileStrings(x, reps, outShape, backend);
    const out = backend.makeOutput(outShape, x.dtype);
    if (tf.util.sizeFromShape(outShape) === 0) return out;
    // Views only after the allocation above: malloc may grow (and detach) the heap.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const simple = simplifyTile(x.shape, reps);
    tileInto(src, dst, simple.sizes, simple.reps);
    return out;
  };
}
