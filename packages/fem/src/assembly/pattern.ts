import { checkIndexCount, float64Array, int32Array } from '../guards/alloc.js';
import type { Csr } from '../linalg/csr.js';
import type { FunctionSpace } from '../space/function-space.js';

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
