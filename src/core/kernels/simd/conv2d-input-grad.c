/*
 * Conv2DBackpropInput (stride 1, NHWC) as WebAssembly SIMD: the input gradient of a convolution
 * with few channels. It is a forward convolution of dy, zero-padded by (KH-1-padTop, KW-1-padLeft),
 * with the filter rotated by 180 degrees and its channels swapped:
 *
 *   dx[b, h, w, ci] = sum over a, c, co of  dyp[b, h + a, w + c, co] * wt[a, c, co, ci]
 *   wt[a, c, co, ci] = w[KH-1-a, KW-1-c, ci, co]
 *
 * XNNPACK runs this at 1-6 GFLOP/s on our layers; the worst case is the first layer of a model,
 * whose dx (1 channel, never used but computed by the fused convolution's gradient) it takes as
 * long as a 16-channel one. Two loop shapes:
 *   - CI >= 4: register tiles of PW pixels along a row x NV vectors of input channels, summing
 *     over (a, c, co) with one broadcast of dy per pixel and NV weight vectors per step;
 *   - CI < 4: per pixel, a dot product over (a, c, co) with the vectors along co (zero-padded to
 *     a multiple of 4 in dyp and wd), and one horizontal sum at the end.
 *
 * Built by scripts/build-wasm.ts; the caller (../wasm-conv2d-backprop-input.ts) owns the layout.
 */
#include <wasm_simd128.h>

#define INLINE static inline __attribute__((always_inline))
#define EXPORT(name) __attribute__((export_name(name)))

extern unsigned char __heap_base;

/* First free byte of linear memory: the caller lays its buffers out from here. */
EXPORT("heap_base") unsigned heap_base(void) { return (unsigned)&__heap_base; }

typedef struct {
  const float *dyp; /* [B, Hq, Wq, COp], zero-padded around and in the channels past CO */
  const float *wt;  /* [KH, KW, CO, CIp] rotated, channel-swapped, zero past CI */
  float *dxp;       /* [B, H, W, CIp] */
  int Hq, Wq, KH, KW, CO, COp, CIp;
} Job;

/* Pixels w0..w0+PW-1 of row h of image b, input channels c0..c0+4*NV-1. */
INLINE void tile(const Job *j, int b, int h, int w0, int W, int c0, const int PW, const int NV) {
  v128_t acc[PW][NV];
  for (int p = 0; p < PW; p++)
    for (int v = 0; v < NV; v++) acc[p][v] = wasm_f32x4_splat(0.0f);
  const int CO = j->CO, COp = j->COp, CIp = j->CIp;
  for (int a = 0; a < j->KH; a++) {
    for (int c = 0; c < j->KW; c++) {
      const float *src = j->dyp + ((b * j->Hq + h + a) * j->Wq + w0 + c) * COp;
      const float *wr = j->wt + ((a * j->KW + c) * CO) * CIp + c0;
      for (int co = 0; co < CO; co++, wr += CIp) {
        v128_t wv[NV];
        for (int v = 0; v < NV; v++) wv[v] = wasm_v128_load(wr + 4 * v);
        for (int p = 0; p < PW; p++) {
          const v128_t s = wasm_v128_load32_splat(src + p * COp + co);
          for (int v = 0; v < NV; v++) acc[p][v] = wasm_f32x4_add(acc[p][v], wasm_f32x4_mul(s, wv[v]));
        }
      }
    }
  }
  float *out = j->dxp + ((b * (j->Hq - j->KH + 1) + h) * W + w0) * CIp + c0;
  for (int p = 0; p < PW; p++)
    for (int v = 0; v < NV; v++) wasm_v128_store(out + p * CIp + 4 * v, acc[p][v]);
}

/* One output row for NV vectors of channels: tiles of PW pixels, then leftovers in 4, 2, 1. */
INLINE void row(const Job *j, int b, int h, int W, int c0, const int PW, const int NV) {
  int w = 0;
  for (; w + PW <= W; w += PW) tile(j, b, h, w, W, c0, PW, NV);
  if (PW > 4 && W - w >= 4) tile(j, b, h, w, W, c0, 4, NV), w += 4;
  if (PW > 2 && W - w >= 2) tile(j, b, h, w, W, c0, 2, NV), w += 2;
  if (W - w >= 1) tile(j, b, h, w, W, c0, 1, NV);
}

/*
 * Pixels per tile for NV vectors: PW*NV accumulators + NV weights + PW broadcasts + 1 product
 * <= 15 registers (V8 loads all of a step's vectors before its arithmetic; see
 * conv2d-filter-grad.c). Tiles one pixel wider spilled: 10 channels took 4.3 ms where 2.8 now.
 */
static void row_nv1(const Job *j, int b, int h, int W, int c0) { row(j, b, h, W, c0, 6, 1); }
static void row_nv2(const Job *j, int b, int h, int W, int c0) { row(j, b, h, W, c0, 4, 2); }
static void row_nv3(const Job *j, int b, int h, int W, int c0) { row(j, b, h, W, c0, 2, 3); }
static void row_nv4(const Job *j, int b, int h, int W, int c0) { row(j, b, h, W, c0, 2, 4); }

