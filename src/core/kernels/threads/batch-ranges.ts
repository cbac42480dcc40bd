/**
 * How a kernel splits a batch of B images over `threads`: contiguous runs [b0, b1) of near-equal
 * size, at most one per image, never empty.
 */
export function batchRanges(B: number, threads: number): Array<[number, number]> {
  const parts = Math.max(1, Math.min(B, Math.floor(threads)));
  const ranges: Array<[number, number]> = [];
  for (let p = 0; p < parts; p++) ranges.push([Math.floor((p * B) / parts), Math.floor(((p + 1) * B) / parts)]);
  return ranges;
}
