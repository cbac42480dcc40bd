/*
 * Conv2DBackpropFilter (stride 1, NHWC) as WebAssembly SIMD: the filter gradient of a convolution
 * with few channels, which XNNPACK (as a forward convolution on transposed tensors) computes at
 * about 3 GFLOP/s because its "filter" is then a whole 28x28 image with 1-10 channels.
 *
 *   dw[kh, kw, ci, co] = sum over b, oh, ow of  xp[b, oh + kh, ow + kw, ci] * dy[b, oh, ow, co]
 *
 * where xp is x with the forward pass's zero padding made explicit. Seen as a matrix product it is
 * dw[K, CO] = X[K, P] . DY[P, CO] with K = KH*KW*CI rows (9 to a few hundred), CO columns (10-64)
 * and a long reduction over P = B*OH*OW pixels (50,176 for 64 images of 28x28). So:
 *   - a register tile of the result is accumulated over many pixels, in one of two shapes:
 *       by channel: MR rows x NV*4 output channels; each pixel loads NV vectors of dy (its output
 *         channels, contiguous in NHWC) and broadcasts one x value per row;
 *       by k: MV*4 rows x NC channels; each pixel loads MV vectors of x (for one kh, the KW*CI
 *         values it meets are contiguous in NHWC) and broadcasts one dy value per channel;
 *     whichever fills more of its vectors' lanes (TinyVGG's 10 channels fill 10 of 12 lanes by
 *     channel, its 3x10 k values per kh 30 of 32 by k);
 *   - pixels are walked a block of output rows at a time, small enough (~24 KB) that the block's
 *     x and dy stay in L1 while every tile reads them;
 *   - sums go from registers (~32 pixels) to a float tile buffer (one block) to a double
 *     accumulator (all blocks), so rounding error stays far below the tests' 1e-4.
 * When CO (by channel) or KW*CI (by k) is not a multiple of 4 the last vector of a pixel's values
 * reaches into the next pixel's: those lanes land in accumulators that are never read back.
 *
 * Registers: V8 loads all of a pixel's vectors before its arithmetic and needs one more register
 * for each product (no fused multiply-add), so a tile fits its 15 SIMD registers when
 * accumulators + loaded vectors + 1 <= 15. One accumulator over that spilled to the stack and made
 * the kernel ~1.5x slower (by channel, 3 rows x 3 vectors against the 2 x 3 tile used now).
 *
 * Built by scripts/build-wasm.ts (clang --target=wasm32 -msimd128 -O3 -nostdlib); the caller
 * (../wasm-conv2d-backprop-filter-simd.ts) owns the memory layout and passes byte offsets.
 */
#include <wasm_simd128.h>

#define INLINE static inline __attribute__((always_inline))
#define EXPORT(name) __attribute__((export_name(name)))

extern unsigned char __heap_base;

/* First free byte of linear memory: the caller lays its buffers out from here. */
EXPORT("heap_base") unsigned heap_base(void) { return (unsigned)&__heap_base; }

typedef struct {
  const float *xp;  /* [B, Hp, Wp, CI], zero-padded input */
  const float *dy;  /* [B, OH, OW, CO], readable 3 floats past its end */
  double *acc;      /* [K, COp] running sums over blocks */
  float *part;      /* [8 * 4 * 4] one tile's sums within a block */
  const int *off;   /* [K] offset of row k's x value from a pixel's own, in floats */
  int Hp, Wp, CI, OH, OW, CO, COp;
  int flush_rows;   /* output rows summed in registers before they go to `part` */
  int LV4, KP;      /* by k: accumulator rows per kh (KW*CI rounded up to 4), and in all */
} Job;

/* out[0..3] += the 4 floats at p, in double (a tile's block sums going into the accumulator). */
INLINE void add_to_doubles(double *out, const float *p) {
  const v128_t s = wasm_v128_load(p);
  const v128_t lo = wasm_f64x2_promote_low_f32x4(s);
  const v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(s, s, 2, 3, 0, 1));
  wasm_v128_store(out, wasm_f64x2_add(wasm_v128_load(out), lo));
  wasm_v128_store(out + 2, wasm_f64x2_add(wasm_v128_load(out + 2), hi));
}

/*
 * One register tile by channel: rows r0..r0+MR-1 of dw, channels c0..c0+4*NV-1, summed over the
 * output rows g0..g1-1 (of all B*OH) and added into acc [K, COp]. MR and NV are constants at every
 * call site, so the accumulators are plain locals (registers).
 *
 * Precision: the registers sum ~32 pixels, `part` (float, in L1) sums those over the block and acc
 * (double) sums the blocks. One float accumulator over a whole 28x28 image was ~1e-4 off the cpu
 * backend's double sums at batch 64, right at the tests' tolerance; this is ~4x closer for ~3%.
 */
