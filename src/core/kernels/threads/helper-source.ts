/**
 * The script a kernel helper thread runs, as text: the platform turns it into a worker (a Blob URL
 * in the browser, an eval'd worker_threads script in Node; see SpawnHelper). Plain JavaScript that
 * needs nothing but `self.onmessage`, `self.postMessage`, WebAssembly and Atomics.
 *
 * It receives, once, our shared-build modules with their shared memories and a stack of its own
 * in each, instantiates them, says it is ready, and from then on serves jobs through its slot of
 * a shared control block (layout in ./slot.ts) until a job tells it to stop. Between jobs it
 * sleeps in Atomics.wait, so an idle helper takes no CPU from the backend's own threads.
 */
import { SLOT } from './slot.ts';

export const HELPER_SOURCE = `'use strict';
const SLOT = ${JSON.stringify(SLOT)};
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
  const slot = new Int32Array(control, index * SLOT.ints * 4, SLOT.ints);
  self.postMessage({ ready: true });
  let seen = Atomics.load(slot, SLOT.gen);
  for (;;) {
    Atomics.wait(slot, SLOT.gen, seen);
    const gen = Atomics.load(slot, SLOT.gen);
    if (gen === seen) continue;
    seen = gen;
    const module = slot[SLOT.module];
    if (module < 0) {
      Atomics.store(slot, SLOT.done, gen);
      return;
    }
    let status = 0;
    try {
      const fn = functions[module][slot[SLOT.fn]];
      const n = slot[SLOT.argCount];
      for (let call = 0, at = SLOT.args; call < slot[SLOT.calls]; call++, at += n) {
        fn(...Array.from(slot.subarray(at, at + n)));
      }
    } catch {
      status = 1;
    }
    slot[SLOT.status] = status;
    slot[SLOT.runs] += 1;
    Atomics.store(slot, SLOT.done, gen);
    Atomics.notify(slot, SLOT.done);
  }
};
`;
