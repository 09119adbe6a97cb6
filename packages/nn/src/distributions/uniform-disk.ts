import { checkCount, checkPositive } from '../numeric/checks.js';
import type { Rng } from '../random.js';
import { besselJ1 } from './bessel.js';
import type { FrequencyDistribution } from './types.js';

/**
 * Uniform on the disk |ξ| ≤ B in 2D. k(z) = 2 J₁(B|z|)/(B|z|) (THEORY.md §3). The jump of ρ_s is
 * the circle of radius B; `jumps` lists its extent ±B on each axis.
 *
 * @example
 * const rho = uniformDisk(10);
 * rho.density([3, 4]); // 1/(100π)
 * rho.kernel([0.1, 0]); // 2 J₁(1)/1 ≈ 0.8801
 */
export function uniformDisk(B: number): FrequencyDistribution {
  const b = checkPositive('B', B);
  const height = 1 / (Math.PI * b * b);
  const density = (xi: ArrayLike<number>): number => (xi[0] * xi[0] + xi[1] * xi[1] <= b * b ? height : 0);
  return {
    dim: 2,
    name: `uniformDisk(B=${b})`,
    sample(n: number, rng: Rng): Float64Array {
      const out = new Float64Array(checkCount('n', n) * 2);
      for (let i = 0; i < n; i++) {
        const r = b * Math.sqrt(rng.uniform());
        const theta = 2 * Math.PI * rng.uniform();
        out[2 * i] = r * Math.cos(theta);
        out[2 * i + 1] = r * Math.sin(theta);
      }
      return out;
    },
    density,
    symmetricDensity: density,
    kernel(z) {
      const r = b * Math.hypot(z[0], z[1]);
      if (r < 1e-4) return 1 - (r * r) / 8;
      return (2 * besselJ1(r)) / r;
    },
    sineKernel: () => 0,
    /** Polar: r = B√u₀, θ = 2πu₁ (area-preserving, so uniform u gives uniform on the disk). */
    inverseCdf(u, out, offset = 0) {
      const r = b * Math.sqrt(u[0]);
      out[offset] = r * Math.cos(2 * Math.PI * u[1]);
      out[offset + 1] = r * Math.sin(2 * Math.PI * u[1]);
    },
    jumps: [
      [-b, b],
      [-b, b],
    ],
    peaks: [[], []],
  };
}
