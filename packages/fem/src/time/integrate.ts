import { type Csr, combine, matvecN } from '../linalg/csr.js';
import { PivotError } from '../linalg/ldlt/numeric.js';
import type { LdlSymbolic } from '../linalg/ldlt/symbolic.js';
import { type SolverKind, type SpdSolver, spdSolver } from '../linalg/solver.js';
import { checkedStepPlan, type Scheme } from './schemes.js';

/** What {@link integrate} needs: the semi-discrete system M U' + A U = F(t). */
export interface LinearSystem {
  readonly M: Csr;
  readonly A: Csr;
  /** Adds the load F(t) into the first right-hand side component (stride nrhs); optional. */
  readonly load?: (t: number, out: Float64Array) => void;
}

/** Options of {@link integrate}. */
export interface IntegrateOptions {
  scheme: Scheme;
  solver: SolverKind;
  times: ArrayLike<number>;
  dt: number;
  /** Number of interleaved solution components (1: real, 2: real and imaginary). */
  nrhs: 1 | 2;
  symbolic?: LdlSymbolic;
  /** CG relative residual tolerance, in (0, 1). */
  tolerance?: number;
  /** CG iteration limit per solve. */
  maxIterations?: number;
  /** Refuse runs needing more steps than this (default 10^7). */
  maxSteps?: number;
  onProgress?: (fraction: number) => void;
}

/**
 * Integrates from t = 0 and returns the state (interleaved components) at each output time.
 * Backward Euler: (M + hA)U¹ = MU⁰ + hF¹. Crank–Nicolson: (M + h/2 A)U¹ = (M − h/2 A)U⁰ +
 * h/2 (F⁰ + F¹). BDF2: (M + 2h/3 A)U² = M(4U¹ − U⁰)/3 + 2h/3 F², started (and restarted when
 * the step size changes) by one backward-Euler step. One factorisation per matrix, reused; at
 * most {@link CACHED_MATRICES} are kept, so many different step sizes do not pile up factors.
 *
 * @example
 * const out = integrate({ M, A }, U0, { scheme: 'bdf2', solver: 'cholesky', times: [0, 1], dt: 0.01, nrhs: 1 });
 */
