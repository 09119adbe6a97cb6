import { checkFinite } from '../numeric/checks.js';
import type { Rng } from '../random.js';
import type { FrequencyDistribution } from './types.js';
import { mirrored } from './validate.js';

/**
 * The distribution of w = c + w₀ with w₀ ~ `base`: ρ(ξ) = ρ₀(ξ − c). Its kernel follows from
 * cos((c + w₀)·z) = cos(c·z) cos(w₀·z) − sin(c·z) sin(w₀·z):
 *
 *     k(z) = cos(c·z) k₀(z) − sin(c·z) s₀(z),   s(z) = sin(c·z) k₀(z) + cos(c·z) s₀(z)
 *
 * with s = E[sin(w·z)]; for a symmetric base s₀ = 0 and k = cos(c·z) k₀(z) (THEORY.md §3). ρ_s
 * mirrors the shifted density, so its jumps and peaks appear at ±(p + c).
 *
 * @example
 * const bump = shifted(gaussian(2), [25]);
 * bump.kernel([0.1]); // cos(2.5)·exp(-0.02) ≈ -0.7853
 */
export function shifted(
  base: FrequencyDistribution,
  center: number | readonly number[],
): FrequencyDistribution {
  const d = base.dim;
  const c = typeof center === 'number' ? Array<number>(d).fill(center) : [...center];
  if (c.length !== d) throw new Error(`center: expected ${d} values, got ${c.length}`);
  for (let a = 0; a < d; a++) checkFinite(`center[${a}]`, c[a]);
  const baseSine = base.sineKernel?.bind(base);
  if (!baseSine) throw new Error(`base: ${base.name} has no sineKernel, so its shifted kernel is unknown`);
  const local = new Float64Array(d);
  const density = (xi: ArrayLike<number>): number => {
    for (let a = 0; a < d; a++) local[a] = xi[a] - c[a];
    return base.density(local);
  };
  const minus = new Float64Array(d);
  const phase = (z: ArrayLike<number>): number => {
    let p = 0;
    for (let a = 0; a < d; a++) p += c[a] * z[a];
    return p;
  };
  return {
    dim: d,
    name: `shifted(${base.name}, c=[${c.join(', ')}])`,
    sample(n: number, rng: Rng): Float64Array {
      const out = base.sample(n, rng);
      for (let i = 0; i < out.length; i++) out[i] += c[i % d];
      return out;
    },
    density,
    symmetricDensity(xi) {
      for (let a = 0; a < d; a++) minus[a] = -xi[a];
      const plus = density(xi);
      return 0.5 * (plus + density(minus));
    },
    kernel(z) {
      const p = phase(z);
      return Math.cos(p) * base.kernel(z) - Math.sin(p) * baseSine(z);
    },
    sineKernel(z) {
      const p = phase(z);
      return Math.sin(p) * base.kernel(z) + Math.cos(p) * baseSine(z);
    },
    cdf: base.cdf
      ? (xi) => {
          for (let a = 0; a < d; a++) local[a] = xi[a] - c[a];
          return (base.cdf as (x: ArrayLike<number>) => number)(local);
        }
      : undefined,
    inverseCdf: base.inverseCdf
      ? (u, out, offset = 0) => {
          (base.inverseCdf as NonNullable<FrequencyDistribution['inverseCdf']>)(u, out, offset);
          for (let a = 0; a < d; a++) out[offset + a] += c[a];
        }
      : undefined,
    jumps: mirrored(base.jumps.map((axis, a) => axis.map((p) => p + c[a]))),
    peaks: mirrored(base.peaks.map((axis, a) => axis.map((p) => p + c[a]))),
  };
}
