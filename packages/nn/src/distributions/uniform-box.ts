import { checkCount } from '../numeric/checks.js';
import type { Rng } from '../random.js';
import type { FrequencyDistribution } from './types.js';
import { axisParameters } from './validate.js';

/**
 * Uniform on the box Π [−B_i, B_i] (`B` one number for every axis, dimension `dim`, default 1; or
 * one per axis). k(z) = Π sin(B_i z_i)/(B_i z_i) (THEORY.md §3). ρ_s jumps at ±B_i.
 *
 * @example
 * const rho = uniformBox(40);
 * rho.density([3]); // 1/80
 * rho.kernel([Math.PI / 80]); // sin(π/2)/(π/2) ≈ 0.6366
 */
export function uniformBox(B: number | readonly number[], dim?: 1 | 2): FrequencyDistribution {
  const { dim: d, values: b } = axisParameters('B', B, dim);
  const height = b.reduce((p, bi) => p / (2 * bi), 1);
  const density = (xi: ArrayLike<number>): number => {
    for (let a = 0; a < d; a++) if (Math.abs(xi[a]) > b[a]) return 0;
    return height;
  };
  return {
    dim: d,
    name: `uniformBox(B=${b.length > 1 && b[0] !== b[1] ? `[${b.join(', ')}]` : b[0]}${d === 2 ? ', d=2' : ''})`,
    sample(n: number, rng: Rng): Float64Array {
      const out = new Float64Array(checkCount('n', n) * d);
      for (let i = 0; i < out.length; i++) out[i] = b[i % d] * (2 * rng.uniform() - 1);
      return out;
    },
    density,
    symmetricDensity: density,
    kernel(z) {
      let k = 1;
      for (let a = 0; a < d; a++) k *= sinc(b[a] * z[a]);
      return k;
    },
    sineKernel: () => 0,
    cdf(xi) {
      let p = 1;
      for (let a = 0; a < d; a++) p *= Math.min(1, Math.max(0, (xi[a] + b[a]) / (2 * b[a])));
      return p;
    },
    inverseCdf(u, out, offset = 0) {
      for (let a = 0; a < d; a++) out[offset + a] = b[a] * (2 * u[a] - 1);
    },
    jumps: b.map((bi) => [-bi, bi]),
    peaks: Array.from({ length: d }, () => []),
  };
}

/** sin(x)/x, with its Taylor series near 0. */
export function sinc(x: number): number {
  if (Math.abs(x) < 1e-4) return 1 - (x * x) / 6;
  return Math.sin(x) / x;
}