export function integrate(sys: LinearSystem, U0: Float64Array, o: IntegrateOptions): Float64Array[] {
  const { M, A, load } = sys;
  const nrhs = o.nrhs;
  const len = M.n * nrhs;
  if (nrhs !== 1 && nrhs !== 2) throw new Error(`nrhs: expected 1 or 2, got ${nrhs}`);
  if (U0.length !== len) throw new Error(`U0: expected ${len} values (n × nrhs), got ${U0.length}`);
  const { plan, total } = checkedStepPlan(o.times, o.dt, o.maxSteps);
  const solvers = new Map<string, SpdSolver>();
  const rhsMats = new Map<string, Csr>();
  // The last (θ, h) looked up is cached so that steady stepping builds no key strings.
  let lastTheta = Number.NaN;
  let lastStep = Number.NaN;
  let lastSolver: SpdSolver | undefined;
  const solverFor = (theta: number, h: number): SpdSolver => {
    if (theta === lastTheta && h === lastStep && lastSolver !== undefined) return lastSolver;
    const key = `${theta}:${h.toPrecision(13)}`;
    let s = solvers.get(key);
    if (s === undefined) {
      const S = combine(1, M, theta * h, A);
      let raw: SpdSolver;
      try {
        raw = spdSolver(S, o.solver, {
          symbolic: o.symbolic,
          tolerance: o.tolerance,
          maxIterations: o.maxIterations,
        });
      } catch (e) {
        if (e instanceof PivotError) throw new StepMatrixError(theta, h, e);
        throw e;
      }
      // The first solve with a nonzero right-hand side checks its residual: a backward-stable
      // solve of a matrix whose mass part is lost in rounding has a residual of order ‖b‖.
      let checked = false;
      const limit = Math.max(RESIDUAL_LIMIT, o.solver === 'cg' ? 10 * (o.tolerance ?? 1e-12) : 0);
      s = {
        solve(b, x, r) {
          raw.solve(b, x, r);
          if (!checked) checked = checkResidual(S, b, x, r, limit, theta, h);
        },
      };
      remember(solvers, key, s);
    }
    lastTheta = theta;
    lastStep = h;
    lastSolver = s;
    return s;
  };
  let lastRhsStep = Number.NaN;
  let lastRhs: Csr | undefined;
  const cnRhs = (h: number): Csr => {
    if (h === lastRhsStep && lastRhs !== undefined) return lastRhs;
    const key = h.toPrecision(13);
    let m = rhsMats.get(key);
    if (m === undefined) {
      m = combine(1, M, -0.5 * h, A);
      remember(rhsMats, key, m);
    }
    lastRhsStep = h;
    lastRhs = m;
    return m;
  };

  let U = Float64Array.from(U0);
  let Uold = new Float64Array(len); // previous state, for BDF2
  let next = new Float64Array(len);
  let haveOld = false;
  let lastH = 0;
  const rhs = new Float64Array(len);
  const tmp = new Float64Array(len);
  const F0 = new Float64Array(len);
  const F1 = new Float64Array(len);
  const every = Math.max(1, Math.floor(total / 200));
  let done = 0;
  let t = 0;
  const out: Float64Array[] = [];
  const loadAt = (time: number, f: Float64Array): void => {
    f.fill(0);
    if (load) load(time, f);
  };
  if (load && o.scheme === 'crank-nicolson') loadAt(0, F0);

  for (let k = 0; k < plan.length; k++) {
    const { steps, h } = plan[k];
    for (let s = 0; s < steps; s++) {
      const t1 = s === steps - 1 ? o.times[k] : t + h;
      next.set(U); // initial guess for CG
      if (o.scheme === 'crank-nicolson') {
        matvecN(cnRhs(h), U, rhs, nrhs);
        if (load) {
          loadAt(t1, F1);
          for (let i = 0; i < len; i += nrhs) rhs[i] += 0.5 * h * (F0[i] + F1[i]);
          F0.set(F1);
        }
        solverFor(0.5, h).solve(rhs, next, nrhs);
      } else if (o.scheme === 'backward-euler' || !haveOld || h !== lastH) {
        matvecN(M, U, rhs, nrhs);
        if (load) {
          loadAt(t1, F1);
          for (let i = 0; i < len; i += nrhs) rhs[i] += h * F1[i];
        }
        solverFor(1, h).solve(rhs, next, nrhs);
      } else {
        for (let i = 0; i < len; i++) tmp[i] = (4 * U[i] - Uold[i]) / 3;
        matvecN(M, tmp, rhs, nrhs);
        if (load) {
          loadAt(t1, F1);
          for (let i = 0; i < len; i += nrhs) rhs[i] += ((2 * h) / 3) * F1[i];
        }
        solverFor(2 / 3, h).solve(rhs, next, nrhs);
      }
      const spare = Uold;
      Uold = U;
      U = next;
      next = spare;
      haveOld = true;
      lastH = h;
      t = t1;
      done++;
      if (o.onProgress && (done % every === 0 || done === total)) o.onProgress(done / total);
    }
    t = o.times[k];
    out.push(Float64Array.from(U));
  }
  return out;
}

/** Relative residual ‖b − S x‖ / ‖b‖ above which a step solve is refused (10⁻³). */
const RESIDUAL_LIMIT = 1e-3;

/**
 * The step matrix M + θ h A could not be used: its factorisation failed (`pivot`, see
 * {@link PivotError}) or its first solve left a residual above {@link RESIDUAL_LIMIT} ‖b‖
 * (`residual`, with the row of the largest residual entry).
 */
export class StepMatrixError extends Error {
  constructor(
    readonly theta: number,
    readonly h: number,
    readonly pivot?: PivotError,
    readonly residual?: { relative: number; row: number },
  ) {
    super(
      `integrate: the step matrix M + ${theta}·h·A with h = ${h}: ${
        pivot ? pivot.message : `relative residual ${residual?.relative} in row ${residual?.row}`
      }`,
    );
    this.name = 'StepMatrixError';
  }
}

/** True once a nonzero right-hand side was checked; throws if the residual is too large. */
function checkResidual(
  S: Csr,
  b: Float64Array,
  x: Float64Array,
  nrhs: 1 | 2,
  limit: number,
  theta: number,
  h: number,
): boolean {
  const r = matvecN(S, x, new Float64Array(b.length), nrhs);
  let rr = 0;
  let bb = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const d = r[i] - b[i];
    rr += d * d;
    bb += b[i] * b[i];
    if (Math.abs(d) > Math.abs(r[worst] - b[worst])) worst = i;
  }
  if (bb === 0) return false;
  const relative = Math.sqrt(rr / bb);
  if (!(relative <= limit))
    throw new StepMatrixError(theta, h, undefined, { relative, row: Math.floor(worst / nrhs) });
  return true;
}

/** How many step matrices (and their factorisations) {@link integrate} keeps at once. */
export const CACHED_MATRICES = 4;

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  // Oldest first (Map keeps insertion order): BDF2 needs two matrices per step size, so four
  // cover a step-size change and back without refactorising.
  if (cache.size >= CACHED_MATRICES) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}
