import type { Mesh } from '../mesh/types.js';
import { cellRule } from '../quadrature/index.js';
import { formatBytes } from './alloc.js';

/** Default `maxDofs`: larger problems are refused before anything is allocated. */
export const DEFAULT_MAX_DOFS = 1e7;
/** Default `maxMemory` in bytes (4 GiB): larger estimates are refused before the work starts. */
export const DEFAULT_MAX_MEMORY = 2 ** 32;

/** Sizes that decide the memory of a solve, see {@link estimateMemory}. */
export interface ProblemSize {
  /** Degrees of freedom (for P2 on triangles an estimate from Euler's formula until the mesh is numbered). */
  readonly dofs: number;
  /** Nonzeros of the mass and stiffness matrices. */
  readonly nonzeros: number;
  /** Estimated bytes of the whole solve (see {@link estimateMemory}). */
  readonly bytes: number;
}

/** What {@link estimateMemory} needs besides the mesh. */
export interface MemoryPlan {
  degree: 1 | 2;
  /** 1 for real, 2 for complex data. */
  nrhs: number;
  /** Number of output times (each keeps a copy of the solution). */
  outputs: number;
  /** Step matrices alive at once (each with its factorisation for Cholesky). */
  matrices: number;
  solver: 'cholesky' | 'cg';
  /** Nonzeros of L once known (after the symbolic analysis); before, the lower triangle of the matrix. */
  factorNonzeros?: number;
  /** The exact dof count, once the space is built. */
  dofs?: number;
  /** A mass coefficient is sampled at the quadrature points too (default false). */
  mass?: boolean;
}

/**
 * Estimated memory of a solve from the mesh sizes: space, mapped basis, pattern, mass and
 * stiffness matrices, coefficient samples, the step matrices and their factors, work vectors
 * and the stored outputs. Counts follow the arrays the code allocates; the nonzero count is exact
 * for conforming meshes (P2 on triangles: 6 per cell plus 3 per edge off the diagonal, twice).
 *
 * @example
 * estimateMemory(rectangleMesh([0, 0], [1, 1], [100, 100]), { degree: 1, nrhs: 1, outputs: 2, matrices: 1, solver: 'cholesky' }).dofs; // 10201
 */
export function estimateMemory(mesh: Mesh, plan: MemoryPlan): ProblemSize {
  const { dim } = mesh;
  const { degree } = plan;
  const np = mesh.points.length / dim;
  const nc = mesh.cells.length / (dim + 1);
  // Edges of a triangulation of a simply connected domain: V − E + F = 1.
  const edges = dim === 1 ? nc : np + nc - 1;
  const n = plan.dofs ?? (degree === 1 ? np : np + edges);
  const ns = degree === 1 ? dim + 1 : dim === 1 ? 3 : 6;
  const offDiagonal = degree === 1 ? 2 * edges : dim === 1 ? 6 * nc : 2 * (6 * nc + 3 * edges);
  const nnz = n + offDiagonal;
  const nq = cellRule(dim, degree).weights.length;
  const nrhs = plan.nrhs;
  let bytes = 0;
  bytes += degree === 2 ? 4 * nc * ns + 8 * n * dim : 0; // cell dofs, dof points
  bytes += 8 * nc * nq * (dim + 1) + 8 * nc * dim * dim; // quadrature points, weights, J⁻¹
  bytes += 4 * (n + 1) + 4 * nnz + 4 * nc * ns * ns; // pattern and cell-to-matrix map
  bytes += 16 * nnz + (plan.mass ? 24 : 16) * nc * nq; // M, A; D, R (and c) at the quadrature points
  bytes += 8 * n * nrhs * 7 + plan.outputs * n * (8 * nrhs + 16); // work vectors, outputs
  const k = plan.matrices;
  if (plan.solver === 'cholesky') {
    const nnzL = plan.factorNonzeros ?? (nnz - n) / 2;
    bytes += 24 * n + 4 * (nnz + n); // symbolic: perm, parent, Lp, Cp, Ci, Csrc
    bytes += k * (8 * nnz + 12 * nnzL + 8 * n + 16 * n); // step matrix, L, D, solve work
    bytes += 8 * nnz; // Crank–Nicolson right-hand side matrix
  } else {
    bytes += k * 8 * nnz + 8 * nnz + 56 * n; // step matrices, CN matrix, CG vectors
  }
  return { dofs: n, nonzeros: nnz, bytes };
}

/**
 * Throws, with the estimate and the limit, when a problem exceeds `maxDofs` or `maxMemory`.
 *
 * @example
 * checkProblemSize({ dofs: 2e7, nonzeros: 6e7, bytes: 3e9 }, {}); // throws: mesh: 20000000 degrees of freedom, more than maxDofs = 10000000 …
 */
export function checkProblemSize(size: ProblemSize, limits: { maxDofs?: number; maxMemory?: number }): void {
  const maxDofs = limit('maxDofs', limits.maxDofs ?? DEFAULT_MAX_DOFS);
  const maxMemory = limit('maxMemory', limits.maxMemory ?? DEFAULT_MAX_MEMORY);
  if (size.dofs > maxDofs)
    throw new Error(
      `mesh: ${size.dofs} degrees of freedom (about ${formatBytes(size.bytes)}), more than maxDofs = ${maxDofs}; use a coarser mesh or raise maxDofs`,
    );
  if (size.bytes > maxMemory)
    throw new Error(
      `mesh: the solve needs about ${formatBytes(size.bytes)} (${size.dofs} dofs, ${size.nonzeros} matrix nonzeros), more than maxMemory = ${formatBytes(maxMemory)}; use a coarser mesh, fewer output times or raise maxMemory`,
    );
}

/**
 * Throws when a mesh generator would allocate more than `maxMemory` bytes (default 4 GiB).
 *
 * @example
 * checkMeshMemory(8 * 1e10, undefined, 'intervalMesh: cells = 5000000000'); // throws
 */
export function checkMeshMemory(bytes: number, maxMemory: number | undefined, what: string): void {
  const max = limit('maxMemory', maxMemory ?? DEFAULT_MAX_MEMORY);
  if (!(bytes <= max))
    throw new Error(
      `${what}: the mesh needs ${formatBytes(bytes)}, more than maxMemory = ${formatBytes(max)}; raise maxMemory to allow it`,
    );
}

/** A size limit: a positive number (Infinity lifts it). */
function limit(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0))
    throw new Error(`${name}: expected a positive number (Infinity for no limit), got ${String(value)}`);
  return value;
}
