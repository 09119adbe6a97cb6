import type { Coefficient } from '../assembly/coefficient.js';
import { positiveFinite, positiveInteger, relativeTolerance } from '../guards/args.js';
import type { SolverKind } from '../linalg/solver.js';
import type { Mesh } from '../mesh/types.js';
import type { Complex } from '../post/solution.js';
import { checkedStepPlan, DEFAULT_MAX_STEPS, SCHEMES, type Scheme } from '../time/schemes.js';

/** A real function of the point ξ (an array of length dim). */
export type ScalarField = (xi: Float64Array) => number;

/** Initial data: a function, real and imaginary functions, or nodal values in dof order. */
export type InitialData =
  | ScalarField
  | { re: ScalarField; im?: ScalarField }
  | { re: ArrayLike<number>; im?: ArrayLike<number> };

/** Options of `solveReactionDiffusion`. */
export interface ReactionDiffusionOptions {
  mesh: Mesh;
  /** Lagrange degree, 1 (default) or 2. */
  degree?: 1 | 2;
  /** D(ξ) ≥ 0, evaluated at quadrature points. */
  diffusion: Coefficient;
  /** R(ξ) ≥ 0 (default 0). */
  reaction?: Coefficient;
  /**
   * c(ξ) > 0 of c u_t = ∇·(D∇u) − R u + f (default 1): the weight of the mass matrix
   * M_c = ∫ c φ_i φ_j, evaluated at quadrature points like D and R. The initial data are still
   * interpolated at the dofs, and norms and functionals still measure ∫|u|² (not ∫c|u|²).
   */
  mass?: Coefficient;
  /** f(ξ, t), added to the real part's equation c u_t − ∇·(D∇u) + Ru = f. */
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
 * Checks the options of `solveReactionDiffusion` that need no mesh, before any work, and
 * fills in the defaults; each error names the option.
 *
 * @example
 * checkOptions({ ...options, dt: 0 }); // throws: dt: expected a positive finite time step, got 0
 */
export function checkOptions(options: ReactionDiffusionOptions): {
  degree: 1 | 2;
  scheme: Scheme;
  solver: SolverKind;
  times: number[];
  plan: { steps: number; h: number }[];
  steps: number;
} {
  if (options === null || typeof options !== 'object') throw new Error('options: expected an object');
  const { source, dt, onProgress } = options;
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
  return { degree, scheme, solver, times, plan, steps };
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

/** Nodal initial values (real and imaginary parts) from functions or arrays, each value checked. */
export function initialValues(initial: InitialData, points: Float64Array, dim: number, n: number): Complex {
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
