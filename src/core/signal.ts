/**
 * How a caller asks a long computation to stop. A DOM/Node AbortSignal fits this shape; the core
 * names only what it reads, because it is compiled without DOM or Node types.
 */
export interface StopSignal {
  readonly aborted: boolean;
}

/** Thrown by evaluations cut short by a StopSignal. */
export class StoppedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}

export function throwIfStopped(signal?: StopSignal): void {
  if (signal?.aborted) throw new StoppedError();
}
