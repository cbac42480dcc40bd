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
 *   - a register tile of MR rows x NV*4 output channels is accumulated over many pixels; each pixel
 *     loads NV vectors of dy (its output channels, contiguous in NHWC) and broadcasts one x value
 *     per row, then does MR*NV f32x4 multiply-adds;
 *   - pixels are walked a block of output rows at a time, small enough (~24 KB) that the block's
 *     x and dy stay in L1 while every tile reads them;
 *   - sums go from registers (~32 pixels) to a float tile buffer (one block) to a double
 *     accumulator (all blocks), so rounding error stays far below the tests' 1e-4.
 * When CO is not a multiple of 4 the last vector of a pixel's channels reaches into the next
 * pixel's: those lanes land in accumulator columns >= CO, which are never read back.
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
} Job;

/*
 * One register tile: rows r0..r0+MR-1 of dw, channels c0..c0+4*NV-1, summed over the output rows
 * g0..g1-1 (of all B*OH) and added into acc. MR and NV are constants at every call site, so the
 * accumulators are plain locals (registers); MR*NV + NV + 1 vectors stay within the 15 SIMD
 * registers V8 hands out on x64.
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
  for (int r = 0; r < MR; r++) {
    double *out = j->acc + (r0 + r) * COp + c0;
    for (int v = 0; v < NV; v++) {
      const v128_t s = wasm_v128_load(part + (r * NV + v) * 4);
      const v128_t lo = wasm_f64x2_promote_low_f32x4(s);
      const v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(s, s, 2, 3, 0, 1));
      wasm_v128_store(out + 4 * v, wasm_f64x2_add(wasm_v128_load(out + 4 * v), lo));
      wasm_v128_store(out + 4 * v + 2, wasm_f64x2_add(wasm_v128_load(out + 4 * v + 2), hi));
    }
  }
}

/*
 * All K rows for NV vectors of channels: tiles of MR rows, then the (< 8) rows left over in tiles of
 * 4, 2 and 1 (each a constant, so each its own register-allocated loop).
 */
INLINE void all_rows(const Job *j, int K, int c0, int g0, int g1, const int MR, const int NV) {
  int r = 0;
  for (; r + MR <= K; r += MR) tile(j, r, c0, g0, g1, MR, NV);
  if (MR > 4 && K - r >= 4) tile(j, r, c0, g0, g1, 4, NV), r += 4;
  if (MR > 2 && K - r >= 2) tile(j, r, c0, g0, g1, 2, NV), r += 2;
  if (K - r >= 1) tile(j, r, c0, g0, g1, 1, NV);
}

/* Rows per tile for NV vectors: MR*NV accumulators + NV dy vectors + 1 broadcast <= 15 registers. */
/* Measured: one row more (MR 4 with NV 3, 3 with NV 4) spills and runs ~1.5x slower. */
static void rows_nv1(const Job *j, int K, int c0, int g0, int g1) { all_rows(j, K, c0, g0, g1, 8, 1); }
static void rows_nv2(const Job *j, int K, int c0, int g0, int g1) { all_rows(j, K, c0, g0, g1, 5, 2); }
static void rows_nv3(const Job *j, int K, int c0, int g0, int g1) { all_rows(j, K, c0, g0, g1, 3, 3); }
static void rows_nv4(const Job *j, int K, int c0, int g0, int g1) { all_rows(j, K, c0, g0, g1, 2, 4); }

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

/*
 * dw [KH, KW, CI, CO] from x [B, H, W, CI] and dy [B, OH, OW, CO] (stride 1, no dilation; the
 * forward padding was padTop/padLeft, the rest follows from OH, OW). Scratch the caller provides:
 * xp (B*Hp*Wp*CI floats, Hp = OH+KH-1, Wp = OW+KW-1), acc (KH*KW*CI*COp doubles, COp = CO rounded
 * up to 4), off (KH*KW*CI ints), part (128 floats), all 16-byte aligned; dy must be followed by 3
 * readable floats.
 */
EXPORT("conv2d_filter_grad")
void conv2d_filter_grad(const float *x, const float *dy, float *xp, double *acc, int *off, float *part, float *dw,
                        int B, int H, int W, int CI, int OH, int OW, int CO, int KH, int KW, int padTop,
                        int padLeft) {
  const int Hp = OH + KH - 1, Wp = OW + KW - 1;
  const int COp = (CO + 3) & ~3;
  const int K = KH * KW * CI;
  pad_input(x, xp, B, H, W, CI, Hp, Wp, padTop, padLeft);
  for (int kh = 0, k = 0; kh < KH; kh++)
    for (int kw = 0; kw < KW; kw++)
      for (int ci = 0; ci < CI; ci++) off[k++] = (kh * Wp + kw) * CI + ci;
  for (int k = 0; k < K * COp; k++) acc[k] = 0.0;

  const int flush_rows = OW >= 32 ? 1 : 32 / OW;
  const Job j = {xp, dy, acc, part, off, Hp, Wp, CI, OH, OW, CO, COp, flush_rows};
  int per = BLOCK_BYTES / row_bytes(&j);
  if (per < 1) per = 1;
  const int vectors = COp / 4;
  const int rows = B * OH;
  for (int g0 = 0; g0 < rows; g0 += per) {
    const int g1 = g0 + per < rows ? g0 + per : rows;
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
  for (int k = 0; k < K; k++)
    for (int c = 0; c < CO; c++) dw[k * CO + c] = (float)acc[k * COp + c];
}
