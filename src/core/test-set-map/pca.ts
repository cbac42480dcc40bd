/**
 * Principal components of the map's features, to shorten each vector before the layout (the
 * layout's neighbour search costs in proportion to the length). Randomised PCA (Halko, Martinsson
 * and Tropp): the large products run in tfjs, the small eigenproblem in plain numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.ts';
import type { Features } from './features.ts';

/** Extra directions sampled beyond those kept, and power iterations: the usual choices for an accurate leading subspace. */
const OVERSAMPLE = 10;
const POWER_ITERATIONS = 2;

/**
 * The columns of `m` (rows × cols, row-major) made orthonormal (modified Gram-Schmidt, in double
 * precision). A column that lies (nearly) in the span of those before it becomes 0: normalising
 * what is left of it would only magnify rounding errors into a direction that is not there.
 */
function orthonormalColumns(from: Float32Array, rows: number, cols: number): Float32Array {
  const m = Float64Array.from(from);
  for (let c = 0; c < cols; c++) {
    let before = 0;
    for (let r = 0; r < rows; r++) before += m[r * cols + c] ** 2;
    for (let prev = 0; prev < c; prev++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += m[r * cols + c] * m[r * cols + prev];
      for (let r = 0; r < rows; r++) m[r * cols + c] -= dot * m[r * cols + prev];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += m[r * cols + c] ** 2;
    const scale = norm > 1e-10 * before && norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let r = 0; r < rows; r++) m[r * cols + c] *= scale;
  }
  return Float32Array.from(m);
}

/** Eigenvalues (descending) and eigenvectors (columns of `vectors`, n × n) of a symmetric matrix: cyclic Jacobi. */
export function symmetricEigen(matrix: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from];
  });
  return { values: order.map((i) => a[i * n + i]), vectors };
}

/**
 * The features' coordinates along their `dims` leading principal components (centred), or the
 * features themselves when they have no more than `dims` numbers each. Deterministic for a `seed`.
 */
export async function principalComponents(features: Features, dims: number, seed = 1): Promise<Features> {
  const { values, count, dim } = features;
  if (dim <= dims) return features;
  const width = Math.min(dims + OVERSAMPLE, dim, count);
  const rng = new Rng(seed);
  const omega = Float32Array.from({ length: dim * width }, () => rng.next() * 2 - 1);
  // Q: an orthonormal basis of the range of X·(XᵀX)^q·Ω, X the centred features.
  const centred = tf.tidy(() => {
    const x = tf.tensor2d(values, [count, dim]);
    return tf.sub(x, tf.mean(x, 0));
  });
  try {
    let q = orthonormalColumns(await readBack(tf.tidy(() => tf.matMul(centred, tf.tensor2d(omega, [dim, width])))), count, width);
    for (let i = 0; i < POWER_ITERATIONS; i++) {
      const basis = q;
      q = orthonormalColumns(
        await readBack(tf.tidy(() => tf.matMul(centred, tf.matMul(centred, tf.tensor2d(basis, [count, width]), true, false)))),
        count,
        width,
      );
    }
    // B = Qᵀ·X (width × dim); B·Bᵀ = U·Σ²·Uᵀ; the coordinates are Q·U·Σ = X·V.
    const basis = q;
    const gram = await readBack(
      tf.tidy(() => {
        const b = tf.matMul(tf.tensor2d(basis, [count, width]), centred, true, false);
        return tf.matMul(b, b, false, true);
      }),
    );
    const { values: squares, vectors } = symmetricEigen(Float64Array.from(gram), width);
    const out = new Float32Array(count * dims);
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < dims; c++) {
        let sum = 0;
        for (let k = 0; k < width; k++) sum += basis[r * width + k] * vectors[k * width + c];
        out[r * dims + c] = sum * Math.sqrt(Math.max(squares[c], 0));
      }
    }
    return { values: out, count, dim: dims };
  } finally {
    centred.dispose();
  }
}

async function readBack(tensor: tf.Tensor): Promise<Float32Array> {
  try {
    return new Float32Array((await tensor.data()) as Float32Array);
  } finally {
    tensor.dispose();
  }
}
