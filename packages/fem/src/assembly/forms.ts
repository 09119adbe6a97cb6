import type { MappedBasis } from '../space/basis.js';
import type { Pattern } from './pattern.js';

/**
 * Adds the weighted mass matrix ∫ w φ_j φ_i dξ into `values` (a pattern's CSR values).
 * `w` holds the weight at each quadrature point (null: w = 1).
 *
 * @example
 * addMass(B, P, null, M.values); // the plain mass matrix
 */
export function addMass(B: MappedBasis, P: Pattern, w: Float64Array | null, values: Float64Array): void {
  const { nq, dx, phi } = B;
  const ns = B.space.element.size;
  const nc = dx.length / nq;
  const map = P.cellToCsr;
  const ns2 = ns * ns;
  for (let c = 0; c < nc; c++) {
    const o = c * nq;
    for (let i = 0; i < ns; i++) {
      for (let j = i; j < ns; j++) {
        let s = 0;
        for (let q = 0; q < nq; q++) {
          const wq = w === null ? dx[o + q] : w[o + q] * dx[o + q];
          s += wq * phi[q * ns + i] * phi[q * ns + j];
        }
        values[map[c * ns2 + i * ns + j]] += s;
        if (j !== i) values[map[c * ns2 + j * ns + i]] += s;
      }
    }
  }
}

/**
 * The basis functions' physical gradients on cell c into G (nq × ns × dim, point-major): the
 * reference gradients mapped by the cell's inverse Jacobian.
 *
 * @example
 * const G = new Float64Array(B.nq * ns * dim);
 * physicalGradients(B, 0, G); // ∇φ_i at cell 0's quadrature points
 */
export function physicalGradients(B: MappedBasis, c: number, G: Float64Array): void {
  const { nq, dphi, invJ } = B;
  const ns = B.space.element.size;
  if (B.space.mesh.dim === 1) {
    const j = invJ[c];
    for (let k = 0; k < nq * ns; k++) G[k] = dphi[k] * j;
    return;
  }
  const a = invJ[4 * c];
  const b = invJ[4 * c + 1];
  const cc = invJ[4 * c + 2];
  const d = invJ[4 * c + 3];
  for (let k = 0; k < nq * ns; k++) {
    const gx = dphi[2 * k];
    const gy = dphi[2 * k + 1];
    G[2 * k] = a * gx + cc * gy;
    G[2 * k + 1] = b * gx + d * gy;
  }
}

/**
 * Adds the weighted stiffness matrix ∫ w ∇φ_j·∇φ_i dξ into `values`.
 *
 * @example
 * addStiffness(B, P, D, A.values); // D-weighted stiffness K_D of THEORY §4
 */
export function addStiffness(B: MappedBasis, P: Pattern, w: Float64Array | null, values: Float64Array): void {
  const { nq, dx } = B;
  const dim = B.space.mesh.dim;
  const ns = B.space.element.size;
  const nc = dx.length / nq;
  const map = P.cellToCsr;
  const ns2 = ns * ns;
  const G = new Float64Array(nq * ns * dim);
  const local = new Float64Array(ns2);
  for (let c = 0; c < nc; c++) {
    const o = c * nq;
    physicalGradients(B, c, G);
    local.fill(0);
    for (let q = 0; q < nq; q++) {
      const wq = w === null ? dx[o + q] : w[o + q] * dx[o + q];
      if (wq === 0) continue;
      const g = q * ns * dim;
      for (let i = 0; i < ns; i++) {
        for (let j = i; j < ns; j++) {
          let s = 0;
          for (let k = 0; k < dim; k++) s += G[g + i * dim + k] * G[g + j * dim + k];
          local[i * ns + j] += wq * s;
        }
      }
    }
    for (let i = 0; i < ns; i++) {
      for (let j = i; j < ns; j++) {
        values[map[c * ns2 + i * ns + j]] += local[i * ns + j];
        if (j !== i) values[map[c * ns2 + j * ns + i]] += local[i * ns + j];
      }
    }
  }
}

/**
 * Adds the load vector ∫ f φ_i dξ into `b`, with f given at the quadrature points.
 *
 * @example
 * addLoad(B, sampleCoefficient(B, (xi) => 1, 'source'), b); // b_i = ∫ φ_i
 */
export function addLoad(B: MappedBasis, f: Float64Array, b: Float64Array): void {
  const { nq, dx, phi } = B;
  const ns = B.space.element.size;
  const dofs = B.space.cellDofs;
  const nc = dx.length / nq;
  for (let c = 0; c < nc; c++) {
    for (let i = 0; i < ns; i++) {
      let s = 0;
      for (let q = 0; q < nq; q++) s += f[c * nq + q] * dx[c * nq + q] * phi[q * ns + i];
      b[dofs[c * ns + i]] += s;
    }
  }
}