/* CI < 4: dx[b, h, w, ci] as one dot product over (a, c, co), vectors along co. */
static void dot_pixel(const Job *j, const float *wd, int b, int h, int w, int W, int CI) {
  const int COp = j->COp;
  for (int ci = 0; ci < CI; ci++) {
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (int a = 0; a < j->KH; a++) {
      for (int c = 0; c < j->KW; c++) {
        const float *src = j->dyp + ((b * j->Hq + h + a) * j->Wq + w + c) * COp;
        const float *wr = wd + (((ci * j->KH + a) * j->KW + c) * COp);
        for (int co = 0; co < COp; co += 4)
          acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(src + co), wasm_v128_load(wr + co)));
      }
    }
    const float sum = (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) +
                      (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
    j->dxp[((b * (j->Hq - j->KH + 1) + h) * W + w) * j->CIp + ci] = sum;
  }
}

/*
 * dx [B, H, W, CI] from dy [B, OH, OW, CO] and w [KH, KW, CI, CO] (stride 1, no dilation, the
 * forward pass's top/left padding padTop/padLeft). Scratch from the caller, 16-byte aligned:
 * dyp (B*Hq*Wq*COp floats, Hq = H+KH-1, Wq = W+KW-1, COp = CO rounded up to 4), wt
 * (KH*KW*max(CO*CIp, CI*COp) floats, CIp = CI rounded up to 4), dxp (B*H*W*CIp floats; may be dx
 * itself when CI is a multiple of 4).
 */
EXPORT("conv2d_input_grad")
void conv2d_input_grad(const float *dy, const float *w, float *dyp, float *wt, float *dxp, float *dx, int B, int H,
                       int W, int CI, int OH, int OW, int CO, int KH, int KW, int padTop, int padLeft) {
  const int Hq = H + KH - 1, Wq = W + KW - 1;
  const int COp = (CO + 3) & ~3, CIp = (CI + 3) & ~3;
  /* dy's row r of dyp is dy's row r - PT (zero outside dy), likewise columns. */
  const int PT = KH - 1 - padTop, PL = KW - 1 - padLeft;
  for (int b = 0; b < B; b++) {
    for (int r = 0; r < Hq; r++) {
      float *dst = dyp + ((b * Hq + r) * Wq) * COp;
      const int oh = r - PT;
      for (int q = 0; q < Wq; q++) {
        const int ow = q - PL;
        float *d = dst + q * COp;
        if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) {
          for (int co = 0; co < COp; co++) d[co] = 0.0f;
        } else {
          const float *s = dy + ((b * OH + oh) * OW + ow) * CO;
          for (int co = 0; co < CO; co++) d[co] = s[co];
          for (int co = CO; co < COp; co++) d[co] = 0.0f;
        }
      }
    }
  }
  const Job j = {dyp, wt, dxp, Hq, Wq, KH, KW, CO, COp, CIp};
  if (CI < 4) {
    /* wd[ci, a, c, co] = w[KH-1-a, KW-1-c, ci, co], zero past CO. */
    for (int ci = 0; ci < CI; ci++)
      for (int a = 0; a < KH; a++)
        for (int c = 0; c < KW; c++)
          for (int co = 0; co < COp; co++)
            wt[((ci * KH + a) * KW + c) * COp + co] =
                co < CO ? w[(((KH - 1 - a) * KW + (KW - 1 - c)) * CI + ci) * CO + co] : 0.0f;
    for (int b = 0; b < B; b++)
      for (int h = 0; h < H; h++)
        for (int x = 0; x < W; x++) dot_pixel(&j, wt, b, h, x, W, CI);
  } else {
    for (int a = 0; a < KH; a++)
      for (int c = 0; c < KW; c++)
        for (int co = 0; co < CO; co++)
          for (int ci = 0; ci < CIp; ci++)
            wt[((a * KW + c) * CO + co) * CIp + ci] =
                ci < CI ? w[(((KH - 1 - a) * KW + (KW - 1 - c)) * CI + ci) * CO + co] : 0.0f;
    const int vectors = CIp / 4;
    for (int b = 0; b < B; b++) {
      for (int h = 0; h < H; h++) {
        /* Channel tiles as in conv2d-filter-grad.c: 3 vectors when that divides, else 4s. */
        int v = 0;
        if (vectors % 3 == 0) {
          for (; v < vectors; v += 3) row_nv3(&j, b, h, W, 4 * v);
        } else {
          for (; v + 4 <= vectors; v += 4) row_nv4(&j, b, h, W, 4 * v);
          switch (vectors - v) {
            case 3: row_nv3(&j, b, h, W, 4 * v); break;
            case 2: row_nv2(&j, b, h, W, 4 * v); break;
            case 1: row_nv1(&j, b, h, W, 4 * v); break;
            default: break;
          }
        }
      }
    }
  }
  if (dxp != dx) {
    const int n = B * H * W;
    for (int p = 0; p < n; p++)
      for (int ci = 0; ci < CI; ci++) dx[p * CI + ci] = dxp[p * CIp + ci];
  }
}
