/**
 * Lets the host's event loop run (a Stop message, a click, a repaint) between training steps.
 * `await tensor.data()` alone is not enough: on the CPU backends it resolves as a microtask, which
 * never lets a queued message in. setTimeout exists in browsers, workers and Node alike; the core
 * has no DOM or Node types, so it is reached through globalThis.
 */
const host = globalThis as unknown as { setTimeout(callback: () => void, ms: number): unknown };

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => host.setTimeout(resolve, 0));
}

/** Milliseconds from a monotonic clock (performance.now where it exists). */
export function now(): number {
  const perf = (globalThis as unknown as { performance?: { now(): number } }).performance;
  return perf ? perf.now() : Date.now();
}
