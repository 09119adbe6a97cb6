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

  it('rejects duplicated, overlapping and non-conforming 1D cells', () => {
    const mesh1 = (pts: number[], cells: number[]) => ({
      dim: 1 as const,
      points: Float64Array.from(pts),
      cells: Int32Array.from(cells),
    });
    // The same cell twice used to double every integral (‖1‖ = √2 on [0, 1]).
    expect(() => validateMesh(mesh1([0, 1], [0, 1, 0, 1]))).toThrow(
      /^mesh.cells: cells 0 and 1 are the same interval \(\[0, 1\] and \[0, 1\]\)$/,
    );
    expect(() =>
      solveReactionDiffusion({
        mesh: mesh1([0, 1], [0, 1, 0, 1]),
        diffusion: 1,
        initial: () => 1,
        times: [1],
        dt: 0.1,
      }),
    ).toThrow(/mesh.cells: cells 0 and 1 are the same interval/);
    expect(() => validateMesh(mesh1([0, 1, 2, 3], [0, 2, 1, 3]))).toThrow(
      /cells 0 and 1 overlap \(\[0, 2\] and \[1, 3\]\)/,
    );
    expect(() => validateMesh(mesh1([0, 1, 2, 3], [1, 2, 0, 3]))).toThrow(/cells 0 and 1 overlap/);
    expect(() => validateMesh(mesh1([0, 1, 1, 2], [0, 1, 2, 3]))).toThrow(
      /cells 0 and 1 meet at ξ = 1 through different points \(1 and 2\): a duplicated point/,
    );
    // Fine: cells in any order, and a gap (two separate intervals).
    expect(() => validateMesh(mesh1([0, 1, 2, 3], [2, 3, 1, 2, 0, 1]))).not.toThrow();
    expect(() => validateMesh(mesh1([0, 1, 2, 3], [0, 1, 2, 3]))).not.toThrow();
    expect(() => validateMesh(mesh1([0, 1e-300], [0, 1]))).toThrow(/cell 0 is too small \(measure 1e-300\)/);
    expect(() => validateMesh(mesh1([0, 1e300], [0, 1]))).toThrow(/cell 0 is too large \(measure 1e\+300\)/);
  });

  it('rejects duplicated, overlapping and non-conforming triangles', () => {
    const mesh2 = (pts: number[], cells: number[]) => ({
      dim: 2 as const,
      points: Float64Array.from(pts),
      cells: Int32Array.from(cells),
    });
    const square = [0, 0, 1, 0, 0, 1, 1, 1];
    expect(() => validateMesh(mesh2(square, [0, 1, 2, 1, 3, 2, 1, 2, 0]))).toThrow(
      /^mesh.cells: cells 0 and 2 have the same vertices \(points 0, 1, 2\)$/,
    );
    // A third triangle on the edge 2→1, on the same side as cell 1.
    expect(() => validateMesh(mesh2([...square, 2, 2], [0, 1, 2, 1, 3, 2, 1, 4, 2]))).toThrow(
      /cells 1 and 2 lie on the same side of the edge from point 2 to point 1: they overlap, or the edge is shared by more than two cells/,
    );
    const grid = rectangleMesh([0, 0], [3, 3], [3, 3]);
    const np = grid.points.length / 2;
    const plus = (pts: number[], tri: number[]) =>
      mesh2([...grid.points, ...pts], [...grid.cells, ...tri.map((v) => v + np)]);
    // A separate triangle lying inside the mesh: no shared edge, found by the winding number.
    expect(() => validateMesh(plus([1.2, 1.2, 1.6, 1.2, 1.2, 1.6], [0, 1, 2]))).toThrow(
      /^mesh.cells: cell 18 overlaps other cells \(1 cell lies just outside its boundary edge from point 16 to point 17/,
    );
    // One sticking out through the boundary: boundary edges cross.
    expect(() => validateMesh(plus([2.5, 1.2, 3.5, 1.2, 2.5, 1.6], [0, 1, 2]))).toThrow(
      /boundary edges .* cross: cells \d+ and 18 overlap/,
    );
    // A hanging node: the right square is split at (1, 0.5), the left one is not.
    const hanging = mesh2(
      [0, 0, 1, 0, 1, 1, 0, 1, 2, 0, 2, 1, 1, 0.5],
      [0, 1, 2, 0, 2, 3, 1, 4, 6, 4, 5, 6, 5, 2, 6],
    );
    expect(() => validateMesh(hanging)).toThrow(
      /the boundary edges 1→2 \(cell 0\) and \d→\d \(cell \d\) overlap: cells 0 and \d overlap, or the mesh has a hanging node/,
    );
    // Duplicated points along a seam: two squares that do not share their common edge's points.
    const seam = mesh2(
      [0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 2, 0, 2, 1, 1, 1],
      [0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7],
    );
    expect(() => validateMesh(seam)).toThrow(/boundary edges .* touch away from a shared point/);
    // Fine: a hole (the middle cell removed), and two squares touching at one corner.
    const holed = mesh2(
      Array.from(grid.points),
      Array.from(grid.cells).filter((_, i) => Math.floor(i / 6) !== 4),
    );
    expect(() => validateMesh(holed)).not.toThrow();
    const pinched = mesh2([0, 0, 1, 0, 1, 1, 0, 1, 2, 1, 2, 2, 1, 2], [0, 1, 2, 0, 2, 3, 2, 4, 5, 2, 5, 6]);
    expect(() => validateMesh(pinched)).not.toThrow();
    const graded = rectangleMesh([-1, -1], [1, 1], [30, 20], {
      grading: { towards: [0.3, -0.9], ratio: 50 },
    });
    expect(() => validateMesh(graded)).not.toThrow();
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

  it('malformed Gmsh files: one line naming the section and line', () => {
    const lines = fixture.split('\n');
    const edit = (k: number, line: string | null) =>
      [...lines.slice(0, k - 1), ...(line === null ? [] : [line]), ...lines.slice(k)].join('\n');
    const cut = (k: number) => lines.slice(0, k).join('\n');
    expect(() => readGmsh(cut(40))).toThrow(
      /^readGmsh: line 40 \(\$Nodes\): unexpected end of file: the file is truncated inside \$Nodes$/,
    );
    expect(() => readGmsh(cut(90))).toThrow(/line 90 \(\$Elements\): unexpected end of file/);
    expect(() => readGmsh(fixture.replace('4.1 0 8', '4.1 1 8'))).toThrow(
      /line 2 \(\$MeshFormat\): binary MSH files are not supported/,
    );
    expect(() => readGmsh(fixture.replace('4.1 0 8', '4'))).toThrow(
      /line 2 \(\$MeshFormat\): format line .* expected 3 numbers/,
    );
    expect(() => readGmsh(edit(79, '2 1 9 32'))).toThrow(
      /^readGmsh: line 79 \(\$Elements\): element type 9 \(6-node second-order triangle\) is not supported/,
    );
    expect(() => readGmsh(edit(80, '6 1 2 99'))).toThrow(
      /^readGmsh: line 80 \(\$Elements\): element 6 refers to node tag 99, which \$Nodes does not define$/,
    );
    expect(() => readGmsh(edit(20, '1'))).toThrow(/line 20 \(\$Nodes\): node tag 1 appears twice/);
    expect(() => readGmsh(edit(44, '-2 -2'))).toThrow(
      /line 44 \(\$Nodes\): expected 3 numbers \(x y z\), got '-2 -2'/,
    );
    expect(() => readGmsh(edit(17, '1 26 1 26'))).toThrow(
      /\(\$Nodes\): the header declares 26 nodes, the blocks hold 25/,
    );
    expect(() => readGmsh(edit(71, '3 36 1 37'))).toThrow(/\(\$Elements\): the header declares 36 elements/);
    expect(() => readGmsh(edit(69, null))).toThrow(
      /line 69 \(\$Nodes\): expected \$EndNodes, got '\$Elements': more entries than the section header declares/,
    );
    expect(() => readGmsh(edit(17, '1 x 1 25'))).toThrow(/line 17 \(\$Nodes\): expected a number, got 'x'/);
    expect(() => readGmsh(edit(18, '2 1 0 -3'))).toThrow(
      /node block 1 size: expected a non-negative integer, got '-3'/,
    );
    // Content the reader would otherwise get silently wrong.
    expect(() => readGmsh(edit(44, '-2 -2 0.5'))).toThrow(
      /^readGmsh: element \d+ has a node at \(-2, -2, 0\.5\), off the plane z = 0 of most nodes: only planar meshes are read$/,
    );
    const dup = [...lines.slice(0, 70), '3 38 1 38', ...lines.slice(71, 78), '2 1 2 33', ...lines.slice(79)];
    dup.splice(dup.indexOf('$EndElements'), 0, '38 1 2 7');
    expect(() => readGmsh(dup.join('\n'))).toThrow(
      /^readGmsh.cells: elements 6 and 38 have the same vertices \(nodes 1, 2, 7\)$/,
    );
  });

  it('1D Gmsh meshes: lines on the x axis', () => {
    const msh = (ys: number[]) =>
      [
        '$MeshFormat',
        '4.1 0 8',
        '$EndMeshFormat',
        '$Nodes',
        '1 3 1 3',
        '1 1 0 3',
        '1',
        '2',
        '3',
        ...ys.map((y, i) => `${i} ${y} 0`),
        '$EndNodes',
        '$Elements',
        '1 2 1 2',
        '1 1 1 2',
        '1 1 2',
        '2 2 3',
        '$EndElements',
      ].join('\n');
    expect(Array.from(readGmsh(msh([0, 0, 0])).points)).toEqual([0, 1, 2]);
    expect(() => readGmsh(msh([0, 0, 0.5]))).toThrow(
      /^readGmsh: element 2 has a node at \(2, 0\.5, 0\), off the line y = 0, z = 0 of most nodes: only straight meshes are read$/,
    );
  });

  it('dofPoints: vertices first, then edge midpoints', () => {
    expect(Array.from(dofPoints(intervalMesh(0, 1, 2), 2))).toEqual([0, 0.5, 1, 0.25, 0.75]);
    const mesh = rectangleMesh([0, 0], [1, 1], [2, 2]);
    expect(dofPoints(mesh, 1)).toBe(mesh.points);
    expect(dofPoints(mesh, 2).length / 2).toBe(25);
  });
});
