/**
 * The 2D context of one of the page's own canvases (pixel images, activation grids, the drawing
 * pad, the test-set map), sized to `width` × `height`.
 *
 * Kept on the CPU (`willReadFrequently`): these canvases are small and are redrawn by putImageData
 * many times a second while a person draws. A GPU-backed canvas makes every such frame wait for the
 * GPU process, and where the GPU is software (SwiftShader) that wait blocked the page's main thread
 * for hundreds of milliseconds a stroke. The size is set only when it changes: setting it clears
 * the canvas and its backing store.
 */
export function canvas2d(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  return canvas.getContext('2d', { willReadFrequently: true });
}
