import { describe, expect, it } from 'vitest';
import {
  cellRule,
  dofPoints,
  frequencyDynamics,
  gaussInterval,
  intervalMesh,
  ldlNumeric,
  ldlSolve,
  ldlSymbolic,
  matvec,
  nestedDissection,
  nodalFunction,
  rectangleMesh,
  solveReactionDiffusion,
  stepPlan,
  toVtu,
  triangleRule,
} from '../src/index.js';

describe('quadrature', () => {
  it('Gauss rules on [0, 1] integrate x^k exactly up to their degree', () => {
    for (const d of [1, 3, 4, 6, 9]) {
      const q = gaussInterval(d);
      for (let k = 0; k <= d; k++) {
        const s = q.weights.reduce((a, w, i) => a + w * q.points[i] ** k, 0);
        expect(s).toBeCloseTo(1 / (k + 1), 13);
      }
    }
  });

  it('triangle rules integrate x^a y^b = a! b! / (a + b + 2)! exactly up to their degree', () => {
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    for (const d of [1, 2, 4, 6, 8]) {
      const q = triangleRule(d);
      expect(q.degree).toBeGreaterThanOrEqual(d);
      for (let a = 0; a <= d; a++) {
        for (let b = 0; a + b <= d; b++) {
          let s = 0;
          for (let i = 0; i < q.weights.length; i++)
            s += q.weights[i] * q.points[2 * i] ** a * q.points[2 * i + 1] ** b;
          expect(s).toBeCloseTo((fact(a) * fact(b)) / fact(a + b + 2), 12);
        }
      }
    }
    expect(cellRule(2, 2).degree).toBeGreaterThanOrEqual(6);
    expect(cellRule(1, 1).degree).toBeGreaterThanOrEqual(4);
  });
});

describe('sparse solvers', () => {
  it('LDLᵀ with nested dissection solves an SPD system, with and without coordinates', () => {
    const n = 30;
    const rowPtr = [0];
    const cols: number[] = [];
    const vals: number[] = [];
    const id = (i: number, j: number) => i * n + j;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const nb = [
          [i - 1, j],
          [i, j - 1],
          [i, j],
          [i, j + 1],
          [i + 1, j],
        ].filter(([a, b]) => a >= 0 && b >= 0 && a < n && b < n);
        for (const [a, b] of nb) {
          cols.push(id(a, b));
          vals.push(a === i && b === j ? 4.01 : -1);
        }
        rowPtr.push(cols.length);
      }
    }
    const A = {
      n: n * n,
      rowPtr: Int32Array.from(rowPtr),
      colIdx: Int32Array.from(cols),
      values: Float64Array.from(vals),
    };
    const coords = new Float64Array(2 * n * n).map((_, k) =>
      k % 2 === 0 ? Math.floor(k / 2 / n) : (k / 2) % n,
    );
    const x = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i));
    const b = matvec(A, x, new Float64Array(n * n));
    for (const c of [coords, undefined]) {
      const perm = nestedDissection(A.n, A.rowPtr, A.colIdx, c, 2);
      expect(new Set(perm).size).toBe(n * n);
      const S = ldlSymbolic(A, c, 2);
      expect(S.nnz).toBeLessThan(0.6 * n * n * n); // below the band ordering's n³
      const y = ldlSolve(ldlNumeric(S, A), Float64Array.from(b));
      for (let i = 0; i < n * n; i++) expect(y[i]).toBeCloseTo(x[i], 10);
    }
  });

  it("'cg' and 'cholesky' agree on the frequency-dynamics problem", () => {
    const p = frequencyDynamics({
      dim: 2,
      density: (xi) => Math.exp(-(xi[0] ** 2 + xi[1] ** 2) / 8),
      sigmaA: 0.5,
    });
    const opts = {
      mesh: rectangleMesh([-5, -5], [5, 5], [20, 20]),
      degree: 2 as const,
      ...p,
      initial: (xi: Float64Array) => Math.exp(-(xi[0] ** 2 + (xi[1] - 1) ** 2)),
      times: [0.5, 1],
      dt: 0.05,
    };
    const a = solveReactionDiffusion(opts).values(1).re;
    const b = solveReactionDiffusion({ ...opts, solver: 'cg' }).values(1).re;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 8);
  });
});

describe('solution interface', () => {
  it('hits output times exactly, reports progress, accepts nodal initial data and exports .vtu', () => {
    expect(stepPlan([0, 1, 2.5], 0.4).map((s) => s.steps)).toEqual([0, 3, 4]);
    const mesh = intervalMesh(0, 3, 30);
    const pts = dofPoints(mesh, 2);
    const re = pts.map((x) => Math.cos((Math.PI * x) / 3));
    const im = pts.map((x) => Math.cos((2 * Math.PI * x) / 3));
    const progress: number[] = [];
    const sol = solveReactionDiffusion({
      mesh,
      degree: 2,
      diffusion: 0.1,
      initial: { re, im },
      times: [0, 0.35, 1],
      dt: 0.05,
      scheme: 'bdf2',
      onProgress: (f) => progress.push(f),
    });
    expect(sol.times).toEqual([0, 0.35, 1]);
    expect(sol.steps).toBe(7 + 13);
    expect(progress[progress.length - 1]).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);
    expect(Array.from(sol.values(0).re)).toEqual(Array.from(re));
    expect(sol.dofPoints).toEqual(pts);
    // Each part decays at its own rate D k².
    const v = sol.evaluate(2, [0, 3]);
    const e1 = Math.exp(-0.1 * (Math.PI / 3) ** 2);
    const e2 = Math.exp(-0.1 * ((2 * Math.PI) / 3) ** 2);
    expect(v.re[0]).toBeCloseTo(e1, 3);
    expect(v.im[1]).toBeCloseTo(e2, 3);
    const vtu = toVtu(sol, 2);
    expect(vtu).toContain(`NumberOfPoints="${sol.size}" NumberOfCells="30"`);
    expect(vtu).toMatch(/<DataArray type="UInt8" Name="types" format="ascii">21 21/);
  });
});

describe('nodalFunction', () => {
  it('evaluates the P1 and P2 interpolants of nodal values, exactly for their polynomials', () => {
    const m = intervalMesh(-1, 1, 4);
    for (const degree of [1, 2] as const) {
      const xs = dofPoints(m, degree);
      const poly = (x: number) => (degree === 1 ? 3 * x - 1 : x * x - x);
      const g = nodalFunction(m, degree, {
        re: Float64Array.from(xs, poly),
        im: Float64Array.from(xs, (x) => -poly(x)),
      });
      const at = g.evaluate([-0.9, 0.13, 0.77]);
      [-0.9, 0.13, 0.77].forEach((x, k) => {
        expect(at.re[k]).toBeCloseTo(poly(x), 12);
        expect(at.im[k]).toBeCloseTo(-poly(x), 12);
      });
    }
    expect(() => nodalFunction(m, 1, { re: new Float64Array(2), im: new Float64Array(2) })).toThrow(
      /values: expected 5/,
    );
  });
});
