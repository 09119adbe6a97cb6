import type { FrequencyDistribution } from '../distributions/types.js';
import type { Grid } from '../grid.js';
import { checkGrid } from '../numeric/checks.js';
import { toeplitzConvolution } from './toeplitz.js';

/** The infinite-width NTK on a grid as a matrix-free product. */
export interface KernelOperator {
  readonly grid: Grid;
  /** out = K u, (K u)_i = Σ_j (1 + σ_a² x_i·x_j) k(x_i − x_j) u_j, without the cell volume h^d. */
  apply(u: ArrayLike<number>, out: Float64Array): void;
}

/**
 * K u for K(x, y) = (1 + σ_a² x·y) k(x − y) (THEORY.md §3) on a uniform grid, in O(N log N):
 *
 *     K u = k*u + σ_a² Σ_axes x_a ⊙ (k*(x_a u))
 *
 * with the Toeplitz convolutions done by FFT ({@link toeplitzConvolution}); u and x₀u share one
 * complex FFT, and in 2D x₁u takes a second.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 512 });
 * const K = kernelOperator(grid, gaussian(10), 1);
 * K.apply(u, out); // out = K u
 */
export function kernelOperator(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
): KernelOperator {
  checkArguments(grid, distribution, sigmaA);
  const conv = toeplitzConvolution(grid, (z) => distribution.kernel(z));
  const n = grid.size;
  const d = grid.dim;
  const s2 = sigmaA * sigmaA;
  const xu = [new Float64Array(n), new Float64Array(n)];
  const kxu = [new Float64Array(n), new Float64Array(n)];
  return {
    grid,
    apply(u, out) {
      if (s2 === 0) {
        conv.applyPair(u, null, out, null);
        return;
      }
      for (let a = 0; a < d; a++) for (let i = 0; i < n; i++) xu[a][i] = grid.points[i * d + a] * u[i];
      conv.applyPair(u, xu[0], out, kxu[0]);
      if (d === 2) conv.applyPair(xu[1], null, kxu[1], null);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += grid.points[i * d + a] * kxu[a][i];
        out[i] += s2 * s;
      }
    },
  };
}

/**
 * The explicit N×N matrix K_ij = (1 + σ_a² x_i·x_j) k(x_i − x_j) (THEORY.md §3), row-major, each
 * entry from `distribution.kernel` directly: the reference for {@link kernelOperator}, and the
 * input of the eigendecomposition. N² kernel calls and 8N² bytes: for small grids.
 *
 * @example
 * const K = kernelMatrix(uniformGrid({ dim: 1, halfWidth: 1, n: 2 }), gaussian(1), 1);
 * // points −1, 0: [(1 + 1)·1, (1 + 0)·e^{−1/2}, e^{−1/2}, 1] = [2, 0.6065, 0.6065, 1]
 */
export function kernelMatrix(grid: Grid, distribution: FrequencyDistribution, sigmaA: number): Float64Array {
  checkArguments(grid, distribution, sigmaA);
  const n = grid.size;
  const d = grid.dim;
  const out = new Float64Array(n * n);
  const z = new Float64Array(d);
  const s2 = sigmaA * sigmaA;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let dot = 0;
      for (let a = 0; a < d; a++) {
        z[a] = grid.points[i * d + a] - grid.points[j * d + a];
        dot += grid.points[i * d + a] * grid.points[j * d + a];
      }
      const v = (1 + s2 * dot) * distribution.kernel(z);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}

function checkArguments(grid: Grid, distribution: FrequencyDistribution, sigmaA: number): void {
  checkGrid(grid);
  if (distribution?.dim !== grid.dim) {
    throw new Error(`distribution: dimension ${distribution?.dim} differs from the grid's ${grid.dim}`);
  }
  if (typeof sigmaA !== 'number' || !Number.isFinite(sigmaA) || sigmaA < 0) {
    throw new Error(`sigmaA: expected a finite number ≥ 0, got ${sigmaA}`);
  }
}
