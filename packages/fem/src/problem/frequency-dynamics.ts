/** The coefficients of the frequency-dynamics PDE. */
export interface FrequencyDynamics {
  /** D(ξ) = (2π)^d σ_a² ρ_s(ξ). */
  diffusion(xi: ArrayLike<number>): number;
  /** R(ξ) = (2π)^d ρ_s(ξ). */
  reaction(xi: ArrayLike<number>): number;
}

/**
 * The frequency-dynamics PDE of a two-layer Fourier Features network (THEORY §4):
 * ∂_t û = (2π)^d [σ_a² ∇·(ρ_s ∇û) − ρ_s û], i.e. diffusion D = (2π)^d σ_a² ρ_s and reaction
 * (damping) R = (2π)^d ρ_s. `density` is ρ_s (the symmetrised frequency density).
 *
 * @example
 * const rho = (xi: ArrayLike<number>) => Math.exp(-(xi[0] ** 2) / 200) / Math.sqrt(200 * Math.PI);
 * const p = frequencyDynamics({ dim: 1, density: rho, sigmaA: 1 });
 * p.reaction([0]); // 2π ρ(0) ≈ 0.2507
 */
export function frequencyDynamics(options: {
  dim: 1 | 2;
  density: (xi: ArrayLike<number>) => number;
  sigmaA: number;
}): FrequencyDynamics {
  const { dim, density, sigmaA } = options;
  if (dim !== 1 && dim !== 2) throw new Error(`dim: expected 1 or 2, got ${dim}`);
  if (typeof density !== 'function') throw new Error('density: expected a function of ξ');
  if (!Number.isFinite(sigmaA) || sigmaA < 0)
    throw new Error(`sigmaA: expected a finite number ≥ 0, got ${sigmaA}`);
  const c = (2 * Math.PI) ** dim;
  const cd = c * sigmaA * sigmaA;
  return {
    diffusion: (xi) => cd * density(xi),
    reaction: (xi) => c * density(xi),
  };
}