INLINE void tile(const Job *j, int r0, int c0, int g0, int g1, const int MR, const int NV) {
  v128_t a[MR][NV];
  int o[MR];
  float *part = j->part;
  for (int r = 0; r < MR; r++) {
    o[r] = j->off[r0 + r];
    for (int v = 0; v < NV; v++) {
      a[r][v] = wasm_f32x4_splat(0.0f);
      wasm_v128_store(part + (r * NV + v) * 4, a[r][v]);
    }
  }
  const int OW = j->OW, CI = j->CI, CO = j->CO, COp = j->COp, OH = j->OH;
  for (int g = g0; g < g1;) {
    const int g_end = g + j->flush_rows < g1 ? g + j->flush_rows : g1;
    for (; g < g_end; g++) {
      const int b = g / OH, oh = g - b * OH;
      const float *x = j->xp + ((b * j->Hp + oh) * j->Wp) * CI;
      const float *d = j->dy + g * OW * CO + c0;
      for (int ow = 0; ow < OW; ow++, x += CI, d += CO) {
        v128_t dv[NV];
        for (int v = 0; v < NV; v++) dv[v] = wasm_v128_load(d + 4 * v);
        for (int r = 0; r < MR; r++) {
          const v128_t s = wasm_v128_load32_splat(x + o[r]);
          for (int v = 0; v < NV; v++) a[r][v] = wasm_f32x4_add(a[r][v], wasm_f32x4_mul(s, dv[v]));
        }
      }
    }
    for (int r = 0; r < MR; r++) {
      for (int v = 0; v < NV; v++) {
        float *p = part + (r * NV + v) * 4;
        wasm_v128_store(p, wasm_f32x4_add(wasm_v128_load(p), a[r][v]));
        a[r][v] = wasm_f32x4_splat(0.0f);
      }
    }
  }
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) add_to_doubles(j->acc + (r0 + r) * COp + c0 + 4 * v, part + (r * NV + v) * 4);
}

/*
 * All K rows for NV vectors of channels: tiles of MR rows, then the (< 8) rows left over in tiles of
 * 4, 2 and 1 (each a constant, so each its own register-allocated loop).
 */
INLINE void all_rows(const Job *j, int K, int c0, int g0, int g1, const int MR, const int NV) {
  int r = 0;
  for (; r + MR <= K; r += MR) tile(j, r, c0, g0, g1, MR, NV);
  if (MR > 4 && K - r >= 4) tile(j, r, c0, g0, g1, 4, NV), r += 4;
  if (MR > 3 && K - r >= 3) tile(j, r, c0, g0, g1, 3, NV), r += 3;
  if (MR > 2 && K - r >= 2) tile(j, r, c0, g0, g1, 2, NV), r += 2;
  if (K - r >= 1) tile(j, r, c0, g0, g1, 1, NV);
}

/* Rows per tile for NV vectors: MR*NV accumulators + NV dy vectors + MR broadcasts + 1 <= 15. */
static void rows_nv1(const Job *j, int K, int c0, int g0, int g1) { all_rows(j, K, c0, g0, g1, 6, 1); }
static void rows_nv2(const Job *j, int K, int c0, int g0, int g1) { all_rows(j, K, c0, g0, g1, 4, 2); }
static void rows_nv3(const Job *j, int K, int c0, int g0, int g1) { all_rows(j, K, c0, g0, g1, 2, 3); }
static void rows_nv4(const Job *j, int K, int c0, int g0, int g1) { all_rows(j, K, c0, g0, g1, 2, 4); }

/*
 * One register tile by k: for one kh, rows 4*v0..4*(v0+MV)-1 of its L = KW*CI (in vectors of 4)
 * and channels c0..c0+NC-1, summed over output rows g0..g1-1 and added into accT
 * [CO, KH * LV4] (LV4 = L rounded up to 4), transposed so that a vector of 4 rows adds in place.
 */
