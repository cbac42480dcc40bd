/*
 * A stride-1 NHWC convolution as WebAssembly SIMD, for two kernels:
 *   - Conv2D / FusedConv2D (the forward pass, with bias and ReLU applied as each tile is stored);
 *   - Conv2DBackpropInput (the input gradient), which is the same convolution of dy, zero-padded by
 *     (KH-1-padTop, KW-1-padLeft), with the filter rotated by 180 degrees and its channels swapped:
 *       dx[b, h, w, ci] = sum over a, c, co of  dyp[b, h + a, w + c, co] * w[KH-1-a, KW-1-c, ci, co]
 *
 * In general, with `in` the channels summed over and `out` the channels produced:
 *
 *   out[b, h, w, o] = act(bias[o] + sum over a, c, i of  srcp[b, h + a, w + c, i] * wt[a, c, i, o])
 *
 * where srcp is src zero-padded by (PT, PL) on top and left, and wt the filter as the kernel needs
 * it ([KH, KW, CIN, COUT] already for the forward pass). XNNPACK runs our layers' input gradients
 * at 1-6 GFLOP/s and the forward pass of 10-channel layers at ~10 per thread. Two loop shapes:
 *   - COUT >= 4: register tiles of PW pixels along a row x NV vectors of output channels, summing
 *     over (a, c, i) with one broadcast of src per pixel and NV weight vectors per step;
 *   - COUT < 4: per pixel, a dot product over (a, c, i) with the vectors along i (zero-padded to
 *     a multiple of 4 in srcp and wd), and one horizontal sum at the end.
 *
 * Built by scripts/build-wasm.ts; the callers (../wasm-conv2d-simd.ts) own the layout.
 */
#include <wasm_simd128.h>

#define INLINE static inline __attribute__((always_inline))
#define EXPORT(name) __attribute__((export_name(name)))

extern unsigned char __heap_base;

/* First free byte of linear memory: the caller lays its buffers out from here. */
EXPORT("heap_base") unsigned heap_base(void) { return (unsigned)&__heap_base; }

typedef struct {
  const float *srcp; /* [B, Hq, Wq, CINp], zero-padded around and in the channels past CIN */
  const float *wt;   /* [KH, KW, CIN, COUTp], zero past COUT */
  const float *bias; /* [COUTp], zero past COUT (zero throughout when there is no bias) */
  float *outp;       /* [B, OH, OW, COUTp] */
  int Hq, Wq, KH, KW, CIN, CINp, COUTp, relu;
} Job;

/* Pixels w0..w0+PW-1 of row h of image b, output channels c0..c0+4*NV-1. */
INLINE void tile(const Job *j, int b, int h, int w0, int OW, int c0, const int PW, const int NV) {
  v128_t acc[PW][NV];
  for (int p = 0; p < PW; p++)
    for (int v = 0; v < NV; v++) acc[p][v] = wasm_v128_load(j->bias + c0 + 4 * v);
  const int CIN = j->CIN, CINp = j->CINp, COUTp = j->COUTp;
  for (int a = 0; a < j->KH; a++) {
    for (int c = 0; c < j->KW; c++) {
      const float *src = j->srcp + ((b * j->Hq + h + a) * j->Wq + w0 + c) * CINp;
      const float *wr = j->wt + ((a * j->KW + c) * CIN) * COUTp + c0;
      for (int i = 0; i < CIN; i++, wr += COUTp) {
        v128_t wv[NV];
        for (int v = 0; v < NV; v++) wv[v] = wasm_v128_load(wr + 4 * v);
        for (int p = 0; p < PW; p++) {
          const v128_t s = wasm_v128_load32_splat(src + p * CINp + i);
          for (int v = 0; v < NV; v++) acc[p][v] = wasm_f32x4_add(acc[p][v], wasm_f32x4_mul(s, wv[v]));
        }
      }
    }
  }
  float *out = j->outp + ((b * (j->Hq - j->KH + 1) + h) * OW + w0) * COUTp + c0;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int p = 0; p < PW; p++)
    for (int v = 0; v < NV; v++)
      wasm_v128_store(out + p * COUTp + 4 * v, j->relu ? wasm_f32x4_max(acc[p][v], zero) : acc[p][v]);
}

