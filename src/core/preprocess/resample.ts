/**
 * Separable resampling of a rectangle of a one-channel image to a new size.
 *
 * Shrinking uses exact area averaging (a box filter with fractional coverage), so every source
 * pixel contributes in proportion to its area: a 1-pixel stroke in a 4000-pixel picture becomes
 * a faint but non-zero line instead of vanishing between two point samples. Enlarging uses
 * bilinear interpolation (pixel centres aligned), which is smooth and never overshoots.
 */

/** Per output index: the first source index, how many taps follow, and where their weights start. */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  weights: Float32Array;
}

/** Weights mapping `srcLen` source pixels onto `dstLen` output pixels along one axis. */
function axisWeights(srcLen: number, dstLen: number): AxisWeights {
  const start = new Int32Array(dstLen);
  const count = new Int32Array(dstLen);
  const offset = new Int32Array(dstLen);
  const ratio = srcLen / dstLen;
  // Shrinking: neighbouring outputs share at most one source pixel, so srcLen + dstLen taps
  // suffice (one more per output leaves room for rounding at interval ends). Enlarging: two taps.
  const weights = new Float32Array(dstLen <= srcLen ? srcLen + 2 * dstLen : 2 * dstLen);
  let n = 0;
  for (let o = 0; o < dstLen; o++) {
    offset[o] = n;
    if (dstLen <= srcLen) {
      const lo = o * ratio;
      const hi = Math.min(srcLen, (o + 1) * ratio);
      const first = Math.floor(lo);
      const last = Math.min(srcLen, Math.ceil(hi)) - 1;
      start[o] = first;
      for (let i = first; i <= last; i++) {
        weights[n++] = (Math.min(hi, i + 1) - Math.max(lo, i)) / (hi - lo);
      }
      count[o] = last - first + 1;
    } else {
      const c = Math.max(0, (o + 0.5) * ratio - 0.5);
      const i0 = Math.min(Math.floor(c), srcLen - 1);
      const f = c - i0;
      start[o] = i0;
      if (i0 + 1 < srcLen && f > 0) {
        weights[n++] = 1 - f;
        weights[n++] = f;
        count[o] = 2;
      } else {
        weights[n++] = 1;
        count[o] = 1;
      }
    }
  }
  return { start, count, offset, weights };
}

/**
 * Resamples the rectangle (x, y, width, height) of a one-channel image to dstWidth × dstHeight.
 * @param src row-major one-channel image, `stride` values per row, any value range
 * @returns Float32Array of dstWidth × dstHeight values, row-major, same units as `src`
 */
export function resampleRect(
  src: ArrayLike<number>,
  stride: number,
  x: number,
  y: number,
  width: number,
  height: number,
  dstWidth: number,
  dstHeight: number,
): Float32Array {
  const wx = axisWeights(width, dstWidth);
  const wy = axisWeights(height, dstHeight);
  // Horizontal pass over the rectangle's rows (touches each source pixel once), then vertical.
  const rows = new Float32Array(height * dstWidth);
  for (let r = 0; r < height; r++) {
    const rowStart = (y + r) * stride + x;
    for (let u = 0; u < dstWidth; u++) {
      const s = rowStart + wx.start[u];
      const off = wx.offset[u];
      let acc = 0;
      for (let k = 0; k < wx.count[u]; k++) acc += wx.weights[off + k] * src[s + k];
      rows[r * dstWidth + u] = acc;
    }
  }
  const out = new Float32Array(dstWidth * dstHeight);
  for (let v = 0; v < dstHeight; v++) {
    const off = wy.offset[v];
    for (let k = 0; k < wy.count[v]; k++) {
      const w = wy.weights[off + k];
      const rowBase = (wy.start[v] + k) * dstWidth;
      for (let u = 0; u < dstWidth; u++) out[v * dstWidth + u] += w * rows[rowBase + u];
    }
  }
  return out;
}
