import type { Rng } from '../random.js';

/**
 * A frequency distribution ρ_w on R^d (THEORY.md §1, §3). One object serves both sides of the
 * method: its samples initialise the network's first-layer frequencies, its symmetric density ρ_s
 * is the PDE's coefficient (THEORY.md §4).
 */
export interface FrequencyDistribution {
  readonly dim: 1 | 2;
  /** A short human-readable description, e.g. `gaussian(σ=10)`. */
  readonly name: string;
  /** n independent samples, flat and sample-major (length n·dim). */
  sample(n: number, rng: Rng): Float64Array;
  /** The normalised density ρ_w(ξ). */
  density(xi: ArrayLike<number>): number;
  /** ρ_s(ξ) = (ρ_w(ξ) + ρ_w(−ξ))/2. */
  symmetricDensity(xi: ArrayLike<number>): number;
  /** k(z) = E_w[cos(w·z)] (THEORY.md §3). */
  kernel(z: ArrayLike<number>): number;
  /**
   * E_w[sin(w·z)], the imaginary part of the characteristic function; 0 for a symmetric ρ_w. Needed
   * to shift a distribution: for w = c + w₀, E[cos(w·z)] = cos(c·z) k₀(z) − sin(c·z) s₀(z).
   */
  sineKernel?(z: ArrayLike<number>): number;
  /**
   * The CDF P(W ≤ ξ), componentwise in 2D, where it is known exactly (1D kinds, products of 1D
   * marginals); used by stratified sampling (a mixture's inverse CDF) and by tests.
   */
  cdf?(xi: ArrayLike<number>): number;
  /**
   * A map T of the unit cube [0, 1]^d with T(U) ~ ρ_w for U uniform, written to out[offset …
   * offset + d): the inverse CDF F⁻¹ in 1D, the marginal inverse CDFs per axis for a product ρ_w,
   * the polar map for the disk. Absent where there is none; stratified initialisation needs it.
   */
  inverseCdf?(u: ArrayLike<number>, out: Float64Array, offset?: number): void;
  /**
   * Per axis, the coordinates where ρ_s jumps (e.g. ±B for a uniform box), so meshes can put
   * nodes there; empty arrays for a continuous density.
   */
  readonly jumps: readonly (readonly number[])[];
  /** Points per axis where ρ_s is steep or peaked (e.g. 0 for a Gaussian), for mesh grading. */
  readonly peaks: readonly (readonly number[])[];
}
