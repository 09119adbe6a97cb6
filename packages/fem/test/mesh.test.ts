import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  axisNodes,
  cellCount,
  dofPoints,
  errorL2,
  intervalMesh,
  readGmsh,
  rectangleMesh,
  solveReactionDiffusion,
  validateMesh,
} from '../src/index.js';

const fixture = readFileSync(new URL('./fixtures/square.msh', import.meta.url), 'utf8');

describe('meshes', () => {
  it('intervalMesh and rectangleMesh have the expected sizes', () => {
    expect(intervalMesh(-1, 1, 10).points.length).toBe(11);
    const m = rectangleMesh([-60, -60], [60, 60], [200, 200]);
    expect(m.points.length / 2).toBe(40401);
    expect(cellCount(m)).toBe(80000);
    expect(validateMesh(m)).toBe(m);
  });

  it('grading concentrates cells at the point with the requested size ratio', () => {
    const x = axisNodes(-10, 10, 100, { grading: { towards: 2, ratio: 8 } });
    const h = Array.from({ length: 100 }, (_, i) => x[i + 1] - x[i]);
    expect(x).toContain(2);
    const ratio = Math.max(...h) / Math.min(...h);
    expect(ratio).toBeGreaterThan(6);
    expect(ratio).toBeLessThan(10);
    const i2 = x.indexOf(2);
    expect(Math.min(...h)).toBeCloseTo(Math.min(h[i2 - 1], h[i2]), 12);
  });

  it('breakpoints become nodes, in 1D and per axis in 2D', () => {
    const x = axisNodes(-1, 1, 10, { breakpoints: [0.33, -0.71] });
    expect(x).toContain(0.33);
    expect(x).toContain(-0.71);
    for (let i = 0; i < 10; i++) expect(x[i + 1]).toBeGreaterThan(x[i]);
    const m = rectangleMesh([0, 0], [1, 1], [7, 7], { breakpoints: [[0.5], [0.25]] });
    const xs = new Set<number>();
    const ys = new Set<number>();
    for (let i = 0; i < m.points.length; i += 2) {
      xs.add(m.points[i]);
      ys.add(m.points[i + 1]);
    }
    expect(xs.has(0.5) && ys.has(0.25)).toBe(true);
    expect(() => axisNodes(0, 1, 2, { breakpoints: [0.4, 0.6] })).toThrow(/breakpoints.*too close/);
  });

  it('rejects degenerate, inverted and badly indexed cells and unused points', () => {
    const p = new Float64Array([0, 0, 1, 0, 0, 1, 1, 1]);
    const ok = new Int32Array([0, 1, 2, 1, 3, 2]);
    expect(() => validateMesh({ dim: 2, points: p, cells: ok })).not.toThrow();
    expect(() => validateMesh({ dim: 2, points: p, cells: new Int32Array([0, 2, 1, 1, 3, 2]) })).toThrow(
      /cell 0 is inverted/,
    );
    expect(() =>
      validateMesh({
        dim: 2,
        points: new Float64Array([0, 0, 1, 1, 2, 2]),
        cells: new Int32Array([0, 1, 2]),
      }),
    ).toThrow(/cell 0 is degenerate/);
    expect(() => validateMesh({ dim: 2, points: p, cells: new Int32Array([0, 1, 2, 1, 4, 2]) })).toThrow(
      /cell 1 refers to point 4, out of range/,
    );
    expect(() => validateMesh({ dim: 2, points: p, cells: new Int32Array([0, 1, 2]) })).toThrow(
      /point 3 is not a vertex of any cell/,
    );
    expect(() =>
      validateMesh({ dim: 1, points: new Float64Array([0, 1]), cells: new Int32Array([1, 0]) }),
    ).toThrow(/inverted/);
  });

  it('reads the Gmsh fixture (MSH 4.1), reorients cells and solves on it', () => {
    const mesh = readGmsh(fixture);
    expect(mesh.dim).toBe(2);
    expect(mesh.points.length / 2).toBe(25);
    expect(cellCount(mesh)).toBe(32);
    // Zero flux, constant coefficients: the mean is conserved without reaction, so a constant
    // stays constant and a cosine mode decays at D k².
    const k = Math.PI / 4;
    const sol = solveReactionDiffusion({
      mesh,
      degree: 2,
      diffusion: 0.5,
      initial: (xi) => Math.cos(k * (xi[0] + 2)),
      times: [1],
      dt: 0.01,
    });
    const exact = (xi: ArrayLike<number>) => Math.cos(k * (xi[0] + 2)) * Math.exp(-0.5 * k * k);
    expect(errorL2(sol, 0, exact)).toBeLessThan(1e-2); // ‖u‖ ≈ 2
  });

  it('reports unreadable mesh files', () => {
    expect(() => readGmsh('hello')).toThrow(/readGmsh: .*not a Gmsh mesh/);
    expect(() => readGmsh(fixture.replace('4.1 0 8', '2.2 0 8'))).toThrow(/version 2.2 is not supported/);
    expect(() => readGmsh(fixture.replace(/\$Elements[\s\S]*/, ''))).toThrow(/no \$Elements/);
    expect(() => readGmsh(fixture.replace('-2 -2 0\n', 'abc -2 0\n'))).toThrow(
      /expected a number, got 'abc'/,
    );
  });

  it('dofPoints: vertices first, then edge midpoints', () => {
    expect(Array.from(dofPoints(intervalMesh(0, 1, 2), 2))).toEqual([0, 0.5, 1, 0.25, 0.75]);
    const mesh = rectangleMesh([0, 0], [1, 1], [2, 2]);
    expect(dofPoints(mesh, 1)).toBe(mesh.points);
    expect(dofPoints(mesh, 2).length / 2).toBe(25);
  });
});
