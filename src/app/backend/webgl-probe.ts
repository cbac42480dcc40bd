/**
 * What WebGL this context offers, found out on a throwaway 1×1 canvas: whether a context can be
 * had at all, and the renderer string, which tells a real GPU from a software rasteriser.
 */

/** Software rasterisers: WebGL on them is slower than WebAssembly on the same CPU. */
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

export interface WebglProbe {
  available: boolean;
  renderer: string | null;
  software: boolean;
}

let cached: WebglProbe | null = null;

export function probeWebgl(): WebglProbe {
  if (cached) return cached;
  let gl: WebGLRenderingContext | WebGL2RenderingContext | null;
  try {
    gl = context();
  } catch {
    gl = null;
  }
  if (!gl) return (cached = { available: false, renderer: null, software: false });
  // The unmasked string names the GPU ("ANGLE (…, SwiftShader …)"); RENDERER alone is often just "WebKit WebGL".
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '') || null;
  // Hand the context back now: browsers cap live WebGL contexts (~16) and tfjs needs its own.
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  cached = { available: true, renderer, software: renderer !== null && SOFTWARE_RENDERER.test(renderer) };
  return cached;
}

/** A WebGL2 context first (tfjs in a worker only uses WebGL2), WebGL1 otherwise. */
function context(): WebGLRenderingContext | WebGL2RenderingContext | null {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(1, 1);
    return canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  }
  if (typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  return canvas.getContext('webgl2') ?? canvas.getContext('webgl');
}
