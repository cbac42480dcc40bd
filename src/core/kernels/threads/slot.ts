/**
 * The control block the calling thread and the helpers share (a SharedArrayBuffer of Int32): one
 * board where the caller posts a job and every thread takes parts of it, then one small slot per
 * helper for what only that helper writes. Indices into the Int32Arrays.
 *
 * Board:
 *   gen       job number: the caller writes the job, then bumps gen and notifies all helpers
 *   claim     who takes which part, in one word so that taking one is one compare-exchange:
 *             bits 0-6 the next part to take, bits 7-13 the job's parts, bits 14-31 the job's
 *             number (gen, modulo 2^18). A helper that wakes late for an older job sees another
 *             number there and takes nothing.
 *   module    which module (index in the helpers' list), -1: stop
 *   fn        which exported function (index in that module's list)
 *   argCount  arguments per part
 *   finished  parts finished, well or not (the caller waits on it; the last finisher notifies)
 *   status    per part: 0 not finished, 1 ran, 2 threw (the caller then runs it itself)
 *   owner     per part: 0 the caller, i + 1 helper i
 *   args      the parts' arguments, part after part: int32 byte offsets and sizes
 *
 * Helper slot (16 ints, a cache line of its own):
 *   runs      parts the helper has run (tests read it to see that helpers took part)
 *   busyMs    milliseconds it spent running parts, a float64 at ints 2-3 (kernelThreadStats)
 */
export const BOARD = {
  ints: 1024,
  gen: 0,
  claim: 1,
  module: 2,
  fn: 3,
  argCount: 4,
  finished: 5,
  status: 16,
  owner: 80,
  maxParts: 64,
  args: 144,
  maxArgs: 880,
} as const;

export const HELPER_SLOT = {
  ints: 16,
  runs: 0,
  /** Index of the float64 in a Float64Array over the slot. */
  busyMs: 1,
} as const;

/** The claim word of job `gen` with `parts` parts, none taken yet. */
export function claimWord(gen: number, parts: number): number {
  return ((gen & 0x3ffff) << 14) | (parts << 7) | 0;
}
