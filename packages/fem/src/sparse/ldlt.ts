import { checkIndexCount, float64Array, int32Array } from '../alloc.js';
import type { Csr } from './csr.js';
import { nestedDissection } from './ordering.js';

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
   * Fundamental supernodes: supernode s is the run of columns super[s] .. super[s + 1] − 1 where
   * parent(j) = j + 1 and struct(L_{*,j}) = {j + 1} ∪ struct(L_{*,j+1}); all its columns share the
   * off-diagonal rows of its last column. super[last] = n.
   */
  readonly super: Int32Array;
}

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

/** A numeric LDLᵀ factorisation, L unit lower triangular by columns. */
export interface LdlFactor {
  readonly symbolic: LdlSymbolic;
  readonly Li: Int32Array;
  readonly Lx: Float64Array;
  readonly D: Float64Array;
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

/** First columns of the fundamental supernodes (see {@link LdlSymbolic.super}), then n. */
function supernodes(n: number, parent: Int32Array, Lp: Int32Array): Int32Array {
  const starts = new Int32Array(n + 1);
  let count = 0;
  for (let j = 0; j < n; j++) {
    if (j === 0 || parent[j - 1] !== j || Lp[j] - Lp[j - 1] !== Lp[j + 1] - Lp[j] + 1) starts[count++] = j;
  }
  starts[count++] = n;
  return starts.slice(0, count);
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
      let p = Lp[i];
      for (; p + 3 < p2; p += 4) {
        // distinct rows: independent updates
        const i0 = Li[p];
        const i1 = Li[p + 1];
        const i2 = Li[p + 2];
        const i3 = Li[p + 3];
        Y[i0] -= Lx[p] * yi;
        Y[i1] -= Lx[p + 1] * yi;
        Y[i2] -= Lx[p + 2] * yi;
        Y[i3] -= Lx[p + 3] * yi;
      }
      for (; p < p2; p++) Y[Li[p]] -= Lx[p] * yi;
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

/**
 * Solves A X = B for `nrhs` right-hand sides stored interleaved (`b[i * nrhs + r]`), in place.
 * One pass over L serves all right-hand sides.
 *
 * @example
 * const x = Float64Array.from(b); ldlSolve(F, x, 1);
 */
export function ldlSolve(F: LdlFactor, x: Float64Array, nrhs = 1, work?: Float64Array): Float64Array {
  const { n, perm, Lp } = F.symbolic;
  const { Li, Lx, D } = F;
  const y = work && work.length >= n * nrhs ? work : new Float64Array(n * nrhs);
  if (nrhs === 1) {
    for (let k = 0; k < n; k++) y[k] = x[perm[k]];
    if (Lp[n] < 4 * n) {
      // Very sparse factor (1D chains): plain column sweeps have the least overhead.
      for (let j = 0; j < n; j++) {
        const yj = y[j];
        if (yj !== 0) for (let p = Lp[j], e = Lp[j + 1]; p < e; p++) y[Li[p]] -= Lx[p] * yj;
      }
      for (let j = 0; j < n; j++) y[j] /= D[j];
      for (let j = n - 1; j >= 0; j--) {
        let s = y[j];
        for (let p = Lp[j], e = Lp[j + 1]; p < e; p++) s -= Lx[p] * y[Li[p]];
        y[j] = s;
      }
    } else {
      supernodalForward(F, y);
      for (let j = 0; j < n; j++) y[j] /= D[j];
      supernodalBackward(F, y);
    }
    for (let k = 0; k < n; k++) x[perm[k]] = y[k];
    return x;
  }
  if (nrhs === 2) {
    for (let k = 0; k < n; k++) {
      y[2 * k] = x[2 * perm[k]];
      y[2 * k + 1] = x[2 * perm[k] + 1];
    }
    const sparse = Lp[n] < 4 * n;
    if (sparse) columnForward2(F, y, 0, n);
    else supernodalForward2(F, y);
    for (let j = 0; j < n; j++) {
      y[2 * j] /= D[j];
      y[2 * j + 1] /= D[j];
    }
    if (sparse) columnBackward2(F, y, 0, n);
    else supernodalBackward2(F, y);
    for (let k = 0; k < n; k++) {
      x[2 * perm[k]] = y[2 * k];
      x[2 * perm[k] + 1] = y[2 * k + 1];
    }
    return x;
  }
  throw new Error(`ldlSolve: nrhs must be 1 or 2, got ${nrhs}`);
}

/**
 * L z = b in place for one right-hand side, by supernodes: within a supernode f..l−1 the
 * off-diagonal part of column c starts at Lp[c] + (l − 1 − c) and all columns share the row list
 * of column l − 1, so four columns are applied together — one row index and one update of y per
 * four nonzeros. Singleton columns use a four-way unrolled scatter.
 */
function supernodalForward(F: LdlFactor, y: Float64Array): void {
  const { Lp } = F.symbolic;
  const sup = F.symbolic.super;
  const { Li, Lx } = F;
  for (let s = 0, ns = sup.length - 1; s < ns; s++) {
    const f = sup[s];
    const l = sup[s + 1];
    if (l - f < 4) {
      // Narrow supernode: plain column sweep (no blocking overhead, e.g. 1D chains).
      for (let j = f; j < l; j++) {
        const yj = y[j];
        if (yj === 0) continue;
        let p = Lp[j];
        const e = Lp[j + 1];
        for (; p + 3 < e; p += 4) {
          const i0 = Li[p];
          const i1 = Li[p + 1];
          const i2 = Li[p + 2];
          const i3 = Li[p + 3];
          y[i0] -= Lx[p] * yj;
          y[i1] -= Lx[p + 1] * yj;
          y[i2] -= Lx[p + 2] * yj;
          y[i3] -= Lx[p + 3] * yj;
        }
        for (; p < e; p++) y[Li[p]] -= Lx[p] * yj;
      }
      continue;
    }
    // Diagonal block, column by column.
    for (let c = f; c < l - 1; c++) {
      const yc = y[c];
      const p0 = Lp[c];
      for (let q = 0, e = l - 1 - c; q < e; q++) y[c + 1 + q] -= Lx[p0 + q] * yc;
    }
    const rb = Lp[l - 1];
    const r = Lp[l] - rb;
    let c = f;
    for (; c + 3 < l; c += 4) {
      const o0 = Lp[c] + (l - 1 - c);
      const o1 = Lp[c + 1] + (l - 2 - c);
      const o2 = Lp[c + 2] + (l - 3 - c);
      const o3 = Lp[c + 3] + (l - 4 - c);
      const y0 = y[c];
      const y1 = y[c + 1];
      const y2 = y[c + 2];
      const y3 = y[c + 3];
      for (let t = 0; t < r; t++) {
        y[Li[rb + t]] -= Lx[o0 + t] * y0 + Lx[o1 + t] * y1 + (Lx[o2 + t] * y2 + Lx[o3 + t] * y3);
      }
    }
    for (; c < l; c++) {
      const yc = y[c];
      if (yc === 0) continue;
      const o = Lp[c] + (l - 1 - c);
      let t = 0;
      for (; t + 3 < r; t += 4) {
        const i0 = Li[rb + t];
        const i1 = Li[rb + t + 1];
        const i2 = Li[rb + t + 2];
        const i3 = Li[rb + t + 3];
        y[i0] -= Lx[o + t] * yc;
        y[i1] -= Lx[o + t + 1] * yc;
        y[i2] -= Lx[o + t + 2] * yc;
        y[i3] -= Lx[o + t + 3] * yc;
      }
      for (; t < r; t++) y[Li[rb + t]] -= Lx[o + t] * yc;
    }
  }
}

/** Lᵀ x = z in place for one right-hand side, by supernodes (see {@link supernodalForward}). */
function supernodalBackward(F: LdlFactor, y: Float64Array): void {
  const { Lp } = F.symbolic;
  const sup = F.symbolic.super;
  const { Li, Lx } = F;
  for (let s = sup.length - 2; s >= 0; s--) {
    const f = sup[s];
    const l = sup[s + 1];
    if (l - f < 4) {
      for (let j = l - 1; j >= f; j--) {
        let s0 = y[j];
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let p = Lp[j];
        const e = Lp[j + 1];
        for (; p + 3 < e; p += 4) {
          s0 -= Lx[p] * y[Li[p]];
          s1 -= Lx[p + 1] * y[Li[p + 1]];
          s2 -= Lx[p + 2] * y[Li[p + 2]];
          s3 -= Lx[p + 3] * y[Li[p + 3]];
        }
        for (; p < e; p++) s0 -= Lx[p] * y[Li[p]];
        y[j] = s0 + s1 + (s2 + s3);
      }
      continue;
    }
    const rb = Lp[l - 1];
    const r = Lp[l] - rb;
    // Off-diagonal rows (already final) first, four columns at a time.
    let c = f;
    for (; c + 3 < l; c += 4) {
      const o0 = Lp[c] + (l - 1 - c);
      const o1 = Lp[c + 1] + (l - 2 - c);
      const o2 = Lp[c + 2] + (l - 3 - c);
      const o3 = Lp[c + 3] + (l - 4 - c);
      let s0 = y[c];
      let s1 = y[c + 1];
      let s2 = y[c + 2];
      let s3 = y[c + 3];
      for (let t = 0; t < r; t++) {
        const yr = y[Li[rb + t]];
        s0 -= Lx[o0 + t] * yr;
        s1 -= Lx[o1 + t] * yr;
        s2 -= Lx[o2 + t] * yr;
        s3 -= Lx[o3 + t] * yr;
      }
      y[c] = s0;
      y[c + 1] = s1;
      y[c + 2] = s2;
      y[c + 3] = s3;
    }
    for (; c < l; c++) {
      const o = Lp[c] + (l - 1 - c);
      let s0 = y[c];
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t = 0;
      for (; t + 3 < r; t += 4) {
        s0 -= Lx[o + t] * y[Li[rb + t]];
        s1 -= Lx[o + t + 1] * y[Li[rb + t + 1]];
        s2 -= Lx[o + t + 2] * y[Li[rb + t + 2]];
        s3 -= Lx[o + t + 3] * y[Li[rb + t + 3]];
      }
      for (; t < r; t++) s0 -= Lx[o + t] * y[Li[rb + t]];
      y[c] = s0 + s1 + (s2 + s3);
    }
    // Diagonal block, last column first.
    for (let c2 = l - 2; c2 >= f; c2--) {
      const p0 = Lp[c2];
      let a = y[c2];
      for (let q = 0, e = l - 1 - c2; q < e; q++) a -= Lx[p0 + q] * y[c2 + 1 + q];
      y[c2] = a;
    }
  }
}

/** Forward column sweep over columns j0..j1−1 for two interleaved right-hand sides. */
function columnForward2(F: LdlFactor, y: Float64Array, j0: number, j1: number): void {
  const { Lp } = F.symbolic;
  const { Li, Lx } = F;
  for (let j = j0; j < j1; j++) {
    const a = y[2 * j];
    const b = y[2 * j + 1];
    let p = Lp[j];
    const e = Lp[j + 1];
    for (; p + 1 < e; p += 2) {
      const i0 = 2 * Li[p];
      const i1 = 2 * Li[p + 1];
      const l0 = Lx[p];
      const l1 = Lx[p + 1];
      y[i0] -= l0 * a;
      y[i0 + 1] -= l0 * b;
      y[i1] -= l1 * a;
      y[i1 + 1] -= l1 * b;
    }
    if (p < e) {
      const i = 2 * Li[p];
      y[i] -= Lx[p] * a;
      y[i + 1] -= Lx[p] * b;
    }
  }
}

/** Backward column sweep over columns j1−1 down to j0 for two interleaved right-hand sides. */
function columnBackward2(F: LdlFactor, y: Float64Array, j0: number, j1: number): void {
  const { Lp } = F.symbolic;
  const { Li, Lx } = F;
  for (let j = j1 - 1; j >= j0; j--) {
    let a0 = y[2 * j];
    let b0 = y[2 * j + 1];
    let a1 = 0;
    let b1 = 0;
    let p = Lp[j];
    const e = Lp[j + 1];
    for (; p + 1 < e; p += 2) {
      const i0 = 2 * Li[p];
      const i1 = 2 * Li[p + 1];
      const l0 = Lx[p];
      const l1 = Lx[p + 1];
      a0 -= l0 * y[i0];
      b0 -= l0 * y[i0 + 1];
      a1 -= l1 * y[i1];
      b1 -= l1 * y[i1 + 1];
    }
    if (p < e) {
      const i = 2 * Li[p];
      a0 -= Lx[p] * y[i];
      b0 -= Lx[p] * y[i + 1];
    }
    y[2 * j] = a0 + a1;
    y[2 * j + 1] = b0 + b1;
  }
}

/** L z = b for two interleaved right-hand sides, by supernodes, two columns per pass. */
function supernodalForward2(F: LdlFactor, y: Float64Array): void {
  const { Lp } = F.symbolic;
  const sup = F.symbolic.super;
  const { Li, Lx } = F;
  for (let s = 0, ns = sup.length - 1; s < ns; s++) {
    const f = sup[s];
    const l = sup[s + 1];
    if (l - f < 4) {
      columnForward2(F, y, f, l);
      continue;
    }
    for (let c = f; c < l - 1; c++) {
      const a = y[2 * c];
      const b = y[2 * c + 1];
      const p0 = Lp[c];
      for (let q = 0, e = l - 1 - c; q < e; q++) {
        const i = 2 * (c + 1 + q);
        y[i] -= Lx[p0 + q] * a;
        y[i + 1] -= Lx[p0 + q] * b;
      }
    }
    const rb = Lp[l - 1];
    const r = Lp[l] - rb;
    let c = f;
    for (; c + 1 < l; c += 2) {
      const o0 = Lp[c] + (l - 1 - c);
      const o1 = Lp[c + 1] + (l - 2 - c);
      const a0 = y[2 * c];
      const b0 = y[2 * c + 1];
      const a1 = y[2 * c + 2];
      const b1 = y[2 * c + 3];
      for (let t = 0; t < r; t++) {
        const i = 2 * Li[rb + t];
        const l0 = Lx[o0 + t];
        const l1 = Lx[o1 + t];
        y[i] -= l0 * a0 + l1 * a1;
        y[i + 1] -= l0 * b0 + l1 * b1;
      }
    }
    if (c < l) {
      const o = Lp[c] + (l - 1 - c);
      const a = y[2 * c];
      const b = y[2 * c + 1];
      for (let t = 0; t < r; t++) {
        const i = 2 * Li[rb + t];
        y[i] -= Lx[o + t] * a;
        y[i + 1] -= Lx[o + t] * b;
      }
    }
  }
}

/** Lᵀ x = z for two interleaved right-hand sides, by supernodes (see {@link supernodalForward2}). */
function supernodalBackward2(F: LdlFactor, y: Float64Array): void {
  const { Lp } = F.symbolic;
  const sup = F.symbolic.super;
  const { Li, Lx } = F;
  for (let s = sup.length - 2; s >= 0; s--) {
    const f = sup[s];
    const l = sup[s + 1];
    if (l - f < 4) {
      columnBackward2(F, y, f, l);
      continue;
    }
    const rb = Lp[l - 1];
    const r = Lp[l] - rb;
    let c = f;
    for (; c + 1 < l; c += 2) {
      const o0 = Lp[c] + (l - 1 - c);
      const o1 = Lp[c + 1] + (l - 2 - c);
      let a0 = y[2 * c];
      let b0 = y[2 * c + 1];
      let a1 = y[2 * c + 2];
      let b1 = y[2 * c + 3];
      for (let t = 0; t < r; t++) {
        const i = 2 * Li[rb + t];
        const ya = y[i];
        const yb = y[i + 1];
        const l0 = Lx[o0 + t];
        const l1 = Lx[o1 + t];
        a0 -= l0 * ya;
        b0 -= l0 * yb;
        a1 -= l1 * ya;
        b1 -= l1 * yb;
      }
      y[2 * c] = a0;
      y[2 * c + 1] = b0;
      y[2 * c + 2] = a1;
      y[2 * c + 3] = b1;
    }
    if (c < l) {
      const o = Lp[c] + (l - 1 - c);
      let a = y[2 * c];
      let b = y[2 * c + 1];
      for (let t = 0; t < r; t++) {
        const i = 2 * Li[rb + t];
        a -= Lx[o + t] * y[i];
        b -= Lx[o + t] * y[i + 1];
      }
      y[2 * c] = a;
      y[2 * c + 1] = b;
    }
    for (let c2 = l - 2; c2 >= f; c2--) {
      const p0 = Lp[c2];
      let a = y[2 * c2];
      let b = y[2 * c2 + 1];
      for (let q = 0, e = l - 1 - c2; q < e; q++) {
        const i = 2 * (c2 + 1 + q);
        a -= Lx[p0 + q] * y[i];
        b -= Lx[p0 + q] * y[i + 1];
      }
      y[2 * c2] = a;
      y[2 * c2 + 1] = b;
    }
  }
}
