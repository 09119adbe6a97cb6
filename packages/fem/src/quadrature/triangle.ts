import { gaussInterval } from './interval.js';
import type { Quadrature } from './types.js';

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
