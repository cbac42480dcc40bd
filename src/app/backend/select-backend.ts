/**
 * Chooses and starts the tfjs backend: WebGL on a real GPU, WebAssembly (with our training
 * kernels) on a software renderer or where WebGL is missing, the plain CPU backend as a last
 * resort. Works in the worker (WebGL through OffscreenCanvas) and on the main thread.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice, BackendReport } from '../protocol.ts';
import { probeWebgl } from './webgl-probe.ts';
import { activateWasm } from './wasm-setup.ts';

/**
 * Starts `requested`, or the best backend here when null. Never throws while any backend works:
 * the report's `note` says why the result differs from the request.
 */
export async function selectBackend(requested: BackendChoice | null): Promise<BackendReport> {
  const webgl = probeWebgl();
  const report = (backend: BackendReport['backend'], wasmThreads: number, note: string | null, kernelThreads = 0): BackendReport => ({
    backend,
    renderer: webgl.renderer,
    softwareRenderer: webgl.software,
    webglAvailable: webgl.available,
    wasmThreads,
    kernelThreads,
    note,
  });

  const choice: BackendChoice = requested ?? (webgl.available && !webgl.software ? 'webgl' : 'wasm');
  let note: string | null = null;
  if (requested === null && webgl.software) {
    note = `WebGL runs on a software renderer (${webgl.renderer}): WebAssembly is faster here`;
  } else if (requested === null && !webgl.available) {
    note = 'WebGL is not available in this browser: training on the CPU with WebAssembly';
  }
  if (choice === 'webgl') {
    if (!webgl.available) {
      note = 'WebGL is not available in this browser: training on the CPU with WebAssembly instead';
    } else if (await startWebgl()) {
      return report('webgl', 0, note);
    } else {
      note = 'WebGL failed to start: training on the CPU with WebAssembly instead';
    }
  }
  try {
    const wasm = await activateWasm();
    return report('wasm', wasm.threads, [note, wasm.note].filter(Boolean).join('; ') || null, wasm.kernelThreads);
  } catch (error) {
    await tf.setBackend('cpu');
    return report('cpu', 0, `WebAssembly failed to start (${(error as Error).message}): using the slow plain-JavaScript backend`);
  }
}

async function startWebgl(): Promise<boolean> {
  try {
    if (!(await tf.setBackend('webgl'))) return false;
    // A context can be created yet fail at the first shader: run one op to be sure.
    const probe = tf.tidy(() => tf.add(tf.ones([2, 2]), 1).sum());
    const ok = (await probe.data())[0] === 8;
    probe.dispose();
    return ok;
  } catch {
    return false;
  }
}

/** The WebGL context of the active webgl backend, or null on any other backend. */
export function activeWebglContext(): WebGLRenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  return (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl ?? null;
}

/**
 * Calls `onLost` once when the active WebGL context is lost (GPU reset, driver crash, too many
 * contexts). Listens for the event and also polls, because not every browser fires the event on
 * an OffscreenCanvas. Returns a function that stops watching.
 */
export function watchContextLoss(onLost: () => void): () => void {
  const gl = activeWebglContext();
  if (!gl) return () => {};
  let fired = false;
  const fire = () => {
    if (fired) return;
    fired = true;
    stop();
    onLost();
  };
  const canvas = gl.canvas as EventTarget;
  canvas.addEventListener?.('webglcontextlost', fire);
  const timer = setInterval(() => gl.isContextLost() && fire(), 1000);
  const stop = () => {
    canvas.removeEventListener?.('webglcontextlost', fire);
    clearInterval(timer);
  };
  return stop;
}

/** True when the active backend is WebGL and its context is gone. */
export function webglContextLost(): boolean {
  return activeWebglContext()?.isContextLost() ?? false;
}

/**
 * Drops a WebGL backend whose context is lost (its tensors are gone with it), so that a later
 * request for WebGL builds a fresh one.
 */
export function discardWebgl(): void {
  // removeBackend also forgets how to build one: keep the factory to register it again.
  const registry = (tf.engine() as unknown as { registryFactory: Record<string, RegistryEntry> }).registryFactory;
  const entry = registry.webgl;
  try {
    tf.removeBackend('webgl');
  } catch {
    // Disposing a lost context can throw; the backend is unusable either way.
  }
  if (entry && !registry.webgl) tf.registerBackend('webgl', entry.factory, entry.priority);
}

interface RegistryEntry {
  factory: () => tf.KernelBackend | Promise<tf.KernelBackend>;
  priority: number;
}
