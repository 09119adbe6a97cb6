import { positiveInteger, relativeTolerance } from '../guards/args.js';
import type { Csr } from './csr.js';

/** Options of {@link pcg}. */
export interface CgOptions {
  /** Stop when ‖r‖ ≤ tolerance · ‖b‖; a number in (0, 1) (default 1e-10). */
  tolerance?: number;
  /** Iteration limit, a positive integer (default 10 n). */
  maxIterations?: number;
}

/**
 * Jacobi-preconditioned conjugate gradients for an SPD matrix; `x` is the initial guess and
 * receives the solution. Returns the iteration count; throws if it does not converge, if the
 * options are invalid, if `b` or `x` holds a non-finite value, or if the matrix shows it is not
 * positive definite (a diagonal entry or a curvature pᵀAp that is not positive).
 *
 * @example
 * const x = new Float64Array(A.n); pcg(A, b, x, { tolerance: 1e-12 });
 */
export function pcg(A: Csr, b: Float64Array, x: Float64Array, options: CgOptions = {}): number {
  const { n, rowPtr, colIdx, values } = A;
  const tol = relativeTolerance('tolerance', options.tolerance ?? 1e-10);
  const maxIt = positiveInteger('maxIterations', options.maxIterations ?? Math.max(1, 10 * n));
  if (b.length < n || x.length < n)
    throw new Error(`pcg: b and x need ${n} entries, got ${b.length} and ${x.length}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(b[i])) throw new Error(`pcg: b[${i}] is ${b[i]}`);
    if (!Number.isFinite(x[i])) throw new Error(`pcg: initial guess x[${i}] is ${x[i]}`);
  }
  const dinv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (colIdx[p] === i) d = values[p];
    if (!(d > 0) || !Number.isFinite(d))
      throw new Error(`pcg: diagonal entry ${i} is ${d}: the matrix is not positive definite`);
    dinv[i] = 1 / d;
  }
  const r = new Float64Array(n);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  let bb = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) s += values[k] * x[colIdx[k]];
    r[i] = b[i] - s;
    bb += b[i] * b[i];
  }
  if (!Number.isFinite(bb)) throw new Error('pcg: ‖b‖² overflows: rescale the right-hand side');
  if (bb === 0) {
    x.fill(0, 0, n); // A x = 0 has the one solution 0; a relative stop test would never pass
    return 0;
  }
  const stop = tol * tol * bb;
  let rz = 0;
  let rr = 0;
  for (let i = 0; i < n; i++) {
    z[i] = dinv[i] * r[i];
    p[i] = z[i];
    rz += r[i] * z[i];
    rr += r[i] * r[i];
  }
  for (let it = 0; it < maxIt; it++) {
    if (rr <= stop) return it;
    let pq = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) s += values[k] * p[colIdx[k]];
      q[i] = s;
      pq += p[i] * s;
    }
    if (!(pq > 0) || !Number.isFinite(pq))
      throw new Error(`pcg: pᵀAp = ${pq} at iteration ${it}: the matrix is not positive definite`);
    const alpha = rz / pq;
    let rz1 = 0;
    rr = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
      z[i] = dinv[i] * r[i];
      rz1 += r[i] * z[i];
      rr += r[i] * r[i];
    }
    const beta = rz1 / rz;
    rz = rz1;
    for (let i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
  }
  if (rr <= stop) return maxIt;
  throw new Error(`pcg: no convergence in ${maxIt} iterations (relative residual ${Math.sqrt(rr / bb)})`);
}
