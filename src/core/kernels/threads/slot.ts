/**
 * A helper thread's slot in the control block (a SharedArrayBuffer of Int32): where the calling
 * thread writes a job and the helper reports it done. Indices into the slot's Int32Array.
 *
 *   gen      job number: the caller writes the job, then bumps gen and notifies
 *   done     the job number the helper finished last (it notifies on this one)
 *   module   which module (index in the helper's list), -1: stop
 *   fn       which exported function (index in that module's list)
 *   status   0: ran, 1: threw (the caller then runs the part itself)
 *   calls    how many calls of fn the job makes, one after the other
 *   argCount arguments per call
 *   runs     jobs the helper has run (tests read it to see that helpers took part)
 *   args     the calls' arguments, call after call: int32 byte offsets and sizes
 *
 * 256 ints (1 KiB) per slot: room for 12 calls of our widest kernel (20 arguments), and two
 * helpers' slots never share a cache line.
 */
export const SLOT = {
  ints: 256,
  gen: 0,
  done: 1,
  module: 2,
  fn: 3,
  status: 4,
  calls: 5,
  argCount: 6,
  runs: 7,
  args: 8,
  maxArgs: 248,
} as const;
