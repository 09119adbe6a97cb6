import type { Grid } from '../grid.js';
import { GridFft } from '../numeric/fft.js';
import { nextPowerOfTwo } from '../numeric/power-of-two.js';

/**
 * Discrete convolution with an even kernel on a uniform grid, (k*u)_i = Σ_j k(x_i − x_j) u_j, by
 * FFT. k(x_i − x_j) depends on i − j only (Toeplitz in 1D, block-Toeplitz in 2D), so it embeds in a
 * circulant of size P ≥ 2N − 1 per axis (a power of two) whose eigenvalues, the FFT of its first
 * column, are real because k(−z) = k(z). Two real inputs therefore ride in one complex FFT as
 * a + i b: the product is k*a + i k*b. Cost O(P^d log P) per pair.
 */
export interface ToeplitzConvolution {
  readonly grid: Grid;
  /** outA = k*a and outB = k*b (length grid.size each; the outputs may not alias the inputs). */
  applyPair(
    a: ArrayLike<number>,
    b: ArrayLike<number> | null,
    outA: Float64Array,
    outB: Float64Array | null,
  ): void;
}

/**
 * Prepares {@link ToeplitzConvolution} for the even kernel `kernel` (k(−z) = k(z) is assumed and
 * enforced: each value is computed once, for the half space, and mirrored).
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 512 });
 * const conv = toeplitzConvolution(grid, (z) => Math.exp(-50 * z[0] * z[0]));
 * conv.applyPair(u, null, ku, null); // ku_i = Σ_j exp(−50 (x_i − x_j)²) u_j
 */
export function toeplitzConvolution(grid: Grid, kernel: (z: Float64Array) => number): ToeplitzConvolution {
  const n0 = grid.n[0];
  const n1 = grid.dim === 2 ? grid.n[1] : 1;
  const p0 = circulantSize(n0);
  const p1 = grid.dim === 2 ? circulantSize(n1) : 1;
  const total = p0 * p1;
  const buffer = new Float64Array(2 * total);
  const z = new Float64Array(grid.dim);
  const h0 = grid.h[0];
  const h1 = grid.dim === 2 ? grid.h[1] : 0;
  for (let d0 = 0; d0 < n0; d0++) {
    for (let d1 = -(n1 - 1); d1 < n1; d1++) {
      if (d0 === 0 && d1 < 0) continue;
      z[0] = d0 * h0;
      if (grid.dim === 2) z[1] = d1 * h1;
      const k = kernel(z);
      buffer[2 * (d0 * p1 + mod(d1, p1))] = k;
      buffer[2 * (mod(-d0, p0) * p1 + mod(-d1, p1))] = k;
    }
  }
  const fft = fft2d(p0, p1);
  fft(buffer, false);
  const spectrum = new Float64Array(total);
  for (let i = 0; i < total; i++) spectrum[i] = buffer[2 * i];
  return {
    grid,
    applyPair(a, b, outA, outB) {
      buffer.fill(0);
      for (let i0 = 0; i0 < n0; i0++) {
        for (let i1 = 0; i1 < n1; i1++) {
          const src = i0 * n1 + i1;
          const dst = 2 * (i0 * p1 + i1);
          buffer[dst] = a[src];
          if (b) buffer[dst + 1] = b[src];
        }
      }
      fft(buffer, false);
      for (let i = 0; i < total; i++) {
        buffer[2 * i] *= spectrum[i];
        buffer[2 * i + 1] *= spectrum[i];
      }
      fft(buffer, true);
      for (let i0 = 0; i0 < n0; i0++) {
        for (let i1 = 0; i1 < n1; i1++) {
          const src = 2 * (i0 * p1 + i1);
          outA[i0 * n1 + i1] = buffer[src];
          if (outB) outB[i0 * n1 + i1] = buffer[src + 1];
        }
      }
    },
  };
}

function circulantSize(n: number): number {
  return nextPowerOfTwo(2 * n - 1);
}

function mod(i: number, p: number): number {
  return ((i % p) + p) % p;
}

/** In-place complex FFT of the p0 × p1 circulant (p1 = 1: 1D), rows then columns either way. */
function fft2d(p0: number, p1: number): (data: Float64Array, inverse: boolean) => void {
  const fft = new GridFft(p1 > 1 ? [p0, p1] : [p0]);
  const columns = Int32Array.from({ length: p1 }, (_, c) => c);
  return (data, inverse) => fft.transform(data, inverse ? 1 : -1, columns, false);
}
