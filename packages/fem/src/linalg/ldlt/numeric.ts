import { float64Array, int32Array } from '../../guards/alloc.js';
import type { Csr } from '../csr.js';
import { scatter } from './kernels.js';
import type { LdlSymbolic } from './symbolic.js';

/**
 * A pivot of {@link ldlNumeric} that is not finite, not positive, or negligible next to its
 * diagonal entry (below 4ε·A_kk: the matrix is singular in double precision). `row` is the
 * row of the original (unpermuted) matrix; callers add what the matrix means.
 *
 * @example
 * try { ldlNumeric(S, A); } catch (e) { if (e instanceof PivotError) e.row; } // the failing row
 */
export class PivotError extends Error {
  constructor(
    readonly row: number,
    readonly pivot: number,
    readonly diagonal: number,
    readonly kind: 'non-finite' | 'not-positive' | 'singular',
  ) {
    super(
      `ldlNumeric: pivot ${pivot} in row ${row} (diagonal entry ${diagonal}): ${
        kind === 'non-finite'
          ? 'the matrix has non-finite entries'
          : kind === 'not-positive'
            ? 'the matrix is not positive definite'
            : 'the matrix is singular in double precision'
      }`,
    );
    this.name = 'PivotError';
  }
}

/**
 * A numeric LDLᵀ factorisation, L unit lower triangular by columns; the rows of each column are
 * increasing (the solves rely on it to find a supernode's diagonal block).
 */
export interface LdlFactor {
  readonly symbolic: LdlSymbolic;
  readonly Li: Int32Array;
  readonly Lx: Float64Array;
  readonly D: Float64Array;
}

/**
 * Numeric LDLᵀ of a symmetric positive definite matrix with the analysed pattern (up-looking,
 * row by row). Throws a {@link PivotError} naming the row if a pivot is not finite, not positive
 * (the matrix is not positive definite) or below 4ε times its diagonal entry (singular in double
 * precision: for an SPD matrix d_k ≥ λ_min, so this means a condition number past 10^15).
 *
 * @example
 * const F = ldlNumeric(S, combine(1, M, dt / 2, A));
 */
export function ldlNumeric(S: LdlSymbolic, A: Csr): LdlFactor {
  const { n, parent, Lp, Cp, Ci, Csrc } = S;
  const Av = A.values;
  const Li = int32Array(S.nnz, 'ldlNumeric: row indices of L');
  const Lx = float64Array(S.nnz, 'ldlNumeric: values of L');
  const D = new Float64Array(n);
  const Y = new Float64Array(n);
  const flag = new Int32Array(n);
  const pattern = new Int32Array(n);
  const Lnz = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    // Row k of L: scatter row k of A into Y and find its pattern by walking up the elimination tree.
    let top = n;
    flag[k] = k;
    let akk = 0;
    for (let p = Cp[k]; p < Cp[k + 1]; p++) {
      let i = Ci[p];
      if (i === k) akk = Av[Csrc[p]];
      Y[i] += Av[Csrc[p]];
      let len = 0;
      for (; flag[i] !== k; i = parent[i]) {
        pattern[len++] = i;
        flag[i] = k;
      }
      while (len > 0) pattern[--top] = pattern[--len];
    }
    let d = Y[k];
    Y[k] = 0;
    for (; top < n; top++) {
      const i = pattern[top];
      const yi = Y[i];
      Y[i] = 0;
      const p2 = Lp[i] + Lnz[i];
      scatter(Y, Li, Lx, Lp[i], Lp[i], p2 - Lp[i], yi);
      const lki = yi / D[i];
      d -= lki * yi;
      Li[p2] = k;
      Lx[p2] = lki;
      Lnz[i]++;
    }
    if (!(d > 4 * Number.EPSILON * Math.abs(akk)) || !Number.isFinite(d)) {
      const kind =
        !Number.isFinite(d) || !Number.isFinite(akk) ? 'non-finite' : d < 0 ? 'not-positive' : 'singular';
      throw new PivotError(S.perm[k], d, akk, kind);
    }
    D[k] = d;
  }
  return { symbolic: S, Li, Lx, D };
}
