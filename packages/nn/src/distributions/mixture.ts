import { checkCount } from '../numeric/checks.js';
import type { Rng } from '../random.js';
import type { FrequencyDistribution } from './types.js';
import { uniqueSorted } from './validate.js';

/**
 * The mixture ρ = Σ_k p_k ρ_k with weights p_k ∝ `weights` (normalised here). Everything linear in ρ
 * is the weighted sum of the components': density, ρ_s, k(z) and E[sin(w·z)] (THEORY.md §3).
 * Combine with {@link shifted} for off-centre components.
 *
 * @example
 * const rho = mixture([1, 1], [shifted(gaussian(2), [-25]), shifted(gaussian(2), [25])]);
 * rho.kernel([0.1]); // cos(2.5)·exp(-0.02) ≈ -0.7853 (the sine parts cancel)
 */
export function mixture(
  weights: readonly number[],
  components: readonly FrequencyDistribution[],
): FrequencyDistribution {
  if (!Array.isArray(components) || components.length === 0) {
    throw new Error('components: expected at least one distribution');
  }
  if (!Array.isArray(weights) || weights.length !== components.length) {
    throw new Error(
      `weights: expected ${components.length} weights (one per component), got ${weights?.length}`,
    );
  }
  weights.forEach((w, k) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new Error(`weights[${k}]: expected a finite number ≥ 0, got ${JSON.stringify(w)}`);
    }
  });
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) throw new Error('weights: expected a positive sum');
  const p = weights.map((w) => w / total);
  const d = components[0].dim;
  components.forEach((c, k) => {
    if (c.dim !== d)
      throw new Error(`components[${k}]: dimension ${c.dim} differs from components[0]'s ${d}`);
  });
  const sum =
    (f: (c: FrequencyDistribution, x: ArrayLike<number>) => number) =>
    (x: ArrayLike<number>): number => {
      let s = 0;
      for (let k = 0; k < p.length; k++) if (p[k] > 0) s += p[k] * f(components[k], x);
      return s;
    };
  const sines = components.map((c, k) => {
    if (!c.sineKernel) throw new Error(`components[${k}]: ${c.name} has no sineKernel`);
    return c.sineKernel.bind(c);
  });
  const cdfs = components.every((c) => c.cdf)
    ? components.map((c) => (c.cdf as (x: ArrayLike<number>) => number).bind(c))
    : undefined;
  const quantiles =
    d === 1 && cdfs && components.every((c) => c.inverseCdf)
      ? components.map((c) => (c.inverseCdf as NonNullable<FrequencyDistribution['inverseCdf']>).bind(c))
      : undefined;
  const cdf = cdfs
    ? (x: ArrayLike<number>): number => {
        let s = 0;
        for (let k = 0; k < p.length; k++) if (p[k] > 0) s += p[k] * cdfs[k](x);
        return s;
      }
    : undefined;
  const union = (pick: (c: FrequencyDistribution) => readonly (readonly number[])[]) =>
    Array.from({ length: d }, (_, a) => uniqueSorted(components.flatMap((c) => [...pick(c)[a]])));
  return {
    dim: d,
    name: `mixture(${components.map((c, k) => `${p[k].toPrecision(3)}·${c.name}`).join(' + ')})`,
    sample(n: number, rng: Rng): Float64Array {
      // Assign every sample a component first, then draw each component's samples in one call
      // and scatter them back: the order stays random and the draws stay seeded.
      const assignment = new Int32Array(checkCount('n', n));
      const counts = new Array<number>(p.length).fill(0);
      const cumulative = p.map((_, k) => p.slice(0, k + 1).reduce((s, v) => s + v, 0));
      for (let i = 0; i < n; i++) {
        const u = rng.uniform();
        let k = 0;
        while (k < p.length - 1 && u >= cumulative[k]) k++;
        assignment[i] = k;
        counts[k]++;
      }
      const drawn = components.map((c, k) => c.sample(counts[k], rng));
      const used = new Array<number>(p.length).fill(0);
      const out = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        const k = assignment[i];
        const j = used[k]++;
        for (let a = 0; a < d; a++) out[i * d + a] = drawn[k][j * d + a];
      }
      return out;
    },
    density: sum((c, x) => c.density(x)),
    symmetricDensity: sum((c, x) => c.symmetricDensity(x)),
    kernel: sum((c, x) => c.kernel(x)),
    sineKernel: (z) => {
      let s = 0;
      for (let k = 0; k < p.length; k++) if (p[k] > 0) s += p[k] * sines[k](z);
      return s;
    },
    cdf,
    inverseCdf:
      quantiles && cdf
        ? (u, out, offset = 0) => {
            out[offset] = mixtureQuantile(u[0], p, quantiles, cdf);
          }
        : undefined,
    jumps: union((c) => c.jumps),
    peaks: union((c) => c.peaks),
  };
}

/**
 * F⁻¹(u) of a 1D mixture, F = Σ p_k F_k, by bisection: F(min_k F_k⁻¹(u)) ≤ u ≤ F(max_k F_k⁻¹(u)),
 * so the root is bracketed by the components' quantiles; halved until the bracket stops shrinking.
 */
function mixtureQuantile(
  u: number,
  p: readonly number[],
  quantiles: readonly NonNullable<FrequencyDistribution['inverseCdf']>[],
  cdf: (x: ArrayLike<number>) => number,
): number {
  const x = new Float64Array(1);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < p.length; k++) {
    if (!(p[k] > 0)) continue;
    quantiles[k]([u], x);
    lo = Math.min(lo, x[0]);
    hi = Math.max(hi, x[0]);
  }
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return u < 0.5 ? lo : hi;
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    x[0] = mid;
    if (cdf(x) < u) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
