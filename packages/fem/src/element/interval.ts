import type { Element } from './types.js';

/**
 * P1 on [0, 1]: φ0 = 1 − x, φ1 = x.
 *
 * @example
 * const v = new Float64Array(2), g = new Float64Array(2);
 * intervalP1.basis([0.25], v, g); // v = [0.75, 0.25], g = [-1, 1]
 */
export const intervalP1: Element = {
  dim: 1,
  degree: 1,
  size: 2,
  basis(X, v, g) {
    const x = X[0];
    v[0] = 1 - x;
    v[1] = x;
    g[0] = -1;
    g[1] = 1;
  },
};

/**
 * P2 on [0, 1]: vertices then the midpoint.
 *
 * @example
 * const v = new Float64Array(3), g = new Float64Array(3);
 * intervalP2.basis([0.5], v, g); // v = [0, 0, 1]
 */
export const intervalP2: Element = {
  dim: 1,
  degree: 2,
  size: 3,
  basis(X, v, g) {
    const x = X[0];
    v[0] = (1 - x) * (1 - 2 * x);
    v[1] = x * (2 * x - 1);
    v[2] = 4 * x * (1 - x);
    g[0] = 4 * x - 3;
    g[1] = 4 * x - 1;
    g[2] = 4 - 8 * x;
  },
};
