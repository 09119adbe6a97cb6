import { describe, expect, it } from 'vitest';
import {
  addMass,
  addStiffness,
  type Csr,
  cellRule,
  combine,
  emptyMatrix,
  functionSpace,
  type LdlFactor,
  ldlNumeric,
  ldlSolve,
  ldlSymbolic,
  mapBasis,
  rectangleMesh,
  sparsityPattern,
} from '../src/index.js';
import { select } from '../src/linalg/ordering.js';

/** Deterministic uniform numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random sparse SPD matrix (diagonally dominant), with a few dense clusters so supernodes of several sizes occur. */
function randomSpd(n: number, density: number, seed: number): Csr {
  const r = rng(seed);
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  const add = (i: number, j: number, v: number) => {
    rows[i].set(j, (rows[i].get(j) ?? 0) + v);
    if (i !== j) rows[j].set(i, (rows[j].get(i) ?? 0) + v);
  };
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (r() < density) add(i, j, r() * 2 - 1);
  for (let c = 0; c + 9 < n; c += Math.floor(n / 3)) {
    const size = 2 + Math.floor(r() * 8);
    for (let i = c; i < c + size; i++) for (let j = c; j < i; j++) add(i, j, r() - 0.5);
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const [j, v] of rows[i]) if (j !== i) s += Math.abs(v);
    add(i, i, s + 0.1 + r());
  }
  const rowPtr = new Int32Array(n + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const entries = [...rows[i]].sort((a, b) => a[0] - b[0]);
    for (const [j, v] of entries) {
      colIdx.push(j);
      values.push(v);
    }
    rowPtr[i + 1] = colIdx.length;
  }
  return { n, rowPtr, colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) };
}

/** The plain column-by-column LDLᵀ solve (the reference for the supernodal one), nrhs = 1. */
function columnSolve(F: LdlFactor, b: Float64Array): Float64Array {
  const { n, perm, Lp } = F.symbolic;
  const { Li, Lx, D } = F;
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) y[k] = b[perm[k]];
  for (let j = 0; j < n; j++) for (let p = Lp[j]; p < Lp[j + 1]; p++) y[Li[p]] -= Lx[p] * y[j];
  for (let j = 0; j < n; j++) y[j] /= D[j];
  for (let j = n - 1; j >= 0; j--) for (let p = Lp[j]; p < Lp[j + 1]; p++) y[j] -= Lx[p] * y[Li[p]];
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) x[perm[k]] = y[k];
  return x;
}

/** Dense Gaussian elimination with partial pivoting, for small reference solves. */
function denseSolve(A: Csr, b: Float64Array): Float64Array {
  const n = A.n;
  const a = Array.from({ length: n }, () => new Float64Array(n + 1));
  for (let i = 0; i < n; i++) {
    for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) a[i][A.colIdx[p]] = A.values[p];
    a[i][n] = b[i];
  }
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i][k]) > Math.abs(a[piv][k])) piv = i;
    [a[k], a[piv]] = [a[piv], a[k]];
    for (let i = k + 1; i < n; i++) {
      const m = a[i][k] / a[k][k];
      if (m !== 0) for (let j = k; j <= n; j++) a[i][j] -= m * a[k][j];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i][n];
    for (let j = i + 1; j < n; j++) s -= a[i][j] * x[j];
    x[i] = s / a[i][i];
  }
  return x;
}

const relDiff = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  let d = 0;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i] - y[i]));
    m = Math.max(m, Math.abs(y[i]));
  }
  return d / m;
};

/** Largest supernode of an analysis (to check the blocked path is exercised). */
const largestSupernode = (s: Int32Array): number => {
  let w = 0;
  for (let k = 0; k + 1 < s.length; k++) w = Math.max(w, s[k + 1] - s[k]);
  return w;
};

