/** A plain-JS AdamW to check our Adam kernel's weight decay against, in Node and in Chromium. */

/** The WebGL check's weight decay (large, so it moves weights far beyond the tolerance) and rates per step. */
export const ADAMW_DECAY = 0.5;
export const ADAMW_RATES = [0.05, 0.05, 0.04, 0.03, 0.02, 0.02];

/**
 * AdamW as PyTorch's torch.optim.AdamW steps it, in plain JS doubles: for each weight,
 * w ← w − lr·wd·w (decayed weights only), then the bias-corrected Adam step from the gradient at
 * the old w. The loss is Σ_i (i+1)·Σ (w_i − target_i)², so the gradient is 2(i+1)(w − target).
 */
export function referenceAdamW(
  start: number[][],
  targets: number[][],
  decayed: boolean[],
  rates: number[],
  wd: number,
  eps: number,
): number[][] {
  const [b1, b2] = [0.9, 0.999];
  const w = start.map((x) => [...x]);
  const m = start.map((x) => x.map(() => 0));
  const v = start.map((x) => x.map(() => 0));
  rates.forEach((lr, s) => {
    const t = s + 1;
    w.forEach((wi, i) => {
      for (let j = 0; j < wi.length; j++) {
        const g = 2 * (i + 1) * (wi[j] - targets[i][j]);
        m[i][j] = b1 * m[i][j] + (1 - b1) * g;
        v[i][j] = b2 * v[i][j] + (1 - b2) * g * g;
        const decay = decayed[i] ? lr * wd * wi[j] : 0;
        wi[j] = wi[j] - decay - ((lr / (1 - b1 ** t)) * m[i][j]) / (Math.sqrt(v[i][j] / (1 - b2 ** t)) + eps);
      }
    });
  });
  return w;
}
