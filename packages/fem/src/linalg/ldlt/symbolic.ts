import { checkIndexCount, int32Array } from '../../guards/alloc.js';
import type { Csr } from '../csr.js';
import { nestedDissection } from '../ordering.js';

/**
 * The symbolic part of a sparse LDLᵀ factorisation: the fill-reducing permutation, the
 * elimination tree and the column structure of L. Depends only on the sparsity pattern, so
 * matrices M + θ dt A for every step size share one analysis.
 */
export interface LdlSymbolic {
  readonly n: number;
  /** perm[new] = old. */
  readonly perm: Int32Array;
  readonly parent: Int32Array;
  /** Column pointers of L (strictly lower part, unit diagonal implied). */
  readonly Lp: Int32Array;
  /** Permuted upper triangle (row ≤ column) of the pattern, by columns: rows and source positions. */
  readonly Cp: Int32Array;
  readonly Ci: Int32Array;
  readonly Csrc: Int32Array;
  /** Number of nonzeros of L. */
  readonly nnz: number;
  /**
   * Supernodes: supernode s is the maximal run of columns super[s] .. super[s + 1] − 1 in which
   * each column j but the last has parent(j) = j + 1 and one more nonzero than column j + 1.
   * Since struct(L_{*,j}) \ {j + 1} ⊆ struct(L_{*,j+1}) when parent(j) = j + 1, the counts give
   * struct(L_{*,j}) = {j + 1} ∪ struct(L_{*,j+1}): all columns of a supernode share the
   * off-diagonal rows of its last column. These are the supernodes of Liu, Ng and Peyton (1993),
   * not the fundamental ones: column j + 1 may have other children in the elimination tree, which
   * the solves do not care about. super[last] = n.
   */
  readonly super: Int32Array;
}

/**
 * Orders (nested dissection, geometric when `coords` are given) and analyses a symmetric pattern.
 *
 * @example
 * const S = ldlSymbolic(A, space.points, 2);
 * S.nnz; // nonzeros of L
 */
export function ldlSymbolic(A: Csr, coords?: Float64Array, dim = 1, leafSize = 24): LdlSymbolic {
  const { n, rowPtr, colIdx } = A;
  const perm = nestedDissection(n, rowPtr, colIdx, coords, dim, leafSize);
  const pinv = new Int32Array(n);
  for (let k = 0; k < n; k++) pinv[perm[k]] = k;
  // Upper triangle of PAPᵀ by columns: column k holds rows i ≤ k (A symmetric, so row kk of A
  // gives column k).
  const Cp = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) {
    const kk = perm[k];
    let c = 0;
    for (let p = rowPtr[kk]; p < rowPtr[kk + 1]; p++) if (pinv[colIdx[p]] <= k) c++;
    Cp[k + 1] = Cp[k] + c;
  }
  const Ci = int32Array(Cp[n], 'ldlSymbolic: upper triangle');
  const Csrc = int32Array(Cp[n], 'ldlSymbolic: upper triangle');
  for (let k = 0; k < n; k++) {
    const kk = perm[k];
    let q = Cp[k];
    for (let p = rowPtr[kk]; p < rowPtr[kk + 1]; p++) {
      const i = pinv[colIdx[p]];
      if (i <= k) {
        Ci[q] = i;
        Csrc[q++] = p;
      }
    }
  }
  // Elimination tree and column counts (Davis, LDL).
  const parent = new Int32Array(n);
  const flag = new Int32Array(n);
  const Lnz = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    parent[k] = -1;
    flag[k] = k;
    for (let p = Cp[k]; p < Cp[k + 1]; p++) {
      for (let i = Ci[p]; i < k && flag[i] !== k; i = parent[i]) {
        if (parent[i] === -1) parent[i] = k;
        Lnz[i]++;
        flag[i] = k;
      }
    }
  }
  let nnz = 0;
  for (let k = 0; k < n; k++) nnz += Lnz[k];
  checkIndexCount(nnz, 'ldlSymbolic: nonzeros of the factor L');
  const Lp = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) Lp[k + 1] = Lp[k] + Lnz[k];
  return { n, perm, parent, Lp, Cp, Ci, Csrc, nnz: Lp[n], super: supernodes(n, parent, Lp) };
}

/** First columns of the supernodes (see {@link LdlSymbolic.super}), then n. */
function supernodes(n: number, parent: Int32Array, Lp: Int32Array): Int32Array {
  const starts = new Int32Array(n + 1);
  let count = 0;
  for (let j = 0; j < n; j++) {
    if (j === 0 || parent[j - 1] !== j || Lp[j] - Lp[j - 1] !== Lp[j + 1] - Lp[j] + 1) starts[count++] = j;
  }
  starts[count++] = n;
  return starts.slice(0, count);
}