INLINE void ktile(const Job *j, int kh, int v0, int c0, int g0, int g1, const int MV, const int NC) {
  v128_t a[MV][NC];
  float *part = j->part;
  for (int v = 0; v < MV; v++)
    for (int c = 0; c < NC; c++) {
      a[v][c] = wasm_f32x4_splat(0.0f);
      wasm_v128_store(part + (v * NC + c) * 4, a[v][c]);
    }
  const int OW = j->OW, CI = j->CI, CO = j->CO, OH = j->OH;
  for (int g = g0; g < g1;) {
    const int g_end = g + j->flush_rows < g1 ? g + j->flush_rows : g1;
    for (; g < g_end; g++) {
      const int b = g / OH, oh = g - b * OH;
      const float *x = j->xp + ((b * j->Hp + oh + kh) * j->Wp) * CI + 4 * v0;
      const float *d = j->dy + g * OW * CO + c0;
      for (int ow = 0; ow < OW; ow++, x += CI, d += CO) {
        v128_t xv[MV];
        for (int v = 0; v < MV; v++) xv[v] = wasm_v128_load(x + 4 * v);
        for (int c = 0; c < NC; c++) {
          const v128_t s = wasm_v128_load32_splat(d + c);
          for (int v = 0; v < MV; v++) a[v][c] = wasm_f32x4_add(a[v][c], wasm_f32x4_mul(xv[v], s));
        }
      }
    }
    for (int v = 0; v < MV; v++) {
      for (int c = 0; c < NC; c++) {
        float *p = part + (v * NC + c) * 4;
        wasm_v128_store(p, wasm_f32x4_add(wasm_v128_load(p), a[v][c]));
        a[v][c] = wasm_f32x4_splat(0.0f);
      }
    }
  }
  for (int v = 0; v < MV; v++)
    for (int c = 0; c < NC; c++)
      add_to_doubles(j->acc + (c0 + c) * j->KP + kh * j->LV4 + 4 * (v0 + v), part + (v * NC + c) * 4);
}

/* One kh's vectors of k for NC channels: tiles of 4 vectors, then 2 and 1. Each tile holds
   MV*NC accumulators + MV x vectors + NC broadcasts + 1 <= 15 registers. */
INLINE void kvectors(const Job *j, int kh, int c0, int g0, int g1, const int NC) {
  const int LV = j->LV4 / 4;
  int v = 0;
  for (; v + 4 <= LV; v += 4) ktile(j, kh, v, c0, g0, g1, 4, NC);
  if (LV - v >= 2) ktile(j, kh, v, c0, g0, g1, 2, NC), v += 2;
  if (LV - v >= 1) ktile(j, kh, v, c0, g0, g1, 1, NC);
}
static void kcols2(const Job *j, int kh, int c0, int g0, int g1) { kvectors(j, kh, c0, g0, g1, 2); }
static void kcols1(const Job *j, int kh, int c0, int g0, int g1) { kvectors(j, kh, c0, g0, g1, 1); }

/* Bytes of x and dy one output row brings into the working set. */
static int row_bytes(const Job *j) { return 4 * (j->Wp * j->CI + j->OW * j->CO); }

/* Output rows per block: x and dy of a block (~BLOCK_BYTES) stay in L1 while every tile reads
   them. Measured: 24-48 KB alike, 96 KB ~1.4x slower. */
#define BLOCK_BYTES (24 * 1024)

/*
 * xp[b, i, jj, c] = x[b, i - padTop, jj - padLeft, c] inside x, 0 outside (the forward pass's
 * padding); rows/columns of x past Hp/Wp, which no output reads, are dropped.
 */
static void pad_input(const float *x, float *xp, int B, int H, int W, int CI, int Hp, int Wp, int padTop, int padLeft) {
  for (int b = 0; b < B; b++) {
    for (int i = 0; i < Hp; i++) {
      float *dst = xp + ((b * Hp + i) * Wp) * CI;
      const int h = i - padTop;
      if (h < 0 || h >= H) {
        for (int k = 0; k < Wp * CI; k++) dst[k] = 0.0f;
        continue;
      }
      const float *src = x + ((b * H + h) * W) * CI;
      for (int jj = 0; jj < Wp; jj++) {
        const int w = jj - padLeft;
        if (w < 0 || w >= W) {
          for (int c = 0; c < CI; c++) dst[jj * CI + c] = 0.0f;
        } else {
          for (int c = 0; c < CI; c++) dst[jj * CI + c] = src[w * CI + c];
        }
      }
    }
  }
}

/* Tiles by k when they fill more lanes than tiles by channel do: KW*CI/LV4 > CO/COp. */
static int tiles_by_k(int KW, int CI, int CO) {
  const int L = KW * CI, LV4 = (L + 3) & ~3, COp = (CO + 3) & ~3;
  return L * COp > CO * LV4;
}

