/**
 * The triangular sweeps of `ldlSolve` (solve.ts) for two right-hand sides interleaved in y
 * (`y[2 i + r]`: the real and imaginary parts of complex data), so each entry of L is read once
 * for both. Same supernode layout as the one-right-hand-side sweeps in solve.ts, two columns per
 * pass.
 */
import { scatter2 } from './kernels.js';
import type { LdlFactor } from './numeric.js';

/** L z = b over columns j0..j1−1, one column at a time. */
export function columnForward2(F: LdlFactor, y: Float64Array, j0: number, j1: number): void {
  const { Lp } = F.symbolic;
  const { Li, Lx } = F;
  for (let j = j0; j < j1; j++) scatter2(y, Li, Lx, Lp[j], Lp[j], Lp[j + 1] - Lp[j], y[2 * j], y[2 * j + 1]);
}

/** Lᵀ x = z over columns j1−1 down to j0, one column at a time. */
export function columnBackward2(F: LdlFactor, y: Float64Array, j0: number, j1: number): void {
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

/** L z = b by supernodes, two columns per pass over their shared rows. */
export function supernodalForward2(F: LdlFactor, y: Float64Array): void {
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
    if (c < l) scatter2(y, Li, Lx, rb, Lp[c] + (l - 1 - c), r, y[2 * c], y[2 * c + 1]);
  }
}

/** Lᵀ x = z by supernodes (see {@link supernodalForward2}). */
export function supernodalBackward2(F: LdlFactor, y: Float64Array): void {
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
