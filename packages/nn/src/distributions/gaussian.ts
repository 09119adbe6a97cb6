import { checkCount } from '../numeric/checks.js';
import type { Rng } from '../random.js';
import { normalCdf, normalQuantile } from './normal.js';
import type { FrequencyDistribution } from './types.js';
import { axisParameters } from './validate.js';

/**
 * The centred Gaussian N(0, diag(σ₁², …, σ_d²)): isotropic when `sigma` is a number (dimension
 * `dim`, default 1), one σ per axis when it is an array. k(z) = exp(−½ Σ σ_i² z_i²) (THEORY.md §3).
 * Shift it with {@link shifted} for a Gaussian centred elsewhere.
 *
 * @example
 * const rho = gaussian(10);
 * rho.kernel([0.1]); // exp(-0.5) ≈ 0.6065
 * gaussian([5, 20]).dim; // 2
 */
export function gaussian(sigma: number | readonly number[], dim?: 1 | 2): FrequencyDistribution {
  const { dim: d, values: s } = axisParameters('sigma', sigma, dim);
  const norm = s.reduce((p, si) => p / (si * Math.sqrt(2 * Math.PI)), 1);
  const density = (xi: ArrayLike<number>): number => {
    let q = 0;
    for (let a = 0; a < d; a++) q += (xi[a] / s[a]) ** 2;
    return norm * Math.exp(-0.5 * q);
  };
  return {
    dim: d,
    name: `gaussian(σ=${s.length > 1 && s[0] !== s[1] ? `[${s.join(', ')}]` : s[0]}${d === 2 ? ', d=2' : ''})`,
    sample(n: number, rng: Rng): Float64Array {
      const out = new Float64Array(checkCount('n', n) * d);
      for (let i = 0; i < out.length; i++) out[i] = s[i % d] * rng.normal();
      return out;
    },
    density,
    symmetricDensity: density,
    kernel(z) {
      let q = 0;
      for (let a = 0; a < d; a++) q += (s[a] * z[a]) ** 2;
      return Math.exp(-0.5 * q);
    },
    sineKernel: () => 0,
    cdf(xi) {
      let p = 1;
      for (let a = 0; a < d; a++) p *= normalCdf(xi[a] / s[a]);
      return p;
    },
    inverseCdf(u, out, offset = 0) {
      for (let a = 0; a < d; a++) out[offset + a] = s[a] * normalQuantile(u[a]);
    },
    jumps: Array.from({ length: d }, () => []),
    peaks: Array.from({ length: d }, () => [0]),
  };
}
