import { lagrange } from '../element/index.js';
import { float64Array } from '../guards/alloc.js';
import type { MappedBasis } from '../space/basis.js';
import { type FunctionSpace, functionSpace } from '../space/function-space.js';

/** A coefficient given by its nodal values in the P1 or P2 space of the mesh (dof order of `dofPoints(mesh, degree)`). */
export interface NodalCoefficient {
  /** One value per dof of the coefficient's space, each finite and ≥ 0. */
  readonly nodal: ArrayLike<number>;
  /** Degree of the coefficient's space (default: the solution's degree). */
  readonly degree?: 1 | 2;
}

/**
 * The coefficient's space tabulated at a mapped basis' quadrature points: ψ_j(x_q) for the
 * coefficient's own Lagrange basis (its degree may differ from the solution's).
 */
export interface CoefficientBasis {
  readonly space: FunctionSpace;
  /** ψ_i(X_q) at `q * size + i`, on the reference cell at the rule's points. */
  readonly psi: Float64Array;
}

/**
 * Tabulates the P1/P2 basis of the coefficient space at the quadrature points of `B`.
 *
 * @example
 * const C = coefficientBasis(B, 1); // P1 coefficients for a P2 solution
 */
export function coefficientBasis(B: MappedBasis, degree: 1 | 2 = B.space.degree): CoefficientBasis {
  if (degree !== 1 && degree !== 2)
    throw new Error(`degree: expected 1 or 2 for a nodal coefficient, got ${degree}`);
  const mesh = B.space.mesh;
  const space = degree === B.space.degree ? B.space : functionSpace(mesh, degree);
  const el = lagrange(mesh.dim, degree);
  const dim = mesh.dim;
  const psi = new Float64Array(B.nq * el.size);
  const v = new Float64Array(el.size);
  const g = new Float64Array(el.size * dim);
  for (let q = 0; q < B.nq; q++) {
    el.basis(B.rule.points.subarray(q * dim, q * dim + dim), v, g);
    psi.set(v, q * el.size);
  }
  return { space, psi };
}

/**
 * Checks nodal coefficient values: the right count, each finite and ≥ 0; one-line errors naming `name`.
 *
 * @example
 * checkNodal('diffusion', [1, 2], space); // throws unless space.size === 2
 */
export function checkNodal(name: string, values: ArrayLike<number>, space: FunctionSpace): Float64Array {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number')
    throw new Error(`${name}: expected an array of nodal values`);
  if (values.length !== space.size)
    throw new Error(
      `${name}: expected ${space.size} nodal values (one per dof of the P${space.degree} space), got ${values.length}`,
    );
  const out = new Float64Array(space.size);
  const dim = space.mesh.dim;
  for (let i = 0; i < space.size; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      const at = Array.from(space.points.subarray(i * dim, i * dim + dim), (x) => +x.toPrecision(6)).join(
        ', ',
      );
      throw new Error(`${name}: nodal value ${v} at dof ${i} (ξ = ${at}); expected a finite number ≥ 0`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * The coefficient Σ_j c_j ψ_j at every quadrature point of `B` (cell-major, as `sampleCoefficient`).
 *
 * @example
 * const Dq = interpolateAtQuadrature(B, coefficientBasis(B), D);
 */
export function interpolateAtQuadrature(
  B: MappedBasis,
  C: CoefficientBasis,
  values: Float64Array,
): Float64Array {
  const { nq } = B;
  const ns = C.space.element.size;
  const dofs = C.space.cellDofs;
  const nc = B.dx.length / nq;
  const out = float64Array(B.dx.length, 'nodal coefficient: values at the quadrature points');
  for (let c = 0; c < nc; c++) {
    for (let q = 0; q < nq; q++) {
      let s = 0;
      for (let i = 0; i < ns; i++) s += values[dofs[c * ns + i]] * C.psi[q * ns + i];
      out[c * nq + q] = s;
    }
  }
  return out;
}

/**
 * The transpose of {@link interpolateAtQuadrature}: out_j += Σ_q ψ_j(x_q) f_q, for a field f
 * at the quadrature points (its weights already included).
 *
 * @example
 * projectFromQuadrature(B, C, gq, dJdD);
 */
export function projectFromQuadrature(
  B: MappedBasis,
  C: CoefficientBasis,
  f: Float64Array,
  out: Float64Array,
): Float64Array {
  const { nq } = B;
  const ns = C.space.element.size;
  const dofs = C.space.cellDofs;
  const nc = B.dx.length / nq;
  for (let c = 0; c < nc; c++) {
    for (let q = 0; q < nq; q++) {
      const fq = f[c * nq + q];
      for (let i = 0; i < ns; i++) out[dofs[c * ns + i]] += fq * C.psi[q * ns + i];
    }
  }
  return out;
}
