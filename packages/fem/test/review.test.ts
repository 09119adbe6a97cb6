import { describe, expect, it } from 'vitest';
import {
  dofPoints,
  errorH1,
  errorL2,
  intervalMesh,
  type Mesh,
  normH1,
  normL2,
  rectangleMesh,
  solveReactionDiffusion,
  stepPlan,
  toVtu,
} from '../src/index.js';
import { decayTimeErrors, manufactured, rate } from './manufactured.js';

const L = 3;

describe('BDF2 across step-size changes', () => {
  // Output times 0.37 and 1 are no multiples of dt, so each interval gets its own step size and
  // BDF2 restarts (one backward-Euler step) at 0.37. u = e^{−t} φ on a fine P2 mesh: the error
  // is the time error, and the restart must not spoil second order.
  const times = [0.37, 1];
  const run = (dt: number) => decayTimeErrors(L, 'bdf2', dt, times);

  it('keeps second order and matches the exact solution at both outputs', () => {
    const dts = [0.1, 0.05, 0.025];
    for (const dt of dts) {
      const [a, b] = stepPlan(times, dt);
      expect(a.h).not.toBeCloseTo(b.h, 6); // the premise: the step size changes at t = 0.37
    }
    const errors = dts.map(run);
    for (const k of [0, 1]) {
      const r = rate(errors[1][k], errors[2][k]);
      expect(r).toBeGreaterThan(1.8);
      expect(r).toBeLessThan(2.2);
    }
    expect(errors[2][1]).toBeLessThan(3e-4); // ‖u(1)‖ ≈ 0.64
  });
});

describe('H1 norms and errors: the gradient part', () => {
  const steadyError = (mesh: Mesh, degree: 1 | 2) => {
    const m = manufactured(
      mesh.dim,
      L,
      () => 1,
      () => 0,
    );
    const sol = solveReactionDiffusion({
      mesh,
      degree,
      diffusion: m.diffusion,
      reaction: m.reaction,
      source: m.source,
      initial: m.exact(0),
      times: [40],
      dt: 2,
      scheme: 'backward-euler',
    });
    const h1 = errorH1(sol, 0, m.exact(0), m.gradient(0));
    const l2 = errorL2(sol, 0, m.exact(0));
    return Math.sqrt(h1 * h1 - l2 * l2); // ‖∇u_h − ∇u‖
  };

  it.each([
    [1, 1, [16, 32, 64]],
    [1, 2, [8, 16, 32]],
    [2, 1, [8, 16, 32]],
    [2, 2, [4, 8, 16]],
  ] as const)('dim %i, P%i: H1 seminorm error ~ h^p', (dim, degree, ns) => {
    const errors = ns.map((n) =>
      steadyError(dim === 1 ? intervalMesh(-L, L, n) : rectangleMesh([-L, -L], [L, L], [n, n]), degree),
    );
    const r = rate(errors[1], errors[2]);
    expect(r).toBeGreaterThan(degree - 0.2);
    expect(r).toBeLessThan(degree + 0.25);
  });

  it('normH1 of cos(πξ) on [0, 1] is sqrt((1 + π²) / 2)', () => {
    const sol = solveReactionDiffusion({
      mesh: intervalMesh(0, 1, 64),
      degree: 2,
      diffusion: 1,
      initial: (xi) => Math.cos(Math.PI * xi[0]),
      times: [0],
      dt: 1,
    });
    expect(normL2(sol, 0)).toBeCloseTo(Math.sqrt(0.5), 6);
    expect(normH1(sol, 0)).toBeCloseTo(Math.sqrt((1 + Math.PI ** 2) / 2), 5);
    // With the exact gradient the H1 error is small; with a wrong one it is the gradient's norm.
    const u = (xi: ArrayLike<number>) => Math.cos(Math.PI * xi[0]);
    expect(errorH1(sol, 0, u, (xi) => [-Math.PI * Math.sin(Math.PI * xi[0])])).toBeLessThan(1e-3);
    expect(errorH1(sol, 0, u, () => [0])).toBeCloseTo(Math.PI / Math.sqrt(2), 4);
  });
});

