import { createRng } from '../random.js';

/** Options of {@link powerIteration}. */
export interface PowerIterationOptions {
  /** Stop when the Rayleigh quotient's estimated remaining error is below this, relatively (default 1e-9). */
  readonly tolerance?: number;
  /** Iteration cap (default 1000). */
  readonly maxIterations?: number;
  /** Seed of the random start vector (default 1). */
  readonly seed?: number;
  /** Start vector (length n); overrides `seed`. */
  readonly start?: ArrayLike<number>;
}

/** Result of {@link powerIteration}. */
export interface PowerIterationResult {
  /** The Rayleigh quotient vᵀAv at the last iterate: the estimate of λ_max. */
  readonly lambdaMax: number;
  /** The last unit-norm iterate (approximate top eigenvector). */
  readonly vector: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/** A matrix-free linear operator: writes A v into `out` (which never aliases `v`). */
export type LinearOperator = (v: Float64Array, out: Float64Array) => void | Promise<void>;

/**
 * The largest eigenvalue of a symmetric positive semi-definite operator, by power iteration on its
 * product alone (matrix-free). Used for the automatic learning rate η = 1/λ_max of h^d·K
 * (THEORY.md §2). The Rayleigh quotient converges from below, so η = 1/λ_max errs on the safe side
 * only as far as the tolerance.
 *
 * @example
 * const { lambdaMax } = await powerIteration((v, out) => {
 *   out[0] = 2 * v[0];
 *   out[1] = 5 * v[1];
 * }, 2);
 * // lambdaMax ≈ 5
 */
export async function powerIteration(
  apply: LinearOperator,
  n: number,
  options: PowerIterationOptions = {},
): Promise<PowerIterationResult> {
  const state = initialState(n, options);
  for (;;) {
    await apply(state.v, state.av);
    if (state.step()) return state.result();
  }
}

/**
 * {@link powerIteration} for an operator whose product is synchronous.
 *
 * @example
 * const { lambdaMax } = powerIterationSync((v, out) => {
 *   out[0] = 2 * v[0] + v[1];
 *   out[1] = v[0] + 2 * v[1];
 * }, 2);
 * // lambdaMax ≈ 3
 */
export function powerIterationSync(
  apply: (v: Float64Array, out: Float64Array) => void,
  n: number,
  options: PowerIterationOptions = {},
): PowerIterationResult {
  const state = initialState(n, options);
  for (;;) {
    apply(state.v, state.av);
    if (state.step()) return state.result();
  }
}

/**
 * The checked settings and the unit start vector of {@link powerIteration} (also lanczos.ts's).
 *
 * @example
 * const { v, tolerance, maxIterations } = powerIterationStart(n, { seed: 1 });
 */
export function powerIterationStart(
  n: number,
  options: PowerIterationOptions,
): { v: Float64Array<ArrayBuffer>; tolerance: number; maxIterations: number } {
  if (!Number.isInteger(n) || n < 1) throw new Error(`n: expected a positive integer, got ${n}`);
  const tolerance = options.tolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 1000;
  if (!(tolerance > 0)) throw new Error(`tolerance: expected a positive number, got ${tolerance}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new Error(`maxIterations: expected a positive integer, got ${maxIterations}`);
  }
  const v = new Float64Array(n);
  if (options.start) {
    if (options.start.length !== n)
      throw new Error(`start: expected length ${n}, got ${options.start.length}`);
    for (let i = 0; i < n; i++) v[i] = options.start[i];
  } else {
    const rng = createRng(options.seed ?? 1);
    for (let i = 0; i < n; i++) v[i] = rng.normal();
  }
  scale(v, 1 / norm(v));
  if (!Number.isFinite(v[0])) throw new Error('start: expected a non-zero finite vector');
  return { v, tolerance, maxIterations };
}

function initialState(n: number, options: PowerIterationOptions) {
  let { v, tolerance, maxIterations } = powerIterationStart(n, options);
  let av = new Float64Array(n);
  let lambda = Number.NaN;
  let previousChange = Number.NaN;
  let iterations = 0;
  let converged = false;
  const state = {
    get v() {
      return v;
    },
    get av() {
      return av;
    },
    /** Consumes av = A v; returns true when done. */
    step(): boolean {
      iterations++;
      let rayleigh = 0;
      for (let i = 0; i < n; i++) rayleigh += v[i] * av[i];
      const size = norm(av);
      if (!Number.isFinite(size)) throw new Error('apply: the operator produced a non-finite vector');
      const previous = lambda;
      lambda = rayleigh;
      if (size === 0) {
        converged = true;
        return true;
      }
      // The Rayleigh quotient converges linearly with some ratio r; its change δ_k alone
      // underestimates the remaining error, which is about δ_k r/(1 − r) (Aitken).
      const change = Math.abs(lambda - previous);
      const ratio = change / previousChange;
      const remaining = ratio > 0 && ratio < 1 ? (change * ratio) / (1 - ratio) : change;
      previousChange = change;
      if (Math.max(change, remaining) <= tolerance * Math.abs(lambda)) converged = true;
      [v, av] = [av, v];
      scale(v, 1 / size);
      return converged || iterations >= maxIterations;
    },
    result(): PowerIterationResult {
      return { lambdaMax: lambda, vector: v, iterations, converged };
    },
  };
  return state;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function scale(v: Float64Array, c: number): void {
  for (let i = 0; i < v.length; i++) v[i] *= c;
}
