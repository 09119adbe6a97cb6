import { checkIndexCount, float64Array, int32Array } from './alloc.js';
import type { MappedBasis } from './geometry.js';
import type { FunctionSpace } from './space.js';
import type { Csr } from './sparse/csr.js';

/** A coefficient: a constant or a function of the point ξ (an array of length dim). */
export type Coefficient = number | ((xi: Float64Array) => number);

/**
 * The sparsity pattern of a space (dofs coupled by a cell) and, for every cell, the positions
 * of its `size × size` local entries in the CSR value array, so all forms scatter without search.
 */
export interface Pattern {
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** `cellToCsr[(c * size + i) * size + j]`: where local entry (i, j) of cell c goes. */
  readonly cellToCsr: Int32Array;
}

/**
 * Builds the sparsity pattern of a function space.
 *
 * @example
 * const P = sparsityPattern(functionSpace(intervalMesh(0, 1, 3), 1));
 * Array.from(P.rowPtr); // [0, 2, 5, 8, 10]
 */
export function sparsityPattern(space: FunctionSpace): Pattern {
  const { size: n, cellDofs } = space;
  const ns = space.element.size;
  const nc = cellDofs.length / ns;
  // dof → incident cells
  const cstart = new Int32Array(n + 1);
  for (let k = 0; k < cellDofs.length; k++) cstart[cellDofs[k] + 1]++;
  for (let i = 0; i < n; i++) cstart[i + 1] += cstart[i];
  const cfill = cstart.slice(0, n);
  const incid = int32Array(cellDofs.length, 'sparsityPattern: incident cells');
  for (let k = 0; k < cellDofs.length; k++) incid[cfill[cellDofs[k]]++] = k; // k = c*ns + local
  // Row i couples to the dofs of the cells around i: at most (incident cells) × ns of them.
  let most = 0;
  for (let i = 0; i < n; i++) most = Math.max(most, cstart[i + 1] - cstart[i]);
  const buf = new Int32Array(most * ns);
  const mark = new Int32Array(n).fill(-1);
  const gather = (i: number): number => {
    let m = 0;
    for (let p = cstart[i]; p < cstart[i + 1]; p++) {
      const base = incid[p] - (incid[p] % ns);
      for (let j = 0; j < ns; j++) {
        const d = cellDofs[base + j];
        if (mark[d] !== i) {
          mark[d] = i;
          buf[m++] = d;
        }
      }
    }
    return m;
  };
  // Two passes (count, then fill) keep the pattern in typed arrays of the exact size.
  const rowPtr = int32Array(n + 1, 'sparsityPattern: row pointers');
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    nnz += gather(i);
    checkIndexCount(nnz, 'sparsityPattern: nonzeros');
    rowPtr[i + 1] = nnz;
  }
  mark.fill(-1);
  const colIdx = int32Array(nnz, 'sparsityPattern: column indices');
  for (let i = 0; i < n; i++) {
    const m = gather(i);
    colIdx.set(buf.subarray(0, m).sort(), rowPtr[i]);
  }
  const pos = new Int32Array(n);
  const cellToCsr = int32Array(nc * ns * ns, 'sparsityPattern: cell-to-matrix map');
  for (let i = 0; i < n; i++) {
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) pos[colIdx[p]] = p;
    for (let p = cstart[i]; p < cstart[i + 1]; p++) {
      const k = incid[p];
      const li = k % ns;
      const base = k - li;
      for (let j = 0; j < ns; j++) cellToCsr[(base + li) * ns + j] = pos[cellDofs[base + j]];
    }
  }
  return { n, rowPtr, colIdx, cellToCsr };
}

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
  if (typeof f !== 'function') throw new Error(`${name}: expected a number or a function of ξ`);
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
 * Adds the weighted stiffness matrix ∫ w ∇φ_j·∇φ_i dξ into `values`.
 *
 * @example
 * addStiffness(B, P, D, A.values); // D-weighted stiffness K_D of THEORY §4
 */
export function addStiffness(B: MappedBasis, P: Pattern, w: Float64Array | null, values: Float64Array): void {
  const { nq, dx, dphi, invJ } = B;
  const dim = B.space.mesh.dim;
  const ns = B.space.element.size;
  const nc = dx.length / nq;
  const map = P.cellToCsr;
  const ns2 = ns * ns;
  const G = new Float64Array(nq * ns * dim);
  const local = new Float64Array(ns2);
  for (let c = 0; c < nc; c++) {
    const o = c * nq;
    if (dim === 1) {
      const j = invJ[c];
      for (let k = 0; k < nq * ns; k++) G[k] = dphi[k] * j;
    } else {
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

/**
 * An all-zero CSR matrix with the pattern's structure, ready for `add*`.
 *
 * @example
 * const M = emptyMatrix(P); addMass(B, P, null, M.values);
 */
export function emptyMatrix(P: Pattern): Csr {
  return {
    n: P.n,
    rowPtr: P.rowPtr,
    colIdx: P.colIdx,
    values: float64Array(P.colIdx.length, 'matrix values'),
  };
}
