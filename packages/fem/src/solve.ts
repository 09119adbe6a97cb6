import {
  addLoad,
  addMass,
  addStiffness,
  type Coefficient,
  emptyMatrix,
  sampleCoefficient,
  sparsityPattern,
} from './assembly.js';
import { positiveFinite, positiveInteger, relativeTolerance } from './check.js';
import { mapBasis } from './geometry.js';
import { checkProblemSize, estimateMemory } from './limits.js';
import { checkMeshShape, type Mesh } from './mesh/types.js';
import { cellRule } from './quadrature.js';
import { type Complex, makeSolution, type ReactionDiffusionSolution } from './solution.js';
import { type FunctionSpace, functionSpace } from './space.js';
import type { Csr } from './sparse/csr.js';
import { ldlSymbolic } from './sparse/ldlt/symbolic.js';
import type { SolverKind } from './sparse/solver.js';
import { CACHED_MATRICES, integrate, StepMatrixError } from './time/integrate.js';
import { checkedStepPlan, DEFAULT_MAX_STEPS, SCHEMES, type Scheme } from './time/schemes.js';

/** A real function of the point ξ (an array of length dim). */
export type ScalarField = (xi: Float64Array) => number;

/** Initial data: a function, real and imaginary functions, or nodal values in dof order. */
export type InitialData =
  | ScalarField
  | { re: ScalarField; im?: ScalarField }
  | { re: ArrayLike<number>; im?: ArrayLike<number> };

/** Options of {@link solveReactionDiffusion}. */
export interface ReactionDiffusionOptions {
  mesh: Mesh;
  /** Lagrange degree, 1 (default) or 2. */
  degree?: 1 | 2;
  /** D(ξ) ≥ 0, evaluated at quadrature points. */
  diffusion: Coefficient;
  /** R(ξ) ≥ 0 (default 0). */
  reaction?: Coefficient;
  /** f(ξ, t), added to the real part's equation u_t − ∇·(D∇u) + Ru = f. */
  source?: (xi: Float64Array, t: number) => number;
  initial: InitialData;
  /** Output times, strictly increasing, ≥ 0; integration starts at t = 0. */
  times: ArrayLike<number>;
  /** Largest time step; each interval between outputs is cut into equal steps ≤ dt. */
  dt: number;
  /** Default 'crank-nicolson'. */
  scheme?: Scheme;
  /** Default 'cholesky' (sparse LDLᵀ, nested dissection); 'cg' for Jacobi-preconditioned CG. */
  solver?: SolverKind;
  /** CG relative residual tolerance, a number in (0, 1) (default 1e-12). */
  tolerance?: number;
  /** CG iteration limit per linear solve, a positive integer (default 10 × dofs). */
  maxIterations?: number;
  /** Refuse (before any work) runs needing more time steps than this (default 10^7). */
  maxSteps?: number;
  /** Refuse meshes with more degrees of freedom than this (default 10^7; Infinity: no limit). */
  maxDofs?: number;
  /**
   * Refuse problems whose estimated memory exceeds this many bytes (default 4 GiB; checked from
   * the mesh sizes before assembly and again with the factor's exact size before factorising).
   */
  maxMemory?: number;
  /** Called with the fraction of steps done, in (0, 1]. */
  onProgress?: (fraction: number) => void;
}

/**
 * Solves u_t = ∇·(D∇u) − R u + f on a mesh with zero-flux boundary (D ∂_n u = 0), for real or
 * complex initial data (both parts in one pass; THEORY §4: real coefficients act on them
 * independently). Weak form ∫u_t v + ∫D∇u·∇v + ∫Ruv = ∫fv; semi-discrete M U' + (K_D + M_R) U = F.
 *
 * @example
 * const p = frequencyDynamics({ dim: 1, density: (xi) => Math.exp(-(xi[0] ** 2) / 200) / Math.sqrt(200 * Math.PI), sigmaA: 1 });
 * const sol = solveReactionDiffusion({
 *   mesh: intervalMesh(-50, 50, 1000), degree: 2, ...p,
 *   initial: (xi) => Math.exp(-((xi[0] - 10) ** 2) / 2), times: [0, 1, 5], dt: 0.01,
 * });
 * sol.evaluate(2, [10]).re; // the decayed bump at ξ = 10
 */
