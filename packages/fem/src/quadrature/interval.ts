import type { Quadrature } from './types.js';

/**
 * Gauss–Legendre rule on [0, 1] exact for polynomials of degree ≤ `degree`.
 *
 * @example
 * const q = gaussInterval(5); // 3 points
 * q.weights.reduce((a, b) => a + b); // 1
 */
export function gaussInterval(degree: number): Quadrature {
  const n = Math.max(1, Math.ceil((degree + 1) / 2));
  const points = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Newton on P_n from the Chebyshev-like guess; converges to machine precision in a few steps.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
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
    points[n - 1 - i] = 0.5 * (1 + x);
    weights[n - 1 - i] = 1 / ((1 - x * x) * dp * dp);
  }
  return { dim: 1, degree: 2 * n - 1, points, weights };
}
