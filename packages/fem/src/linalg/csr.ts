import { float64Array } from '../guards/alloc.js';

/** A square sparse matrix in compressed sparse row form, columns sorted within each row. */
export interface Csr {
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly values: Float64Array;
}

/**
 * y = A x.
 *
 * @example
 * const A = { n: 2, rowPtr: Int32Array.of(0, 1, 2), colIdx: Int32Array.of(0, 1), values: Float64Array.of(2, 3) };
 * matvec(A, Float64Array.of(1, 1), new Float64Array(2)); // [2, 3]
 */
export function matvec(A: Csr, x: Float64Array, y: Float64Array): Float64Array {
  const { n, rowPtr, colIdx, values } = A;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = rowPtr[i], e = rowPtr[i + 1]; p < e; p++) s += values[p] * x[colIdx[p]];
    y[i] = s;
  }
  return y;
}

/**
 * The matrix αA + βB of two matrices sharing A's sparsity pattern.
 *
 * @example
 * const S = combine(1, M, 0.5 * dt, K); // M + dt/2 K
 */
export function combine(alpha: number, A: Csr, beta: number, B: Csr): Csr {
  if (A.colIdx !== B.colIdx && A.colIdx.length !== B.colIdx.length)
    throw new Error('combine: matrices must share one sparsity pattern');
  const values = float64Array(A.values.length, 'combine: matrix values');
  for (let p = 0; p < values.length; p++) values[p] = alpha * A.values[p] + beta * B.values[p];
  return { n: A.n, rowPtr: A.rowPtr, colIdx: A.colIdx, values };
}

/**
 * y = A x for `nrhs` interleaved vectors (`x[i * nrhs + r]`).
 *
 * @example
 * matvecN(A, x2, y2, 2); // both the real and imaginary parts in one pass
 */
export function matvecN(A: Csr, x: Float64Array, y: Float64Array, nrhs: 1 | 2): Float64Array {
  if (nrhs === 1) return matvec(A, x, y);
  const { n, rowPtr, colIdx, values } = A;
  for (let i = 0; i < n; i++) {
    let s0 = 0;
    let s1 = 0;
    for (let p = rowPtr[i], e = rowPtr[i + 1]; p < e; p++) {
      const v = values[p];
      const j = 2 * colIdx[p];
      s0 += v * x[j];
      s1 += v * x[j + 1];
    }
    y[2 * i] = s0;
    y[2 * i + 1] = s1;
  }
  return y;
}
