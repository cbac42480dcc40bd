/**
 * Where a new picture goes on a map already laid out, without laying it out again: among its
 * nearest test images, closer to the nearer ones. Exact neighbours (nearest.ts) make it the same
 * place every time for the same picture, it is instant, and it works while the layout is still
 * moving (the layout's own transform is approximate, random, and runs an optimisation each time).
 */
import type { Neighbours } from './nearest.ts';

/**
 * The weighted mean of the neighbours' positions (`positions`: x, y per row), each weighted by
 * 1 / distance; a picture identical to a test image sits on it.
 */
export function placeAmongNeighbours(positions: ArrayLike<number>, neighbours: Neighbours): [number, number] {
  const { rows, distances } = neighbours;
  if (rows.length === 0) throw new RangeError('a picture is placed among at least one neighbour');
  if (distances[0] === 0) return [positions[2 * rows[0]], positions[2 * rows[0] + 1]];
  let x = 0;
  let y = 0;
  let total = 0;
  rows.forEach((row, i) => {
    const weight = 1 / distances[i];
    x += weight * positions[2 * row];
    y += weight * positions[2 * row + 1];
    total += weight;
  });
  return [x / total, y / total];
}
