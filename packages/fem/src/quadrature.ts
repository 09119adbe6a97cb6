/** A quadrature rule on a reference cell: `points` flat (dim per point), weights sum to its measure. */
export interface Quadrature {
  readonly dim: 1 | 2;
  readonly degree: number;
  readonly points: Float64Array;
  readonly weights: Float64Array;
}

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

// Symmetric rules on the reference triangle (Strang–Fix / Dunavant), weights normalised to 1
// and halved below for the reference area 1/2: [weight, a, b, c] with orbits of (a, b, c).
const DUNAVANT: Record<number, number[][]> = {
  1: [[1, 1 / 3, 1 / 3, 1 / 3]],
  2: [[1 / 3, 2 / 3, 1 / 6, 1 / 6]],
  4: [
    [0.223381589678011, 0.10810301816807, 0.445948490915965, 0.445948490915965],
    [0.109951743655322, 0.816847572980459, 0.091576213509771, 0.091576213509771],
  ],
  6: [
    [0.116786275726379, 0.501426509658179, 0.24928674517091, 0.24928674517091],
    [0.050844906370207, 0.873821971016996, 0.063089014491502, 0.063089014491502],
    [0.082851075618374, 0.053145049844817, 0.310352451033784, 0.636502499121399],
  ],
};

/**
 * Quadrature on the reference triangle exact for degree ≤ `degree`: symmetric Dunavant rules
 * up to degree 6, a collapsed (Duffy) Gauss rule above.
 *
 * @example
 * triangleRule(4).weights.length; // 6
 * triangleRule(6).weights.length; // 12
 */
export function triangleRule(degree: number): Quadrature {
  const key = [1, 2, 4, 6].find((d) => d >= degree);
  if (key === undefined) return duffy(degree);
  const pts: number[] = [];
  const wts: number[] = [];
  for (const [w, a, b, c] of DUNAVANT[key]) {
    const orbit =
      a === b && b === c
        ? [[a, b]]
        : b === c
          ? [
              [b, c],
              [a, b],
              [b, a],
            ]
          : [
              [a, b],
              [b, a],
              [a, c],
              [c, a],
              [b, c],
              [c, b],
            ];
    for (const [x, y] of orbit) {
      pts.push(x, y);
      wts.push(w / 2);
    }
  }
  return { dim: 2, degree: key, points: new Float64Array(pts), weights: new Float64Array(wts) };
}

function duffy(degree: number): Quadrature {
  // (u, v) ∈ [0,1]² ↦ (u, v(1 − u)), Jacobian (1 − u): one extra degree in u.
  const g = gaussInterval(degree + 1);
  const n = g.weights.length;
  const points = new Float64Array(2 * n * n);
  const weights = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const u = g.points[i];
      points[2 * (i * n + j)] = u;
      points[2 * (i * n + j) + 1] = g.points[j] * (1 - u);
      weights[i * n + j] = g.weights[i] * g.weights[j] * (1 - u);
    }
  }
  return { dim: 2, degree, points, weights };
}

/**
 * The rule used for elements of degree p: exact to degree 2p + 2 (issue 2), so mass and
 * stiffness with smooth coefficients are integrated well beyond the element's own order.
 *
 * @example
 * cellRule(2, 2).degree; // 6
 */
export function cellRule(dim: 1 | 2, degree: number): Quadrature {
  return dim === 1 ? gaussInterval(2 * degree + 2) : triangleRule(2 * degree + 2);
}
