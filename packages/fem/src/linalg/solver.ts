import { positiveInteger, relativeTolerance } from '../guards/args.js';
import { pcg } from './cg.js';
import type { Csr } from './csr.js';
import { ldlNumeric } from './ldlt/numeric.js';
import { ldlSolve } from './ldlt/solve.js';
import { type LdlSymbolic, ldlSymbolic } from './ldlt/symbolic.js';

/** A linear solver for one SPD matrix and one or two interleaved right-hand sides. */
export interface SpdSolver {
  /**
   * Solves A X = B for `nrhs` interleaved right-hand sides (`b[i * nrhs + r]`). On entry `x`
   * holds an initial guess (used by CG), on exit the solution.
   */
  solve(b: Float64Array, x: Float64Array, nrhs: 1 | 2): void;
}

/** Which SPD solver: sparse LDLᵀ (default) or Jacobi-preconditioned CG. */
export type SolverKind = 'cholesky' | 'cg';

/**
 * Prepares a solver for the SPD matrix `A`. For Cholesky, pass a shared `symbolic` analysis
 * (one per pattern) to factorise only numerically; CG uses `tolerance` (relative residual, in
 * (0, 1), default 1e-12) and `maxIterations` (default 10 n). Options are checked here, before
 * any solve; a matrix that is not positive definite throws (for Cholesky, here).
 *
 * @example
 * const S = spdSolver(A, 'cholesky', { coords: space.points, dim: 2 });
 * S.solve(b, x, 1);
 */
export function spdSolver(
  A: Csr,
  kind: SolverKind,
  options: {
    symbolic?: LdlSymbolic;
    coords?: Float64Array;
    dim?: number;
    tolerance?: number;
    maxIterations?: number;
  } = {},
): SpdSolver {
  if (options.tolerance !== undefined) relativeTolerance('tolerance', options.tolerance);
  if (options.maxIterations !== undefined) positiveInteger('maxIterations', options.maxIterations);
  if (kind === 'cholesky') {
    const F = ldlNumeric(options.symbolic ?? ldlSymbolic(A, options.coords, options.dim), A);
    const work = new Float64Array(2 * A.n);
    return {
      solve: (b, x, nrhs) => {
        x.set(b);
        ldlSolve(F, x, nrhs, work);
      },
    };
  }
  if (kind === 'cg') {
    const n = A.n;
    const bb = new Float64Array(n);
    const y = new Float64Array(n);
    const cg = { tolerance: options.tolerance ?? 1e-12, maxIterations: options.maxIterations };
    return {
      solve: (b, x, nrhs) => {
        if (nrhs === 1) {
          pcg(A, b, x, cg);
          return;
        }
        for (let r = 0; r < nrhs; r++) {
          for (let i = 0; i < n; i++) {
            bb[i] = b[nrhs * i + r];
            y[i] = x[nrhs * i + r];
          }
          pcg(A, bb, y, cg);
          for (let i = 0; i < n; i++) x[nrhs * i + r] = y[i];
        }
      },
    };
  }
  throw new Error(`solver: expected 'cholesky' or 'cg', got '${kind}'`);
}
