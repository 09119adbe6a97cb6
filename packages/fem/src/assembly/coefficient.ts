import {
  checkNodal,
  coefficientBasis,
  interpolateAtQuadrature,
  type NodalCoefficient,
} from '../adjoint/nodal.js';
import { float64Array } from '../guards/alloc.js';
import type { MappedBasis } from '../space/basis.js';

/**
 * A coefficient: a constant, a function of the point ξ (an array of length dim), or nodal values
 * `{ nodal, degree? }` interpolated with the P1/P2 basis (what `adjointGradient` differentiates).
 */
export type Coefficient = number | ((xi: Float64Array) => number) | NodalCoefficient;

/**
 * A coefficient sampled at every quadrature point (THEORY §4: coefficients are evaluated at
 * quadrature points, never interpolated). Throws if a value is NaN, infinite or negative.
 *
 * @example
 * const D = sampleCoefficient(B, (xi) => Math.exp(-xi[0] ** 2), 'diffusion');
 */
export function sampleCoefficient(
  B: MappedBasis,
  f: Coefficient,
  name: string,
  allowNegative = false,
): Float64Array {
  const dim = B.space.mesh.dim;
  const m = B.dx.length;
  const out = float64Array(m, `${name}: values at the quadrature points`);
  if (typeof f === 'number') {
    out.fill(f);
    if (!Number.isFinite(f) || (!allowNegative && f < 0))
      throw new Error(`${name}: expected a finite${allowNegative ? '' : ' non-negative'} value, got ${f}`);
    return out;
  }
  if (f !== null && typeof f === 'object' && 'nodal' in f) {
    // Nodal values ≥ 0 are checked; their P2 interpolant may dip below 0 between nodes.
    const C = coefficientBasis(B, f.degree ?? B.space.degree);
    return interpolateAtQuadrature(B, C, checkNodal(name, f.nodal, C.space));
  }
  if (typeof f !== 'function')
    throw new Error(`${name}: expected a number, a function of ξ or { nodal: values, degree? }`);
  const xi = new Float64Array(dim);
  const P = B.points;
  for (let k = 0; k < m; k++) {
    xi[0] = P[k * dim];
    if (dim === 2) xi[1] = P[k * dim + 1];
    const v = f(xi);
    out[k] = v;
    if (!(v >= 0) || v === Number.POSITIVE_INFINITY) {
      if (allowNegative && Number.isFinite(v)) continue;
      const at = Array.from(P.subarray(k * dim, k * dim + dim), (x) => +x.toPrecision(6)).join(', ');
      throw new Error(
        `${name}: ${typeof v === 'number' && !Number.isNaN(v) && v < 0 ? 'negative' : 'not a finite number'} (${v}) at the quadrature point ξ = (${at}) of cell ${Math.floor(k / B.nq)}`,
      );
    }
  }
  return out;
}
