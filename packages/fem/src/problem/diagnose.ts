import type { Csr } from '../linalg/csr.js';
import type { FunctionSpace } from '../space/function-space.js';
import type { StepMatrixError } from '../time/integrate.js';
import type { Scheme } from '../time/schemes.js';

/** The largest absolute value of an array (0 when empty). */
export function max(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function at(points: Float64Array, dim: number, i: number): string {
  return Array.from(points.subarray(i * dim, i * dim + dim), (x) => +x.toPrecision(6)).join(', ');
}

/** Throws, naming `name`, the row and its dof's position, if a matrix entry is not finite. */
export function checkFinite(A: Csr, space: FunctionSpace, name: string, what: string, why: string): void {
  for (let i = 0; i < A.n; i++) {
    for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) {
      if (!Number.isFinite(A.values[p]))
        throw new Error(
          `${name}: the ${what} has the entry ${A.values[p]} in row ${i} (dof at ξ = (${at(space.points, space.mesh.dim, i)})): ${why}`,
        );
    }
  }
}

function diagonal(A: Csr, i: number): number {
  for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) if (A.colIdx[p] === i) return A.values[p];
  return 0;
}

/** A mass coefficient spanning more than this factor is named as the cause of a failed step matrix. */
const MASS_RANGE = 1e12;

/** The likely cause of a failed step matrix M + θ h A (factorisation or residual), in terms of the problem. */
export function explainPivot(
  e: StepMatrixError,
  M: Csr,
  A: Csr,
  points: Float64Array,
  dim: number,
  scheme: Scheme,
  mass?: { values: Float64Array; points: Float64Array },
): string {
  const row = e.pivot?.row ?? e.residual?.row ?? 0;
  const where = `at dof ${row} (ξ = (${at(points, dim, row)}))`;
  const matrix = `the ${scheme} step matrix M + ${e.theta}·h·A (h = ${e.h}) ${
    e.pivot
      ? `has the pivot ${e.pivot.pivot} ${where}`
      : `leaves a relative residual ${e.residual?.relative.toPrecision(3)} (largest ${where})`
  }`;
  if (e.pivot?.kind === 'non-finite') return `dt: ${matrix}: its entries overflow; use a smaller dt`;
  // A mass coefficient spanning more than MASS_RANGE: one quadrature point's c φφᵀ (rank one)
  // swamps its cells, e.g. c = 1/|p|² next to a zero of p.
  if (mass !== undefined) {
    let lo = 0;
    let hi = 0;
    for (let k = 1; k < mass.values.length; k++) {
      if (mass.values[k] < mass.values[lo]) lo = k;
      if (mass.values[k] > mass.values[hi]) hi = k;
    }
    const ratio = mass.values[hi] / mass.values[lo];
    if (ratio > MASS_RANGE)
      return `mass: ${matrix}: c spans ${ratio.toPrecision(3)}-fold, from ${mass.values[lo].toPrecision(3)} at ξ = (${at(mass.points, dim, lo)}) to ${mass.values[hi].toPrecision(3)} at ξ = (${at(mass.points, dim, hi)}), so the mass matrix is singular in double precision where c is largest; keep singularities of c (zeros of the symbol p for c = 1/|p|²) off the mesh`;
  }
  // θ h A_ii / M_ii ~ θ h (D / cell² + R): past ~10^12 the mass matrix is lost in rounding.
  let ratio = 0;
  for (let i = 0; i < M.n; i++) ratio = Math.max(ratio, (e.theta * e.h * diagonal(A, i)) / diagonal(M, i));
  if (ratio > 1e8 || e.residual)
    return `dt: ${matrix}: θ·h·A outweighs the mass matrix up to ${ratio.toPrecision(3)}-fold (θ·h·D/cell² ≫ 1), so the system is singular in double precision; use a smaller dt, larger cells, or rescale the diffusion`;
  return `mesh: ${matrix}: the matrix is ${e.pivot?.kind === 'singular' ? 'singular in double precision' : 'not positive definite'}; check for cells of extremely different sizes and coefficient values spanning many orders of magnitude`;
}
