import { describe, expect, it } from 'vitest';
import { float64Array, int32Array } from '../src/guards/alloc.js';
import { estimateMemory } from '../src/guards/memory.js';
import {
  addLoad,
  addMass,
  cellRule,
  emptyMatrix,
  functionSpace,
  intervalMesh,
  type Mesh,
  mapBasis,
  matvec,
  rectangleMesh,
  solveReactionDiffusion,
  sparsityPattern,
  validateMesh,
} from '../src/index.js';

/** A typed array that only claims a length: a check that touched its contents would fail. */
function claimed<T extends Float64ArrayConstructor | Int32ArrayConstructor>(C: T, length: number) {
  const a = Object.create(C.prototype);
  Object.defineProperty(a, 'length', { value: length });
  return a as InstanceType<T>;
}

const solve = (mesh: Mesh, extra: object = {}) =>
  solveReactionDiffusion({ mesh, diffusion: 1, initial: () => 1, times: [0, 0.5], dt: 0.1, ...extra });

describe('size limits: refused with the estimate and the limit, before allocating', () => {
  it('dof count over maxDofs (intervalMesh(-1, 1, 8e7) at degree 2 used to crash in V8)', () => {
    const cells = 8e7;
    const huge = {
      dim: 1 as const,
      points: claimed(Float64Array, cells + 1),
      cells: claimed(Int32Array, 2 * cells),
    };
    expect(() => solve(huge, { degree: 2 })).toThrow(
      /^mesh: 160000001 degrees of freedom \(about [\d.]+ GiB\), more than maxDofs = 10000000; use a coarser mesh or raise maxDofs$/,
    );
    expect(() => solve(intervalMesh(0, 1, 1000), { degree: 2, maxDofs: 2000 })).toThrow(
      /mesh: 2001 degrees of freedom .* more than maxDofs = 2000/,
    );
    expect(solve(intervalMesh(0, 1, 1000), { degree: 2, maxDofs: 2001 }).size).toBe(2001);
    expect(() => solve(intervalMesh(0, 1, 10), { maxDofs: 'many' })).toThrow(
      /maxDofs: expected a positive number/,
    );
  });

  it('estimated memory over maxMemory, from the mesh sizes and again with the exact factor size', () => {
    const mesh = rectangleMesh([0, 0], [1, 1], [40, 40]);
    expect(() => solve(mesh, { degree: 2, maxMemory: 1e6 })).toThrow(
      /mesh: the solve needs about [\d.]+ MiB \(6561 dofs, \d+ matrix nonzeros\), more than maxMemory = 977 KiB/,
    );
    // Just above the first estimate (factor size unknown, so its lower bound): refused once the
    // symbolic analysis gives the real fill of L.
    const first = estimateMemory(mesh, { degree: 1, nrhs: 1, outputs: 2, matrices: 1, solver: 'cholesky' });
    expect(first.dofs).toBe(41 * 41);
    expect(() => solve(mesh, { maxMemory: first.bytes + 1 })).toThrow(/more than maxMemory/);
    expect(solve(mesh, { maxMemory: 4 * first.bytes }).size).toBe(41 * 41);
    // The nonzero count of the estimate is exact on conforming meshes.
    for (const degree of [1, 2] as const) {
      for (const m of [mesh, intervalMesh(0, 1, 17)]) {
        const est = estimateMemory(m, { degree, nrhs: 1, outputs: 1, matrices: 1, solver: 'cg' });
        const P = sparsityPattern(functionSpace(m, degree));
        expect(est.nonzeros).toBe(P.colIdx.length);
        expect(est.dofs).toBe(P.n);
      }
    }
  });

  it('mesh generators refuse absurd sizes by name', () => {
    expect(() => rectangleMesh([0, 0], [1, 1], [1e5, 1e5])).toThrow(
      /^rectangleMesh: cells = \[100000, 100000\]: the mesh needs 373 GiB, more than maxMemory = 4 GiB; raise maxMemory to allow it$/,
    );
    expect(() => intervalMesh(0, 1, 1e9)).toThrow(
      /intervalMesh: cells = 1000000000: the mesh needs 14.9 GiB/,
    );
    expect(() => intervalMesh(0, 1, 100, { maxMemory: 1000 })).toThrow(
      /needs 1.57 KiB, more than maxMemory = 1000 B/,
    );
    expect(intervalMesh(0, 1, 100, { maxMemory: 2000 }).cells.length).toBe(200);
    // Vertex numbers past Int32: refused before the big arrays are allocated.
    expect(() =>
      rectangleMesh([0, 0], [1, 1], [50000, 50000], { maxMemory: Number.POSITIVE_INFINITY }),
    ).toThrow(
      /rectangleMesh: cells = \[50000, 50000\]: points: 2500100001 is more than Int32 indices can address/,
    );
  });

  it('typed-array allocation fails with a named error, not a RangeError', () => {
    expect(() => float64Array(2 ** 33, 'mapBasis: quadrature points')).toThrow(
      /^mapBasis: quadrature points: 8589934592 entries \(64 GiB\) exceed the largest typed array/,
    );
    expect(() => int32Array(-1, 'cells')).toThrow(/^cells: cannot allocate an array of -1 entries$/);
    expect(() => int32Array(Number.NaN, 'cells')).toThrow(/cells: cannot allocate/);
  });

  it('a vertex in hundreds of cells keeps its full matrix row (the row buffer used to overflow)', () => {
    // A fan: 300 triangles around the origin.
    const k = 300;
    const points = new Float64Array(2 * (k + 1));
    const cells = new Int32Array(3 * k);
    for (let i = 0; i < k; i++) {
      points[2 + 2 * i] = Math.cos((2 * Math.PI * i) / k);
      points[3 + 2 * i] = Math.sin((2 * Math.PI * i) / k);
      cells.set([0, 1 + i, 1 + ((i + 1) % k)], 3 * i);
    }
    const mesh = validateMesh({ dim: 2, points, cells });
    for (const degree of [1, 2] as const) {
      const V = functionSpace(mesh, degree);
      const B = mapBasis(V, cellRule(2, degree));
      const P = sparsityPattern(V);
      expect(P.rowPtr[1] - P.rowPtr[0]).toBe(degree === 1 ? k + 1 : 3 * k + 1);
      const M = emptyMatrix(P);
      addMass(B, P, null, M.values);
      // Columns strictly increasing in every row, and M symmetric entry by entry.
      const entry = new Map<number, number>();
      for (let i = 0; i < V.size; i++) {
        for (let p = P.rowPtr[i]; p < P.rowPtr[i + 1]; p++) {
          if (p > P.rowPtr[i]) expect(P.colIdx[p]).toBeGreaterThan(P.colIdx[p - 1]);
          entry.set(i * V.size + P.colIdx[p], M.values[p]);
        }
      }
      for (const [key, v] of entry) {
        const i = Math.floor(key / V.size);
        expect(entry.get((key % V.size) * V.size + i)).toBeCloseTo(v, 15);
      }
      // M·1 = ∫φ_i for every row, as the load of f = 1 gives.
      const row = matvec(M, new Float64Array(V.size).fill(1), new Float64Array(V.size));
      const load = new Float64Array(V.size);
      addLoad(B, new Float64Array(B.dx.length).fill(1), load);
      for (let i = 0; i < V.size; i++) expect(row[i]).toBeCloseTo(load[i], 12);
    }
  });
});