describe('CG with two right-hand sides', () => {
  it('complex data with a source: CG matches LDLᵀ in both parts', () => {
    const mesh = rectangleMesh([-2, -2], [2, 2], [12, 12]);
    const opts = {
      mesh,
      degree: 2 as const,
      diffusion: (xi: Float64Array) => 0.5 + 0.4 * Math.exp(-(xi[0] ** 2)),
      reaction: (xi: Float64Array) => 0.3 * (1 + xi[1] ** 2),
      source: (xi: Float64Array, t: number) => Math.sin(xi[0]) * Math.exp(-t),
      initial: {
        re: (xi: Float64Array) => Math.exp(-((xi[0] - 0.5) ** 2 + xi[1] ** 2)),
        im: (xi: Float64Array) => Math.cos(xi[0] + 2 * xi[1]),
      },
      times: [0.2, 0.5],
      dt: 0.05,
    };
    const a = solveReactionDiffusion(opts);
    const b = solveReactionDiffusion({ ...opts, solver: 'cg', tolerance: 1e-13 });
    for (const k of [0, 1]) {
      const [x, y] = [a.values(k), b.values(k)];
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < a.size; i++) {
        worst = Math.max(worst, Math.abs(x.re[i] - y.re[i]), Math.abs(x.im[i] - y.im[i]));
        scale = Math.max(scale, Math.abs(x.im[i]));
      }
      expect(scale).toBeGreaterThan(0.1); // the imaginary part is really there
      expect(worst).toBeLessThan(1e-9);
    }
  });
});

/** The text of the DataArray named `name` (or the first one of a section), as numbers. */
function dataArray(xml: string, where: string): number[] {
  const m = xml.match(new RegExp(`<DataArray [^>]*${where}[^>]*>([^<]*)</DataArray>`));
  if (!m) throw new Error(`no DataArray ${where}`);
  return m[1].trim().split(/\s+/).map(Number);
}

describe('VTU export', () => {
  it('2D P2: counts, quadratic-triangle connectivity and values parse back', () => {
    const mesh = rectangleMesh([0, 0], [2, 1], [3, 2]);
    const pts = dofPoints(mesh, 2);
    const re = pts.filter((_, i) => i % 2 === 0).map((x, i) => x + 0.1 * i);
    const im = pts.filter((_, i) => i % 2 === 1).map((y) => y * y - 1 / 3);
    const sol = solveReactionDiffusion({
      mesh,
      degree: 2,
      diffusion: 1,
      initial: { re, im },
      times: [0, 0.1],
      dt: 0.05,
    });
    const xml = toVtu(sol, 0);
    expect(xml.startsWith('<?xml version="1.0"?>\n<VTKFile type="UnstructuredGrid"')).toBe(true);
    const piece = xml.match(/<Piece NumberOfPoints="(\d+)" NumberOfCells="(\d+)">/);
    const nc = mesh.cells.length / 3;
    expect(piece?.slice(1).map(Number)).toEqual([sol.size, nc]);
    expect(sol.size).toBe(12 + 23); // vertices, then 9 + 8 + 6 edges
    const points = dataArray(xml, 'NumberOfComponents="3"');
    const conn = dataArray(xml, 'Name="connectivity"');
    const offsets = dataArray(xml, 'Name="offsets"');
    const types = dataArray(xml, 'Name="types"');
    expect(points.length).toBe(3 * sol.size);
    expect(conn.length).toBe(6 * nc);
    expect(offsets).toEqual(Array.from({ length: nc }, (_, c) => 6 * (c + 1)));
    expect(new Set(types)).toEqual(new Set([22])); // VTK_QUADRATIC_TRIANGLE
    // VTK's node order: three vertices (counter-clockwise), then the midpoints of 0–1, 1–2, 2–0.
    const P = (i: number) => [points[3 * i], points[3 * i + 1], points[3 * i + 2]];
    for (let c = 0; c < nc; c++) {
      const v = conn.slice(6 * c, 6 * c + 6).map(P);
      const area = (v[1][0] - v[0][0]) * (v[2][1] - v[0][1]) - (v[2][0] - v[0][0]) * (v[1][1] - v[0][1]);
      expect(area).toBeGreaterThan(0);
      for (let k = 0; k < 3; k++) {
        const [a, b] = [v[k], v[(k + 1) % 3]];
        expect(v[3 + k]).toEqual([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, 0]);
      }
    }
    const u = sol.values(0);
    expect(dataArray(xml, 'Name="re"')).toEqual(Array.from(u.re));
    expect(dataArray(xml, 'Name="im"')).toEqual(Array.from(u.im));
    expect(dataArray(xml, 'Name="abs"')).toEqual(Array.from(u.re, (r, i) => Math.hypot(r, u.im[i])));
    expect(dataArray(xml, 'Name="TimeValue"')).toEqual([0]);
    expect(dataArray(toVtu(sol, 1), 'Name="TimeValue"')).toEqual([0.1]);
    expect(() => toVtu(sol, 2)).toThrow(/k: output index must be an integer in \[0, 1\], got 2/);
  });
});
