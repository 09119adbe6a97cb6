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

/**
 * The mass coefficient c(ξ) of c u_t = ∇·(D∇u) − R u sampled at every quadrature point, like
 * {@link sampleCoefficient} but strictly positive: c = 0 would make the mass matrix singular
 * (the step matrix loses its time derivative) and c = ∞ freezes u. Nodal values must be > 0 at
 * the dofs, and so must their interpolant at the quadrature points (a P2 interpolant can dip
 * below 0 between positive nodes). One-line errors name `name` and the dof or quadrature point.
 *
 * @example
 * const c = sampleMass(B, (xi) => 1 + xi[0] ** 2, 'mass'); // weights of M_c = ∫ c φ_i φ_j
 */
export function sampleMass(B: MappedBasis, f: Coefficient, name: string): Float64Array {
  if (typeof f === 'number' && !(f > 0 && f < Number.POSITIVE_INFINITY))
    throw new Error(`${name}: expected a finite value > 0, got ${f}`);
  let c: Float64Array;
  const nodal = f !== null && typeof f === 'object' && 'nodal' in f;
  if (f !== null && typeof f === 'object' && 'nodal' in f) {
    const C = coefficientBasis(B, f.degree ?? B.space.degree);
    const values = checkNodal(name, f.nodal, C.space);
    const i = values.indexOf(0);
    if (i >= 0)
      throw new Error(
        `${name}: nodal value 0 at dof ${i} (ξ = ${at(C.space.points, C.space.mesh.dim, i)}); expected a finite number > 0`,
      );
    c = interpolateAtQuadrature(B, C, values);
  } else c = sampleCoefficient(B, f, name);
  const dim = B.space.mesh.dim;
  for (let k = 0; k < c.length; k++) {
    if (c[k] > 0) continue;
    throw new Error(
      `${name}: ${c[k]} at the quadrature point ξ = (${at(B.points, dim, k)}) of cell ${Math.floor(k / B.nq)}; the mass coefficient must be > 0${nodal ? ' (a P2 interpolant of positive nodal values can dip to 0 or below between them: use degree 1)' : ''}`,
    );
  }
  return c;
}

function at(points: Float64Array, dim: number, i: number): string {
  return Array.from(points.subarray(i * dim, i * dim + dim), (x) => +x.toPrecision(6)).join(', ');
}