/* Doubles of accumulator conv2d_filter_grad needs: [K, COp] by channel, [CO, KH * LV4] by k. */
EXPORT("acc_doubles")
int acc_doubles(int KH, int KW, int CI, int CO) {
  return tiles_by_k(KW, CI, CO) ? CO * KH * ((KW * CI + 3) & ~3) : KH * KW * CI * ((CO + 3) & ~3);
}

/*
 * The sums of dw [KH, KW, CI, CO] over x [B, H, W, CI] and dy [B, OH, OW, CO] (stride 1, no
 * dilation; the forward padding was padTop/padLeft, the rest follows from OH, OW), in doubles into
 * acc (acc_doubles() of them; filter_grad_write rounds them into dw). Scratch the caller provides:
 * xp (B*Hp*Wp*CI floats + 4, Hp = OH+KH-1, Wp = OW+KW-1), off (KH*KW*CI ints), part (128 floats),
 * all 16-byte aligned; dy must be followed by 3 readable floats.
 */
EXPORT("conv2d_filter_grad")
void conv2d_filter_grad(const float *x, const float *dy, float *xp, double *acc, int *off, float *part,
                        int B, int H, int W, int CI, int OH, int OW, int CO, int KH, int KW, int padTop,
                        int padLeft) {
  const int Hp = OH + KH - 1, Wp = OW + KW - 1;
  const int COp = (CO + 3) & ~3;
  const int K = KH * KW * CI;
  const int LV4 = (KW * CI + 3) & ~3;
  const int by_k = tiles_by_k(KW, CI, CO);
  pad_input(x, xp, B, H, W, CI, Hp, Wp, padTop, padLeft);
  for (int kh = 0, k = 0; kh < KH; kh++)
    for (int kw = 0; kw < KW; kw++)
      for (int ci = 0; ci < CI; ci++) off[k++] = (kh * Wp + kw) * CI + ci;
  for (int k = 0, n = acc_doubles(KH, KW, CI, CO); k < n; k++) acc[k] = 0.0;

  const int flush_rows = OW >= 32 ? 1 : 32 / OW;
  const Job j = {xp, dy, acc, part, off, Hp, Wp, CI, OH, OW, CO, COp, flush_rows, LV4, KH * LV4};
  int per = BLOCK_BYTES / row_bytes(&j);
  if (per < 1) per = 1;
  const int vectors = COp / 4;
  const int rows = B * OH;
  for (int g0 = 0; g0 < rows; g0 += per) {
    const int g1 = g0 + per < rows ? g0 + per : rows;
    if (by_k) {
      /* Channel pairs (the last alone when CO is odd), for each kh. */
      for (int kh = 0; kh < KH; kh++) {
        int c = 0;
        for (; c + 2 <= CO; c += 2) kcols2(&j, kh, c, g0, g1);
        if (c < CO) kcols1(&j, kh, c, g0, g1);
      }
      continue;
    }
    /* Channel tiles of 3 vectors when that divides evenly (CO 10-12: one tile), else of 4 and
       whatever is left. */
    int v = 0;
    if (vectors % 3 == 0) {
      for (; v < vectors; v += 3) rows_nv3(&j, K, 4 * v, g0, g1);
    } else {
      for (; v + 4 <= vectors; v += 4) rows_nv4(&j, K, 4 * v, g0, g1);
      switch (vectors - v) {
        case 3: rows_nv3(&j, K, 4 * v, g0, g1); break;
        case 2: rows_nv2(&j, K, 4 * v, g0, g1); break;
        case 1: rows_nv1(&j, K, 4 * v, g0, g1); break;
        default: break;
      }
    }
  }
}

/*
 * dw [KH, KW, CI, CO] rounded from the double sums conv2d_filter_grad left in acc (or the sums of
 * several calls' accs, added first by the caller: the layout is the same for the same geometry).
 */
EXPORT("filter_grad_write")
void filter_grad_write(const double *acc, float *dw, int KH, int KW, int CI, int CO) {
  const int L = KW * CI, LV4 = (L + 3) & ~3, KP = KH * LV4, COp = (CO + 3) & ~3;
  if (tiles_by_k(KW, CI, CO)) {
    for (int kh = 0, k = 0; kh < KH; kh++)
      for (int l = 0; l < L; l++, k++)
        for (int c = 0; c < CO; c++) dw[k * CO + c] = (float)acc[c * KP + kh * LV4 + l];
    return;
  }
  for (int k = 0; k < KH * L; k++)
    for (int c = 0; c < CO; c++) dw[k * CO + c] = (float)acc[k * COp + c];
}
