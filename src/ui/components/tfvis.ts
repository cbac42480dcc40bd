/**
 * tfjs-vis (and vega under it) is large: it loads on first use, in its own chunk. Only "Layers of
 * <model>" uses it (tfjs-vis's modelSummary, an HTML table); the page's charts are React SVG, which
 * need no vega and no run-time code generation (a strict Content-Security-Policy forbids it).
 *
 * Drawings go through one queue: one per task, the browser gets a turn in between, and one asked
 * for twice before its turn is drawn once, with the latest data.
 */
type Tfvis = typeof import('@tensorflow/tfjs-vis');
type Draw = (tfvis: Tfvis) => Promise<unknown>;

let loading: Promise<Tfvis> | null = null;

function loadTfvis(): Promise<Tfvis> {
  loading ??= import('@tensorflow/tfjs-vis');
  return loading;
}

interface Request {
  draw: Draw;
  settle: Array<(error: Error | null) => void>;
}

const queue = new Map<Element, Request>();
let draining = false;

/** A macrotask boundary: input events and paints may run before the next chart. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Draws into `el` when its turn comes. Resolves once drawn (or once a later request for the same
 * element has been drawn in its place); rejects with the drawing's error.
 */
export function drawChart(el: Element, draw: Draw): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error: Error | null) => (error ? reject(error) : resolve());
    const waiting = queue.get(el);
    // Re-inserting moves the element to the back: every chart gets its turn, none twice in a row.
    queue.delete(el);
    queue.set(el, { draw, settle: [...(waiting?.settle ?? []), settle] });
    if (!draining) void drain();
  });
}

async function drain(): Promise<void> {
  draining = true;
  try {
    const tfvis = await loadTfvis();
    while (queue.size > 0) {
      await nextTask();
      const [el, request] = queue.entries().next().value as [Element, Request];
      queue.delete(el);
      let failure: Error | null = null;
      try {
        if (el.isConnected) await request.draw(tfvis);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
      for (const settle of request.settle) settle(failure);
    }
  } catch (error) {
    // tfjs-vis itself failed to load: every waiting chart says so.
    const failure = error instanceof Error ? error : new Error(String(error));
    for (const request of queue.values()) for (const settle of request.settle) settle(failure);
    queue.clear();
    loading = null;
  } finally {
    draining = false;
  }
}
