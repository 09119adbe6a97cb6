import type { FrequencyDistribution } from '@freqbias/nn';

/**
 * (2π)^d ρ_s(ξ) |p(ξ)|²: the rate at which the error at frequency ξ decays without diffusion,
 * û(ξ,t) = e^{−(2π)^d ρ_s(ξ) t} û(ξ,0) (THEORY.md §4); d is the length of ξ. Its inverse is the
 * learning time without diffusion, the reference curve of the learning-time chart. With an operator
 * L of symbol p (training on L f ≈ s, THEORY.md §7) the residual's frequency ξ decays |p(ξ)|² times
 * faster: the operator re-weights the bias.
 *
 * @example
 * dampingRate(gaussian(10), [0]); // 2π·ρ_s(0)
 * 1 / dampingRate(gaussian(10), [3]); // learning time at ξ = 3 without diffusion
 * dampingRate(gaussian(6), [3], helmholtz(2)); // 2π·ρ_s(3)·13²
 */
export function dampingRate(
  distribution: Pick<FrequencyDistribution, 'symmetricDensity'>,
  xi: ArrayLike<number>,
  operator?: { symbol(xi: ArrayLike<number>): { re: number; im: number } },
): number {
  const rate = (2 * Math.PI) ** xi.length * distribution.symmetricDensity(xi);
  if (!operator) return rate;
  const p = operator.symbol(xi);
  return rate * (p.re * p.re + p.im * p.im);
}
