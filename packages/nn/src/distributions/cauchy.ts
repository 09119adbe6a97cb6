import { checkCount, checkPositive } from '../numeric/checks.js';
import type { Rng } from '../random.js';
import type { FrequencyDistribution } from './types.js';

/**
 * The 1D Cauchy distribution with scale γ, ρ = γ/(π(γ² + ξ²)); k(z) = exp(−γ|z|) (THEORY.md §3).
 *
 * @example
 * const rho = cauchy(5);
 * rho.density([0]); // 1/(5π)
 * rho.kernel([0.2]); // exp(-1) ≈ 0.3679
 */
export function cauchy(gamma: number): FrequencyDistribution {
  const g = checkPositive('gamma', gamma);
  const density = (xi: ArrayLike<number>): number => g / (Math.PI * (g * g + xi[0] * xi[0]));
  return {
    dim: 1,
    name: `cauchy(γ=${g})`,
    sample(n: number, rng: Rng): Float64Array {
      const out = new Float64Array(checkCount('n', n));
      for (let i = 0; i < n; i++) out[i] = g * Math.tan(Math.PI * (rng.uniform() - 0.5));
      return out;
    },
    density,
    symmetricDensity: density,
    kernel: (z) => Math.exp(-g * Math.abs(z[0])),
    sineKernel: () => 0,
    cdf: (xi) => 0.5 + Math.atan(xi[0] / g) / Math.PI,
    inverseCdf(u, out, offset = 0) {
      out[offset] = g * Math.tan(Math.PI * (u[0] - 0.5));
    },
    jumps: [[]],
    peaks: [[0]],
  };
}
