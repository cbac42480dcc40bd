/*
 * MaxPoolGrad (NHWC, any window, stride and padding) as WebAssembly SIMD, four channels at a time.
 *
 *   dx[b, h, w, c] = sum of dy[b, oh, ow, c] over the windows (oh, ow) whose first maximum, in
 *                    row-major order, is x[b, h, w, c]
 *
 * "First maximum" is the cpu backend's rule: a running best that starts at -Infinity and moves
 * only on a strictly greater value, so ties go to the earliest element, and a window of only NaN
 * or -Infinity passes no gradient on. Each lane keeps its own best value and window index; a
 * second walk over the window adds dy where a lane's index matches, which also handles windows
 * that overlap (stride < window).
 *
 * Built by scripts/build-wasm.ts; the caller (../wasm-max-pool-grad.ts) owns the memory layout.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

extern unsigned char __heap_base;

/* First free byte of linear memory: the caller lays its buffers out from here. */
EXPORT("heap_base") unsigned heap_base(void) { return (unsigned)&__heap_base; }

/*
 * Channels c0..c0+3 of one window, a lane each (c0 + 4 <= C). Lanes off in `keep` add nothing: the
 * last group of a C that is not a multiple of 4 overlaps the one before it.
 */
static void window_vec(const float *x, const float *g, float *dx, int C, int W, int c0, v128_t keep, int hMin,
                       int hMax, int wMin, int wMax) {
  v128_t best = wasm_f32x4_splat(-__builtin_inff());
  v128_t idx = wasm_i32x4_splat(-1);
  int i = 0;
  for (int h = hMin; h < hMax; h++) {
    for (int w = wMin; w < wMax; w++, i++) {
      const v128_t v = wasm_v128_load(x + (h * W + w) * C + c0);
      const v128_t gt = wasm_f32x4_gt(v, best);
      best = wasm_v128_bitselect(v, best, gt);
      idx = wasm_v128_bitselect(wasm_i32x4_splat(i), idx, gt);
    }
  }
  const v128_t dy = wasm_v128_and(wasm_v128_load(g + c0), keep);
  i = 0;
  for (int h = hMin; h < hMax; h++) {
    for (int w = wMin; w < wMax; w++, i++) {
      float *p = dx + (h * W + w) * C + c0;
      const v128_t hit = wasm_i32x4_eq(idx, wasm_i32x4_splat(i));
      wasm_v128_store(p, wasm_f32x4_add(wasm_v128_load(p), wasm_v128_and(dy, hit)));
    }
  }
}

/* One channel of one window: only for C < 4. */
static void window_scalar(const float *x, const float *g, float *dx, int C, int W, int c, int hMin, int hMax,
                          int wMin, int wMax) {
  float best = -__builtin_inff();
  int at = -1;
  for (int h = hMin; h < hMax; h++) {
    for (int w = wMin; w < wMax; w++) {
      const int k = (h * W + w) * C + c;
      if (x[k] > best) best = x[k], at = k;
    }
  }
  if (at >= 0) dx[at] += g[c];
}

/*
 * dx [B, H, W, C] (written whole) from x [B, H, W, C] and dy [B, OH, OW, C]; window fH x fW,
 * strides sH, sW, the forward pass's top/left padding padTop/padLeft (dilations are 1).
 */
EXPORT("max_pool_grad")
void max_pool_grad(const float *x, const float *dy, float *dx, int B, int H, int W, int C, int OH, int OW, int fH,
                   int fW, int sH, int sW, int padTop, int padLeft) {
  const int image = H * W * C;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  const v128_t all = wasm_i32x4_splat(-1);
  /* Lanes of the overlapping last group (at C - 4) that the full groups have not done. */
  const int done = 4 - C % 4;
  const v128_t tail = wasm_i32x4_gt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat(done - 1));
  int n = B * image, k = 0;
  for (; k + 4 <= n; k += 4) wasm_v128_store(dx + k, zero);
  for (; k < n; k++) dx[k] = 0.0f;
  for (int b = 0; b < B; b++) {
    const float *xb = x + b * image;
    float *dxb = dx + b * image;
    for (int oh = 0; oh < OH; oh++) {
      const int h0 = oh * sH - padTop;
      const int hMin = h0 > 0 ? h0 : 0, hMax = h0 + fH < H ? h0 + fH : H;
      for (int ow = 0; ow < OW; ow++) {
        const int w0 = ow * sW - padLeft;
        const int wMin = w0 > 0 ? w0 : 0, wMax = w0 + fW < W ? w0 + fW : W;
        const float *g = dy + ((b * OH + oh) * OW + ow) * C;
        int c = 0;
        for (; c + 4 <= C; c += 4) window_vec(xb, g, dxb, C, W, c, all, hMin, hMax, wMin, wMax);
        if (c < C && C >= 4) window_vec(xb, g, dxb, C, W, C - 4, tail, hMin, hMax, wMin, wMax);
        else for (; c < C; c++) window_scalar(xb, g, dxb, C, W, c, hMin, hMax, wMin, wMax);
      }
    }
  }
}