/* One output row for NV vectors of channels: tiles of PW pixels, then leftovers in 4, 2, 1. */
INLINE void row(const Job *j, int b, int h, int OW, int c0, const int PW, const int NV) {
  int w = 0;
  for (; w + PW <= OW; w += PW) tile(j, b, h, w, OW, c0, PW, NV);
  if (PW > 4 && OW - w >= 4) tile(j, b, h, w, OW, c0, 4, NV), w += 4;
  if (PW > 2 && OW - w >= 2) tile(j, b, h, w, OW, c0, 2, NV), w += 2;
  if (OW - w >= 1) tile(j, b, h, w, OW, c0, 1, NV);
}

/*
 * Pixels per tile for NV vectors: PW*NV accumulators + NV weights + PW broadcasts + 1 product
 * <= 15 registers (V8 loads all of a step's vectors before its arithmetic; see
 * conv2d-filter-grad.c). Tiles one pixel wider spilled, and 10 channels ran ~1.5x slower.
 */
static void row_nv1(const Job *j, int b, int h, int OW, int c0) { row(j, b, h, OW, c0, 6, 1); }
static void row_nv2(const Job *j, int b, int h, int OW, int c0) { row(j, b, h, OW, c0, 4, 2); }
static void row_nv3(const Job *j, int b, int h, int OW, int c0) { row(j, b, h, OW, c0, 2, 3); }
static void row_nv4(const Job *j, int b, int h, int OW, int c0) { row(j, b, h, OW, c0, 2, 4); }

/* COUT < 4: out[b, h, w, o] as one dot product over (a, c, i), vectors along i. */
static void dot_pixel(const Job *j, const float *wd, int b, int h, int w, int OW, int COUT) {
  const int CINp = j->CINp;
  for (int o = 0; o < COUT; o++) {
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (int a = 0; a < j->KH; a++) {
      for (int c = 0; c < j->KW; c++) {
        const float *src = j->srcp + ((b * j->Hq + h + a) * j->Wq + w + c) * CINp;
        const float *wr = wd + (((o * j->KH + a) * j->KW + c) * CINp);
        for (int i = 0; i < CINp; i += 4)
          acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(src + i), wasm_v128_load(wr + i)));
      }
    }
    const float sum = j->bias[o] + ((wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) +
                                    (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3)));
    j->outp[((b * (j->Hq - j->KH + 1) + h) * OW + w) * j->COUTp + o] = j->relu && sum < 0.0f ? 0.0f : sum;
  }
}

/* The filter's value for tap (a, c), summed channel i, output channel o. */
INLINE float filter_at(const float *w, int flip, int KH, int KW, int CIN, int COUT, int a, int c, int i, int o) {
  /* Forward: w [KH, KW, CIN, COUT]. Input gradient: w [KH, KW, COUT, CIN], rotated by 180 degrees. */
  return flip ? w[(((KH - 1 - a) * KW + (KW - 1 - c)) * COUT + o) * CIN + i] : w[((a * KW + c) * CIN + i) * COUT + o];
}

/*
 * out [B, OH, OW, COUT] from src [B, IH, IW, CIN] and the filter w ([KH, KW, CIN, COUT], or
 * [KH, KW, COUT, CIN] rotated when flip is set), src padded by PT rows on top and PL columns on
 * the left (the rest follows from OH, OW); bias [COUT] or 0; relu 1 for max(0, .). Scratch from
 * the caller, 16-byte aligned: srcp (B*Hq*Wq*CINp floats, Hq = OH+KH-1, Wq = OW+KW-1, CINp = CIN
 * rounded up to 4), wt (KH*KW*max(CIN*COUTp, COUT*CINp) + COUTp floats, COUTp = COUT rounded up
 * to 4), outp (B*OH*OW*COUTp floats; may be out itself when COUT is a multiple of 4).
 */
