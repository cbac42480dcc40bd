/**
 * Decodes a PNG shard to RGBA pixels without touching the DOM where possible: createImageBitmap +
 * OffscreenCanvas work inside a worker. A <canvas> is the fallback for a main-thread run in a
 * browser without OffscreenCanvas.
 */

/** Pixels exactly as stored: no colour-space conversion or premultiplication may alter a gray value. */
const BITMAP_OPTIONS: ImageBitmapOptions = { colorSpaceConversion: 'none', premultiplyAlpha: 'none' };

export async function decodePng(bytes: Uint8Array): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }), BITMAP_OPTIONS);
  try {
    const { width, height } = bitmap;
    const context = canvas2d(width, height);
    context.drawImage(bitmap, 0, 0);
    return { rgba: context.getImageData(0, 0, width, height).data, width, height };
  } finally {
    bitmap.close();
  }
}

type Context2d = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function canvas2d(width: number, height: number): Context2d {
  // willReadFrequently keeps the canvas on the CPU: we only read it back once, and a GPU canvas
  // would round-trip every pixel through the GPU for that.
  const settings: CanvasRenderingContext2DSettings = { willReadFrequently: true, alpha: false };
  let context: Context2d | null;
  if (typeof OffscreenCanvas !== 'undefined') {
    context = new OffscreenCanvas(width, height).getContext('2d', settings);
  } else {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    context = canvas.getContext('2d', settings);
  }
  if (!context) throw new Error('no 2D canvas context to decode images with');
  return context;
}
