/*
 * A deliberate copy: @freqbias/fem has its own Gauss–Legendre rule (quadrature/interval.ts, on
 * [0, 1]); fem must not depend on nn nor nn on fem, and the rule is a dozen lines.
 */

/**
 * Gauss–Legendre nodes and weights on [−1, 1] (Newton's method on P_n, started from the
 * asymptotic estimate cos(π(i − ¼)/(n + ½))). Exact for polynomials of degree ≤ 2n − 1.
 *
 * @example
 * const { nodes, weights } = gaussLegendre(3);
 * // Σ weights[i] * nodes[i]**2 === 2/3 (to rounding)
 */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  if (!Number.isInteger(n) || n < 1) throw new Error(`n: expected a positive integer, got ${n}`);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < (n + 1) >> 1; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // Three-term recurrence for P_n(x) and P_{n−1}(x).
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pm = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pm)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    // Recompute P_n' at the converged node for the weight.
    let p0 = 1;
    let p1 = x;
    for (let k = 2; k <= n; k++) {
      const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    dp = n === 1 ? 1 : (n * (x * p1 - p0)) / (x * x - 1);
    const wgt = 2 / ((1 - x * x) * dp * dp);
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = wgt;
    weights[n - 1 - i] = wgt;
  }
  return { nodes, weights };
}
