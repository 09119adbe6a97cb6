import { float64Array } from '../guards/alloc.js';
import type { Quadrature } from '../quadrature/types.js';
import type { FunctionSpace } from './function-space.js';

/**
 * A space mapped to every cell with a quadrature rule (the "basis" of scikit-fem): physical
 * quadrature points, weights × |det J|, the inverse Jacobians and the reference basis
 * tabulated at the rule's points. Cells are affine, so J is constant per cell.
 */
export interface MappedBasis {
  readonly space: FunctionSpace;
  readonly rule: Quadrature;
  /** Quadrature points per cell. */
  readonly nq: number;
  /** Physical quadrature points, `dim` numbers per point, cell-major. */
  readonly points: Float64Array;
  /** Integration weights w_q |det J_c| at each point. */
  readonly dx: Float64Array;
  /** Inverse Jacobian per cell, row-major `dim × dim` (∇_x = J⁻ᵀ ∇_X). */
  readonly invJ: Float64Array;
  /** φ_i(X_q) at `q * size + i`. */
  readonly phi: Float64Array;
  /** ∇_X φ_i(X_q) at `(q * size + i) * dim + k`. */
  readonly dphi: Float64Array;
}

/**
 * Maps a function space and a reference quadrature to all cells.
 *
 * @example
 * const B = mapBasis(functionSpace(intervalMesh(0, 2, 2), 1), gaussInterval(3));
 * B.dx.reduce((a, b) => a + b); // 2, the length of the domain
 */
export function mapBasis(space: FunctionSpace, rule: Quadrature): MappedBasis {
  const { mesh, element } = space;
  const { dim, points: X, cells } = mesh;
  const nv = dim + 1;
  const nc = cells.length / nv;
  const nq = rule.weights.length;
  const ns = element.size;
  const phi = new Float64Array(nq * ns);
  const dphi = new Float64Array(nq * ns * dim);
  const v = new Float64Array(ns);
  const g = new Float64Array(ns * dim);
  for (let q = 0; q < nq; q++) {
    element.basis(rule.points.subarray(q * dim, q * dim + dim), v, g);
    phi.set(v, q * ns);
    dphi.set(g, q * ns * dim);
  }
  const points = float64Array(nc * nq * dim, 'mapBasis: quadrature points');
  const dx = float64Array(nc * nq, 'mapBasis: quadrature weights');
  const invJ = float64Array(nc * dim * dim, 'mapBasis: inverse Jacobians');
  const R = rule.points;
  const W = rule.weights;
  if (dim === 1) {
    for (let c = 0; c < nc; c++) {
      const a = X[cells[2 * c]];
      const h = X[cells[2 * c + 1]] - a;
      invJ[c] = 1 / h;
      for (let q = 0; q < nq; q++) {
        points[c * nq + q] = a + h * R[q];
        dx[c * nq + q] = W[q] * Math.abs(h);
      }
    }
  } else {
    for (let c = 0; c < nc; c++) {
      const p0 = cells[3 * c];
      const p1 = cells[3 * c + 1];
      const p2 = cells[3 * c + 2];
      const x0 = X[2 * p0];
      const y0 = X[2 * p0 + 1];
      const a = X[2 * p1] - x0;
      const b = X[2 * p2] - x0;
      const d = X[2 * p1 + 1] - y0;
      const e = X[2 * p2 + 1] - y0;
      const det = a * e - b * d;
      invJ[4 * c] = e / det;
      invJ[4 * c + 1] = -b / det;
      invJ[4 * c + 2] = -d / det;
      invJ[4 * c + 3] = a / det;
      const ad = Math.abs(det);
      for (let q = 0; q < nq; q++) {
        const s = R[2 * q];
        const t = R[2 * q + 1];
        const o = 2 * (c * nq + q);
        points[o] = x0 + a * s + b * t;
        points[o + 1] = y0 + d * s + e * t;
        dx[c * nq + q] = W[q] * ad;
      }
    }
  }
  return { space, rule, nq, points, dx, invJ, phi, dphi };
}
