import type { FrequencyDistribution } from '@freqbias/nn';

/**
 * (2π)^d ρ_s(ξ): the rate at which the error at frequency ξ decays without diffusion,
 * û(ξ,t) = e^{−(2π)^d ρ_s(ξ) t} û(ξ,0) (THEORY.md §4); d is the length of ξ. Its inverse is the
 * learning time without diffusion, the reference curve of the learning-time chart.
 *
 * @example
 * dampingRate(gaussian(10), [0]); // 2π·ρ_s(0)
 * 1 / dampingRate(gaussian(10), [3]); // learning time at ξ = 3 without diffusion
 */
export function dampingRate(
  distribution: Pick<FrequencyDistribution, 'symmetricDensity'>,
  xi: ArrayLike<number>,
): number {
  return (2 * Math.PI) ** xi.length * distribution.symmetricDensity(xi);
}