export function solveReactionDiffusion(options: ReactionDiffusionOptions): ReactionDiffusionSolution {
  if (options === null || typeof options !== 'object') throw new Error('options: expected an object');
  const { mesh, diffusion, reaction = 0, source, initial, dt, onProgress } = options;
  const degree = options.degree ?? 1;
  const scheme = options.scheme ?? 'crank-nicolson';
  const solver = options.solver ?? 'cholesky';
  if (degree !== 1 && degree !== 2) throw new Error(`degree: expected 1 or 2, got ${degree}`);
  if (!SCHEMES.includes(scheme))
    throw new Error(`scheme: expected one of ${SCHEMES.join(', ')}, got '${scheme}'`);
  if (solver !== 'cholesky' && solver !== 'cg')
    throw new Error(`solver: expected 'cholesky' or 'cg', got '${solver}'`);
  positiveFinite('dt', dt, 'time step');
  const times = checkTimes(options.times);
  if (options.tolerance !== undefined) relativeTolerance('tolerance', options.tolerance);
  if (options.maxIterations !== undefined) positiveInteger('maxIterations', options.maxIterations);
  const { plan, total: steps } = checkedStepPlan(times, dt, options.maxSteps ?? DEFAULT_MAX_STEPS);
  if (source !== undefined && typeof source !== 'function')
    throw new Error('source: expected a function (ξ, t) => number');
  if (onProgress !== undefined && typeof onProgress !== 'function')
    throw new Error('onProgress: expected a function');

  // Size the problem from the mesh counts before anything is allocated; again, exactly, once
  // the factor's size is known.
  checkMeshShape(mesh);
  const limits = { maxDofs: options.maxDofs, maxMemory: options.maxMemory };
  const memory = {
    degree,
    nrhs: typeof initial === 'object' && initial !== null && initial.im !== undefined ? 2 : 1,
    outputs: times.length,
    matrices: stepMatrices(plan, scheme),
    solver,
  } as const;
  checkProblemSize(estimateMemory(mesh, memory), limits);

  const space = functionSpace(mesh, degree);
  const B = mapBasis(space, cellRule(mesh.dim, degree));
  const P = sparsityPattern(space);
  const M = emptyMatrix(P);
  addMass(B, P, null, M.values);
  checkFinite(M, space, 'mesh', 'mass matrix', 'the cells are too large');
  const A = emptyMatrix(P);
  const D = sampleCoefficient(B, diffusion, 'diffusion');
  addStiffness(B, P, D, A.values);
  checkFinite(A, space, 'diffusion', 'stiffness matrix', `D (up to ${max(D)}) is too large for the cells`);
  const R = sampleCoefficient(B, reaction, 'reaction');
  addMass(B, P, R, A.values);
  checkFinite(A, space, 'reaction', 'reaction matrix', `R (up to ${max(R)}) is too large`);
  let hMax = 0;
  for (const p of plan) hMax = Math.max(hMax, p.h);
  if (!Number.isFinite(hMax * max(A.values)))
    throw new Error(
      `dt: the step matrix M + θ·h·A overflows (step h = ${hMax}, largest entry of A = ${max(A.values)}); use a smaller dt`,
    );

  const u0 = initialValues(initial, space.points, mesh.dim, space.size);
  const nrhs = u0.im.some((v) => v !== 0) ? 2 : 1;
  const U0 = new Float64Array(space.size * nrhs);
  for (let i = 0; i < space.size; i++) {
    U0[i * nrhs] = u0.re[i];
    if (nrhs === 2) U0[i * nrhs + 1] = u0.im[i];
  }

  let load: ((t: number, out: Float64Array) => void) | undefined;
  if (source) {
    const f = new Float64Array(B.dx.length);
    const b = new Float64Array(space.size);
    load = (t, out) => {
      const sampled = sampleCoefficient(B, (xi) => source(xi, t), 'source', true);
      f.set(sampled);
      b.fill(0);
      addLoad(B, f, b);
      for (let i = 0; i < space.size; i++) out[i * nrhs] += b[i];
    };
  }
  const symbolic = solver === 'cholesky' ? ldlSymbolic(M, space.points, mesh.dim) : undefined;
  checkProblemSize(
    estimateMemory(mesh, { ...memory, nrhs, dofs: space.size, factorNonzeros: symbolic?.nnz }),
    limits,
  );
  const run = () =>
    integrate({ M, A, load }, U0, {
      scheme,
      solver,
      times,
      dt,
      nrhs,
      symbolic,
      tolerance: options.tolerance,
      maxIterations: options.maxIterations,
      maxSteps: options.maxSteps,
      onProgress,
    });
  let states: Float64Array[];
  try {
    states = run();
  } catch (e) {
    if (e instanceof StepMatrixError) throw new Error(explainPivot(e, M, A, space.points, mesh.dim, scheme));
    throw e;
  }
  const out: Complex[] = states.map((s) => {
    const re = new Float64Array(space.size);
    const im = new Float64Array(space.size);
    for (let i = 0; i < space.size; i++) {
      re[i] = s[i * nrhs];
      if (nrhs === 2) im[i] = s[i * nrhs + 1];
    }
    return { re, im };
  });
  return makeSolution(space, times, out, steps);
}

