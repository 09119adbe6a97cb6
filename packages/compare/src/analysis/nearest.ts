/**
 * The index of the frequency nearest to `f` (Euclidean distance; the first of equally near ones),
 * or −1 when there is none: how a claim or a highlighted ξ finds its compared frequency.
 *
 * @example
 * nearestFrequency([[0], [0.5], [1]], [0.7]); // 1
 */
export function nearestFrequency(frequencies: readonly (readonly number[])[], f: readonly number[]): number {
  let best = -1;
  let dist = Number.POSITIVE_INFINITY;
  frequencies.forEach((g, q) => {
    let d = 0;
    for (let a = 0; a < g.length; a++) d += (g[a] - f[a]) ** 2;
    if (d < dist) [best, dist] = [q, d];
  });
  return best;
}
