import { checkCount } from '../numeric/checks.js';
import type { Rng } from '../random.js';
import type { FrequencyDistribution } from './types.js';

/** How first-layer frequencies are drawn: independent samples, or a stratified (quasi-random) set. */
export type FrequencySampling = 'random' | 'stratified';

/** The R2 sequence's steps 1/φ₂ and 1/φ₂², φ₂ the plastic number (the root of x³ = x + 1). */
const PLASTIC = 1.324717957244746;
const R2 = [1 / PLASTIC, 1 / (PLASTIC * PLASTIC)];
/** Half the resolution of rng.uniform(): keeps points off u = 0, where an inverse CDF may be −∞. */
const HALF_ULP = 2 ** -33;

/**
 * Throws a one-line error unless stratified sampling can map the unit cube onto `distribution`
 * (it needs an `inverseCdf`: every 1D kind, products of 1D marginals in 2D, the disk).
 *
 * @example
 * checkStratifiable(mixture([1, 1], [gaussian(2, 2), shifted(gaussian(2, 2), [3, 0])]));
 * // throws 'sampling: "stratified" needs an inverse CDF of ρ_w, which mixture(…) has not …'
 */
export function checkStratifiable(distribution: FrequencyDistribution, field = 'sampling'): void {
  if (!distribution.inverseCdf)
    throw new Error(
      `${field}: "stratified" needs an inverse CDF of ρ_w, which ${distribution.name} has not (2D mixtures and 2D expression densities are not products of 1D marginals); use "random"`,
    );
}

/**
 * The `sampling` option of a network, resolved: 'random' unless given; a one-line error for any
 * other value, or for 'stratified' with a ρ_w {@link checkStratifiable} refuses.
 *
 * @example
 * checkSampling(undefined, gaussian(10)); // 'random'
 * checkSampling('stratified', gaussian(10)); // 'stratified'
 */
export function checkSampling(sampling: unknown, distribution: FrequencyDistribution): FrequencySampling {
  const value = sampling ?? 'random';
  if (value !== 'random' && value !== 'stratified')
    throw new Error(`sampling: expected 'random' or 'stratified', got ${JSON.stringify(value)}`);
  if (value === 'stratified') checkStratifiable(distribution);
  return value;
}

/**
 * n stratified samples of ρ_w (flat, sample-major), mapped through its inverse CDF T
 * (FrequencyDistribution.inverseCdf):
 * - 1D, jittered strata: w_i = F⁻¹((i + U_i)/n), i = 0 … n − 1, with U_i ~ U(0, 1) independent and
 *   seeded; exactly one sample falls in each of the n equal-mass cells of ρ_w, so the empirical CDF is
 *   within 1/n of F everywhere (the KS statistic is ≤ 1/n; independent samples give ≈ 0.87/√n).
 *   The samples come out in increasing order.
 * - 2D, a rotated low-discrepancy set: u_i = frac(s + (i + ½) α) with the R2 sequence's
 *   α = (1/φ₂, 1/φ₂²) and one seeded shift s ~ U([0, 1)²) (a Cranley–Patterson rotation, which keeps
 *   E[u_i] uniform), then w_i = T(u_i): per-axis marginal inverse CDFs for products, polar for the
 *   disk. Its discrepancy is O(log n / n).
 *
 * @example
 * const w = stratifiedSample(gaussian(10), 1000, createRng(1)); // one w per 1/1000 of the mass
 */
export function stratifiedSample(distribution: FrequencyDistribution, n: number, rng: Rng): Float64Array {
  checkCount('n', n);
  checkStratifiable(distribution);
  const d = distribution.dim;
  const map = distribution.inverseCdf as NonNullable<FrequencyDistribution['inverseCdf']>;
  const out = new Float64Array(n * d);
  const u = new Float64Array(d);
  if (d === 1) {
    for (let i = 0; i < n; i++) {
      u[0] = (i + rng.uniform() + HALF_ULP) / n;
      map(u, out, i);
    }
    return out;
  }
  const shift = [rng.uniform(), rng.uniform()];
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 2; a++) {
      const v = (shift[a] + (i + 0.5) * R2[a]) % 1;
      u[a] = v === 0 ? HALF_ULP : v;
    }
    map(u, out, 2 * i);
  }
  return out;
}
