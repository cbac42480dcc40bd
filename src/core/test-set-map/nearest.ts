/**
 * The test images nearest to a picture in the model's feature space (features.ts): exact, by
 * comparing with every one (a few thousand vectors of at most a thousand numbers: milliseconds).
 */
import type { Features } from './features.ts';

export interface Neighbours {
  /** Rows of the features, nearest first (ties: the lower row first). */
  rows: number[];
  /** Their Euclidean distances to the query, ascending. */
  distances: number[];
}

/** The `k` rows of `features` nearest to `query` (a vector of features.dim numbers), by Euclidean distance. */
export function nearestNeighbours(features: Features, query: ArrayLike<number>, k = 6): Neighbours {
  const { values, count, dim } = features;
  if (query.length !== dim) throw new RangeError(`the query has ${query.length} features, the map's images ${dim}`);
  const kept = Math.min(k, count);
  const rows: number[] = [];
  const squared: number[] = [];
  for (let row = 0; row < count; row++) {
    let sum = 0;
    const base = row * dim;
    for (let j = 0; j < dim; j++) {
      const d = values[base + j] - query[j];
      sum += d * d;
    }
    if (rows.length === kept && sum >= squared[kept - 1]) continue;
    // Insertion into the short sorted list of the best so far.
    let at = rows.length === kept ? kept - 1 : rows.length;
    while (at > 0 && squared[at - 1] > sum) at--;
    rows.splice(at, 0, row);
    squared.splice(at, 0, sum);
    if (rows.length > kept) {
      rows.pop();
      squared.pop();
    }
  }
  return { rows, distances: squared.map(Math.sqrt) };
}
