/** tfjs-vis (and vega under it) is large: it loads on first use, in its own chunk. */
type Tfvis = typeof import('@tensorflow/tfjs-vis');

let loading: Promise<Tfvis> | null = null;

export function loadTfvis(): Promise<Tfvis> {
  loading ??= import('@tensorflow/tfjs-vis');
  return loading;
}
