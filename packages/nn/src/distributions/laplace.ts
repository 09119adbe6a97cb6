import { checkCount } from '../numeric/checks.js';
import type { Rng } from '../random.js';
import type { FrequencyDistribution } from './types.js';
import { axisParameters } from './validate.js';

/**
 * Independent Laplace coordinates, ρ = Π e^{−|ξ_i|/s_i}/(2 s_i) (`scale` one number for every axis,
 * dimension `dim`, default 1; or one per axis). k(z) = Π 1/(1 + s_i² z_i²) (THEORY.md §3).
 * The cusp at 0 is listed in `peaks`.
 *
 * @example
 * const rho = laplace(2);
 * rho.density([0]); // 1/4
 * rho.kernel([0.5]); // 1/(1 + 1) = 0.5
 */
export function laplace(scale: number | readonly number[], dim?: 1 | 2): FrequencyDistribution {
  const { dim: d, values: s } = axisParameters('scale', scale, dim);
  const norm = s.reduce((p, si) => p / (2 * si), 1);
  const density = (xi: ArrayLike<number>): number => {
    let q = 0;
    for (let a = 0; a < d; a++) q += Math.abs(xi[a]) / s[a];
    return norm * Math.exp(-q);
  };
  return {
    dim: d,
    name: `laplace(s=${s.length > 1 && s[0] !== s[1] ? `[${s.join(', ')}]` : s[0]}${d === 2 ? ', d=2' : ''})`,
    sample(n: number, rng: Rng): Float64Array {
      const out = new Float64Array(checkCount('n', n) * d);
      for (let i = 0; i < out.length; i++) {
        const e = -Math.log(1 - rng.uniform()); // Exp(1); 1 − u ∈ (0, 1]
        out[i] = (rng.uniform() < 0.5 ? -e : e) * s[i % d];
      }
      return out;
    },
    density,
    symmetricDensity: density,
    kernel(z) {
      let k = 1;
      for (let a = 0; a < d; a++) k /= 1 + (s[a] * z[a]) ** 2;
      return k;
    },
    sineKernel: () => 0,
    cdf(xi) {
      let p = 1;
      for (let a = 0; a < d; a++) {
        const e = 0.5 * Math.exp(-Math.abs(xi[a]) / s[a]);
        p *= xi[a] < 0 ? e : 1 - e;
      }
      return p;
    },
    inverseCdf(u, out, offset = 0) {
      for (let a = 0; a < d; a++)
        out[offset + a] = u[a] < 0.5 ? s[a] * Math.log(2 * u[a]) : -s[a] * Math.log(2 * (1 - u[a]));
    },
    jumps: Array.from({ length: d }, () => []),
    peaks: Array.from({ length: d }, () => [0]),
  };
}