EXPORT("conv2d")
void conv2d(const float *src, const float *w, const float *bias, float *srcp, float *wt, float *outp, float *out,
            int B, int IH, int IW, int CIN, int OH, int OW, int COUT, int KH, int KW, int PT, int PL, int flip,
            int relu) {
  const int Hq = OH + KH - 1, Wq = OW + KW - 1;
  const int CINp = (CIN + 3) & ~3, COUTp = (COUT + 3) & ~3;
  /* src's row r of srcp is src's row r - PT (zero outside src), likewise columns. */
  for (int b = 0; b < B; b++) {
    for (int r = 0; r < Hq; r++) {
      float *dst = srcp + ((b * Hq + r) * Wq) * CINp;
      const int ih = r - PT;
      for (int q = 0; q < Wq; q++) {
        const int iw = q - PL;
        float *d = dst + q * CINp;
        if (ih < 0 || ih >= IH || iw < 0 || iw >= IW) {
          for (int i = 0; i < CINp; i++) d[i] = 0.0f;
        } else {
          const float *s = src + ((b * IH + ih) * IW + iw) * CIN;
          for (int i = 0; i < CIN; i++) d[i] = s[i];
          for (int i = CIN; i < CINp; i++) d[i] = 0.0f;
        }
      }
    }
  }
  /* The bias, zero-padded to whole vectors, after the filter in wt's scratch. */
  float *biasp = wt + KH * KW * (CIN * COUTp > COUT * CINp ? CIN * COUTp : COUT * CINp);
  for (int o = 0; o < COUTp; o++) biasp[o] = bias != 0 && o < COUT ? bias[o] : 0.0f;
  const Job j = {srcp, wt, biasp, outp, Hq, Wq, KH, KW, CIN, CINp, COUTp, relu};
  if (COUT < 4) {
    /* wd[o, a, c, i], zero past CIN. */
    for (int o = 0; o < COUT; o++)
      for (int a = 0; a < KH; a++)
        for (int c = 0; c < KW; c++)
          for (int i = 0; i < CINp; i++)
            wt[((o * KH + a) * KW + c) * CINp + i] = i < CIN ? filter_at(w, flip, KH, KW, CIN, COUT, a, c, i, o) : 0.0f;
    for (int b = 0; b < B; b++)
      for (int h = 0; h < OH; h++)
        for (int x = 0; x < OW; x++) dot_pixel(&j, wt, b, h, x, OW, COUT);
  } else {
    for (int a = 0; a < KH; a++)
      for (int c = 0; c < KW; c++)
        for (int i = 0; i < CIN; i++)
          for (int o = 0; o < COUTp; o++)
            wt[((a * KW + c) * CIN + i) * COUTp + o] = o < COUT ? filter_at(w, flip, KH, KW, CIN, COUT, a, c, i, o) : 0.0f;
    const int vectors = COUTp / 4;
    for (int b = 0; b < B; b++) {
      for (int h = 0; h < OH; h++) {
        /* Channel tiles as in conv2d-filter-grad.c: 3 vectors when that divides, else 4s. */
        int v = 0;
        if (vectors % 3 == 0) {
          for (; v < vectors; v += 3) row_nv3(&j, b, h, OW, 4 * v);
        } else {
          for (; v + 4 <= vectors; v += 4) row_nv4(&j, b, h, OW, 4 * v);
          switch (vectors - v) {
            case 3: row_nv3(&j, b, h, OW, 4 * v); break;
            case 2: row_nv2(&j, b, h, OW, 4 * v); break;
            case 1: row_nv1(&j, b, h, OW, 4 * v); break;
            default: break;
          }
        }
      }
    }
  }
  if (outp != out) {
    const int n = B * OH * OW;
    for (int p = 0; p < n; p++)
      for (int o = 0; o < COUT; o++) out[p * COUT + o] = outp[p * COUTp + o];
  }
}
