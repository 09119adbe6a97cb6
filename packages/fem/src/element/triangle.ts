import type { Element } from './types.js';

/**
 * P1 on the reference triangle: barycentric coordinates λ0 = 1 − x − y, λ1 = x, λ2 = y.
 *
 * @example
 * const v = new Float64Array(3), g = new Float64Array(6);
 * triangleP1.basis([0.2, 0.3], v, g); // v = [0.5, 0.2, 0.3]
 */
export const triangleP1: Element = {
  dim: 2,
  degree: 1,
  size: 3,
  basis(X, v, g) {
    v[0] = 1 - X[0] - X[1];
    v[1] = X[0];
    v[2] = X[1];
    g.set([-1, -1, 1, 0, 0, 1]);
  },
};

/**
 * P2 on the reference triangle: λi(2λi − 1) at vertices, 4λiλj on edges 0–1, 1–2, 2–0.
 *
 * @example
 * const v = new Float64Array(6), g = new Float64Array(12);
 * triangleP2.basis([0.5, 0], v, g); // v = [0, 0, 0, 1, 0, 0]
 */
export const triangleP2: Element = {
  dim: 2,
  degree: 2,
  size: 6,
  basis(X, v, g) {
    const l1 = X[0];
    const l2 = X[1];
    const l0 = 1 - l1 - l2;
    v[0] = l0 * (2 * l0 - 1);
    v[1] = l1 * (2 * l1 - 1);
    v[2] = l2 * (2 * l2 - 1);
    v[3] = 4 * l0 * l1;
    v[4] = 4 * l1 * l2;
    v[5] = 4 * l2 * l0;
    // ∇λ0 = (−1, −1), ∇λ1 = (1, 0), ∇λ2 = (0, 1)
    const d0 = 1 - 4 * l0;
    g[0] = d0;
    g[1] = d0;
    g[2] = 4 * l1 - 1;
    g[3] = 0;
    g[4] = 0;
    g[5] = 4 * l2 - 1;
    g[6] = 4 * (l0 - l1);
    g[7] = -4 * l1;
    g[8] = 4 * l2;
    g[9] = 4 * l1;
    g[10] = -4 * l2;
    g[11] = 4 * (l0 - l2);
  },
};
