/**
 * The script a kernel helper thread runs, as text: the platform turns it into a worker (a Blob URL
 * in the browser, an eval'd worker_threads script in Node; see SpawnHelper). Plain JavaScript that
 * needs nothing but `self.onmessage`, `self.postMessage`, WebAssembly and Atomics.
 *
 * It receives, once, our shared-build modules with their shared memories and a stack of its own
 * in each, instantiates them, says it is ready, and from then on, each time the board's job number
 * moves, takes parts of that job off the board (layout in ./slot.ts) until none is left, then
 * sleeps again in Atomics.wait: an idle helper takes no CPU from the backend's own threads, and a
 * helper the system runs late takes fewer parts instead of holding the caller up.
 */
import { BOARD, HELPER_SLOT } from './slot.ts';

export const HELPER_SOURCE = `'use strict';
const BOARD = ${JSON.stringify(BOARD)};
const HELPER_SLOT = ${JSON.stringify(HELPER_SLOT)};
self.onmessage = (event) => {
  const { modules, control, index } = event.data;
  const functions = [];
  try {
    for (const m of modules) {
      const instance = new WebAssembly.Instance(m.module, { env: { memory: m.memory } });
      instance.exports.__stack_pointer.value = m.stackTop;
      functions.push(m.functions.map((name) => instance.exports[name]));
    }
  } catch (error) {
    self.postMessage({ error: String(error) });
    return;
  }
  const board = new Int32Array(control, 0, BOARD.ints);
  const slotBytes = (BOARD.ints + index * HELPER_SLOT.ints) * 4;
  const mine = new Int32Array(control, slotBytes, HELPER_SLOT.ints);
  const busy = new Float64Array(control, slotBytes, HELPER_SLOT.ints / 2);
  self.postMessage({ ready: true });
  let seen = Atomics.load(board, BOARD.gen);
  for (;;) {
    Atomics.wait(board, BOARD.gen, seen);
    const gen = Atomics.load(board, BOARD.gen);
    if (gen === seen) continue;
    seen = gen;
    if (Atomics.load(board, BOARD.module) < 0) return;
    const tag = gen & 0x3ffff;
    for (;;) {
      const claim = Atomics.load(board, BOARD.claim);
      const part = claim & 127;
      const parts = (claim >>> 7) & 127;
      if (claim >>> 14 !== tag || part >= parts) break;
      if (Atomics.compareExchange(board, BOARD.claim, claim, claim + 1) !== claim) continue;
      // The part is ours, and the job stays on the board until every part has finished.
      board[BOARD.owner + part] = index + 1;
      const started = performance.now();
      let status = 1;
      try {
        const fn = functions[board[BOARD.module]][board[BOARD.fn]];
        const n = board[BOARD.argCount];
        fn(...Array.from(board.subarray(BOARD.args + part * n, BOARD.args + (part + 1) * n)));
      } catch {
        status = 2;
      }
      busy[HELPER_SLOT.busyMs] += performance.now() - started;
      mine[HELPER_SLOT.runs] += 1;
      Atomics.store(board, BOARD.status + part, status);
      if (Atomics.add(board, BOARD.finished, 1) + 1 === parts) Atomics.notify(board, BOARD.finished);
    }
  }
};
`;