function max(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function at(points: Float64Array, dim: number, i: number): string {
  return Array.from(points.subarray(i * dim, i * dim + dim), (x) => +x.toPrecision(6)).join(', ');
}

/** Throws, naming `name`, the row and its dof's position, if a matrix entry is not finite. */
function checkFinite(A: Csr, space: FunctionSpace, name: string, what: string, why: string): void {
  for (let i = 0; i < A.n; i++) {
    for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) {
      if (!Number.isFinite(A.values[p]))
        throw new Error(
          `${name}: the ${what} has the entry ${A.values[p]} in row ${i} (dof at ξ = (${at(space.points, space.mesh.dim, i)})): ${why}`,
        );
    }
  }
}

function diagonal(A: Csr, i: number): number {
  for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) if (A.colIdx[p] === i) return A.values[p];
  return 0;
}

/** The likely cause of a failed step matrix M + θ h A (factorisation or residual), in terms of the problem. */
function explainPivot(
  e: StepMatrixError,
  M: Csr,
  A: Csr,
  points: Float64Array,
  dim: number,
  scheme: Scheme,
): string {
  const row = e.pivot?.row ?? e.residual?.row ?? 0;
  const where = `at dof ${row} (ξ = (${at(points, dim, row)}))`;
  const matrix = `the ${scheme} step matrix M + ${e.theta}·h·A (h = ${e.h}) ${
    e.pivot
      ? `has the pivot ${e.pivot.pivot} ${where}`
      : `leaves a relative residual ${e.residual?.relative.toPrecision(3)} (largest ${where})`
  }`;
  if (e.pivot?.kind === 'non-finite') return `dt: ${matrix}: its entries overflow; use a smaller dt`;
  // θ h A_ii / M_ii ~ θ h (D / cell² + R): past ~10^12 the mass matrix is lost in rounding.
  let ratio = 0;
  for (let i = 0; i < M.n; i++) ratio = Math.max(ratio, (e.theta * e.h * diagonal(A, i)) / diagonal(M, i));
  if (ratio > 1e8 || e.residual)
    return `dt: ${matrix}: θ·h·A outweighs the mass matrix up to ${ratio.toPrecision(3)}-fold (θ·h·D/cell² ≫ 1), so the system is singular in double precision; use a smaller dt, larger cells, or rescale the diffusion`;
  return `mesh: ${matrix}: the matrix is ${e.pivot?.kind === 'singular' ? 'singular in double precision' : 'not positive definite'}; check for cells of extremely different sizes and coefficient values spanning many orders of magnitude`;
}

/** Step matrices alive at once: one per step size (two for BDF2), at most the cache size. */
function stepMatrices(plan: readonly { steps: number; h: number }[], scheme: Scheme): number {
  const sizes = new Set(plan.filter((p) => p.steps > 0).map((p) => p.h));
  return Math.max(1, Math.min(CACHED_MATRICES, (scheme === 'bdf2' ? 2 : 1) * sizes.size));
}

function checkTimes(times: ArrayLike<number>): number[] {
  if (times === null || typeof times !== 'object' || typeof times.length !== 'number' || times.length === 0)
    throw new Error('times: expected a non-empty array of output times');
  const t = Array.from(times);
  t.forEach((v, k) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`times: entry ${k} is ${v}; output times must be finite and ≥ 0`);
    if (k > 0 && !(v > t[k - 1]))
      throw new Error(`times: not strictly increasing (times[${k - 1}] = ${t[k - 1]}, times[${k}] = ${v})`);
  });
  return t;
}

function initialValues(initial: InitialData, points: Float64Array, dim: number, n: number): Complex {
  const sample = (f: unknown, name: string): Float64Array => {
    const out = new Float64Array(n);
    if (f === undefined) return out;
    if (typeof f === 'function') {
      const xi = new Float64Array(dim);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < dim; k++) xi[k] = points[i * dim + k];
        out[i] = f(xi);
      }
    } else if (f !== null && typeof f === 'object' && typeof (f as ArrayLike<number>).length === 'number') {
      const a = f as ArrayLike<number>;
      if (a.length !== n)
        throw new Error(`${name}: expected ${n} nodal values (one per dof), got ${a.length}`);
      for (let i = 0; i < n; i++) out[i] = a[i];
    } else throw new Error(`${name}: expected a function of ξ or an array of nodal values`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(out[i]))
        throw new Error(
          `${name}: value ${out[i]} at dof ${i} (ξ = ${Array.from(points.subarray(i * dim, i * dim + dim)).join(', ')})`,
        );
    }
    return out;
  };
  if (typeof initial === 'function') return { re: sample(initial, 'initial'), im: new Float64Array(n) };
  if (initial === null || typeof initial !== 'object' || !('re' in initial))
    throw new Error('initial: expected a function, { re, im } functions or { re, im } nodal values');
  return { re: sample(initial.re, 'initial.re'), im: sample(initial.im, 'initial.im') };
}
