/*
 * Column sums of a row-major [rows, cols] float matrix as WebAssembly SIMD: Sum and Mean of an NHWC
 * tensor over its leading axes, i.e. BatchNormalization's statistics and gradients and a
 * convolution's bias gradient (../wasm-reduce.ts).
 *
 *   acc[j] = sum over r of src[r * cols + j]
 *
 * Rows are added four columns a vector into a float block sum, BLOCK_ROWS rows at a time, and each
 * block goes into a double accumulator: the cpu backend sums in doubles, and a float running sum
 * over 10^5 rows would drift past the tests' 1e-4 (a block of 32 rows stays ~1e-6 close).
 *
 * Built by scripts/build-wasm.ts; the caller owns the memory layout.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

extern unsigned char __heap_base;

/* First free byte of linear memory: the caller lays its buffers out from here. */
EXPORT("heap_base") unsigned heap_base(void) { return (unsigned)&__heap_base; }

#define BLOCK_ROWS 32

/*
 * acc (cols doubles) from src (rows x cols floats). Scratch: block, cols rounded up to 4 floats,
 * 16-byte aligned.
 */
EXPORT("column_sums")
void column_sums(const float *src, int rows, int cols, float *block, double *acc) {
  const int vec = cols & ~3;
  for (int j = 0; j < cols; j++) acc[j] = 0.0;
  for (int r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const int r1 = r0 + BLOCK_ROWS < rows ? r0 + BLOCK_ROWS : rows;
    for (int j = 0; j < cols; j++) block[j] = 0.0f;
    for (int r = r0; r < r1; r++) {
      const float *row = src + r * cols;
      int j = 0;
      for (; j < vec; j += 4) wasm_v128_store(block + j, wasm_f32x4_add(wasm_v128_load(block + j), wasm_v128_load(row + j)));
      for (; j < cols; j++) block[j] += row[j];
    }
    for (int j = 0; j < cols; j++) acc[j] += (double)block[j];
  }
}
