import { gather, scatter } from './kernels.js';
import type { LdlFactor } from './numeric.js';
import { columnBackward2, columnForward2, supernodalBackward2, supernodalForward2 } from './solve2.js';

/**
 * Solves A X = B for `nrhs` right-hand sides stored interleaved (`b[i * nrhs + r]`), in place.
 * One pass over L serves all right-hand sides. Very sparse factors (fewer than four nonzeros per
 * column, as in 1D) are swept column by column, which has the least overhead; others by
 * supernodes, several columns per pass over their shared rows.
 *
 * @example
 * const x = Float64Array.from(b); ldlSolve(F, x, 1);
 */
export function ldlSolve(F: LdlFactor, x: Float64Array, nrhs = 1, work?: Float64Array): Float64Array {
  const { n, perm, Lp } = F.symbolic;
  const { Li, Lx, D } = F;
  const y = work && work.length >= n * nrhs ? work : new Float64Array(n * nrhs);
  const sparse = Lp[n] < 4 * n;
  if (nrhs === 1) {
    for (let k = 0; k < n; k++) y[k] = x[perm[k]];
    if (sparse) {
      columnForward(F, y, 0, n);
      for (let j = 0; j < n; j++) y[j] /= D[j];
      for (let j = n - 1; j >= 0; j--) {
        let s = y[j]; // one running sum: such columns hold a handful of entries
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

/** L z = b over columns j0..j1−1, one column at a time, for one right-hand side. */
function columnForward(F: LdlFactor, y: Float64Array, j0: number, j1: number): void {
  const { Lp } = F.symbolic;
  const { Li, Lx } = F;
  for (let j = j0; j < j1; j++) {
    const yj = y[j];
    if (yj !== 0) scatter(y, Li, Lx, Lp[j], Lp[j], Lp[j + 1] - Lp[j], yj);
  }
}

/**
 * L z = b in place for one right-hand side, by supernodes (see `LdlSymbolic.super`): within a
 * supernode f..l−1, column c holds the diagonal block rows c + 1..l − 1 first, then the r rows of
 * column l − 1 from Lp[c] + (l − 1 − c) on. Four columns are applied together over those shared
 * rows — one row index and one update of y per four nonzeros; the l − f mod 4 columns left over
 * are applied one at a time, and supernodes narrower than four column by column.
 */
function supernodalForward(F: LdlFactor, y: Float64Array): void {
  const { Lp } = F.symbolic;
  const sup = F.symbolic.super;
  const { Li, Lx } = F;
  for (let s = 0, ns = sup.length - 1; s < ns; s++) {
    const f = sup[s];
    const l = sup[s + 1];
    if (l - f < 4) {
      columnForward(F, y, f, l);
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
      if (yc !== 0) scatter(y, Li, Lx, rb, Lp[c] + (l - 1 - c), r, yc);
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
      for (let j = l - 1; j >= f; j--) y[j] = gather(y, Li, Lx, Lp[j], Lp[j], Lp[j + 1] - Lp[j], y[j]);
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
    for (; c < l; c++) y[c] = gather(y, Li, Lx, rb, Lp[c] + (l - 1 - c), r, y[c]);
    // Diagonal block, last column first.
    for (let c2 = l - 2; c2 >= f; c2--) {
      const p0 = Lp[c2];
      let a = y[c2];
      for (let q = 0, e = l - 1 - c2; q < e; q++) a -= Lx[p0 + q] * y[c2 + 1 + q];
      y[c2] = a;
    }
  }
}