describe('sparse kernels', () => {
  it('select gives the k-th smallest key, as sorting would', () => {
    const r = rng(7);
    for (let trial = 0; trial < 500; trial++) {
      const m = 1 + Math.floor(r() * 40);
      const a = Float64Array.from({ length: m }, () => Math.floor(r() * 6));
      const k = Math.floor(r() * m);
      const sorted = a.slice().sort();
      expect(select(a, k)).toBe(sorted[k]);
    }
  });

  it('supernodal LDLᵀ solves agree with dense and column-wise solves on random SPD matrices', () => {
    for (const [n, density, seed] of [
      [1, 0, 1],
      [7, 0.5, 2],
      [40, 0.1, 3],
      [120, 0.03, 4],
      [200, 0.3, 5],
    ] as const) {
      const A = randomSpd(n, density, seed);
      const r = rng(seed + 100);
      const b = Float64Array.from({ length: n }, () => r() - 0.5);
      for (const analysis of [ldlSymbolic(A), ldlSymbolic(A, undefined, 1, 4)]) {
        const F = ldlNumeric(analysis, A);
        const x = ldlSolve(F, Float64Array.from(b), 1);
        expect(relDiff(x, denseSolve(A, b))).toBeLessThan(1e-12);
        expect(relDiff(x, columnSolve(F, b))).toBeLessThan(1e-12);
        // Two interleaved right-hand sides: b and 2b − 1.
        const b2 = new Float64Array(2 * n);
        for (let i = 0; i < n; i++) {
          b2[2 * i] = b[i];
          b2[2 * i + 1] = 2 * b[i] - 1;
        }
        const x2 = ldlSolve(F, b2, 2);
        const second = Float64Array.from({ length: n }, (_, i) => 2 * b[i] - 1);
        expect(
          relDiff(
            Float64Array.from({ length: n }, (_, i) => x2[2 * i]),
            x,
          ),
        ).toBeLessThan(1e-12);
        expect(
          relDiff(
            Float64Array.from({ length: n }, (_, i) => x2[2 * i + 1]),
            denseSolve(A, second),
          ),
        ).toBeLessThan(1e-12);
      }
    }
  });

  it('supernodal LDLᵀ solves agree with the column-wise solve on an assembled FEM matrix', () => {
    const mesh = rectangleMesh([-3, -3], [3, 3], [30, 30]);
    const space = functionSpace(mesh, 1);
    const B = mapBasis(space, cellRule(2, 1));
    const P = sparsityPattern(space);
    const M = emptyMatrix(P);
    addMass(B, P, null, M.values);
    const K = emptyMatrix(P);
    addStiffness(B, P, null, K.values);
    const A = combine(1, M, 0.05, K);
    const S = ldlSymbolic(A, space.points, 2);
    expect(largestSupernode(S.super)).toBeGreaterThanOrEqual(8);
    const F = ldlNumeric(S, A);
    const r = rng(11);
    const b = Float64Array.from({ length: A.n }, () => r() - 0.5);
    const x = ldlSolve(F, Float64Array.from(b), 1);
    expect(relDiff(x, columnSolve(F, b))).toBeLessThan(1e-12);
    expect(relDiff(x, denseSolve(A, b))).toBeLessThan(1e-12);
    // Two interleaved right-hand sides (b, reversed b) against two single solves.
    const c = b.slice().reverse();
    const bc = new Float64Array(2 * A.n);
    for (let i = 0; i < A.n; i++) {
      bc[2 * i] = b[i];
      bc[2 * i + 1] = c[i];
    }
    const xc = ldlSolve(F, bc, 2);
    const y = columnSolve(F, c);
    expect(
      relDiff(
        Float64Array.from({ length: A.n }, (_, i) => xc[2 * i]),
        x,
      ),
    ).toBeLessThan(1e-12);
    expect(
      relDiff(
        Float64Array.from({ length: A.n }, (_, i) => xc[2 * i + 1]),
        y,
      ),
    ).toBeLessThan(1e-12);
  });
});
