import type { Csr } from './csr.js';

/** Options of {@link pcg}. */
export interface CgOptions {
  /** Stop when ‖r‖ ≤ tolerance · ‖b‖ (default 1e-10). */
  tolerance?: number;
  /** Iteration limit (default 10 n). */
  maxIterations?: number;
}

/**
 * Jacobi-preconditioned conjugate gradients for an SPD matrix; `x` is the initial guess and
 * receives the solution. Returns the iteration count; throws if it does not converge.
 *
 * @example
 * const x = new Float64Array(A.n); pcg(A, b, x, { tolerance: 1e-12 });
 */
export function pcg(A: Csr, b: Float64Array, x: Float64Array, options: CgOptions = {}): number {
  const { n, rowPtr, colIdx, values } = A;
  const tol = options.tolerance ?? 1e-10;
  const maxIt = options.maxIterations ?? 10 * n;
  const dinv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (colIdx[p] === i) dinv[i] = 1 / values[p];
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
