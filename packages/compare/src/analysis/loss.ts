import type { Spectrum } from '../spectrum/types.js';

/** One point of a loss curve: the training time and ½∫|u|² dx there. */
export interface LossPoint {
  readonly time: number;
  readonly value: number;
}

/** The loss curves of a run (report.json's `metrics.loss`): network, PDE and kernel baseline. */
export interface LossCurves {
  readonly nn: LossPoint[];
  readonly pde?: LossPoint[];
  readonly kernel?: LossPoint[];
}

/**
 * The training loss ½ h^d Σ_i u_i² of an error u on the grid (THEORY.md §2): the quadrature of
 * ½∫|u|² dx that gradient descent minimises.
 *
 * @example
 * gridLoss(u, grid.cellVolume); // ½ h^d Σ u_i²
 */
export function gridLoss(u: ArrayLike<number>, cellVolume: number): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += u[i] * u[i];
  return 0.5 * cellVolume * sum;
}

/**
 * ½∫|u|² dx from the error's spectrum by Parseval, ½ (2π)^{−d} ∫|û|² dξ (THEORY.md §4), with the
 * ξ-integral as the sum over the spectrum's whole (periodic) frequency grid times its cell. For the
 * sampled transform of THEORY.md §5.5 (any zero padding) this equals {@link gridLoss} of the same
 * u up to rounding: it is the discrete Parseval identity, and a check of the spectra's scaling.
 *
 * @example
 * spectralLoss(errorSpectrum(grid, u)); // ≈ gridLoss(u, grid.cellVolume)
 */
export function spectralLoss(spectrum: Spectrum): number {
  let sum = 0;
  for (let k = 0; k < spectrum.re.length; k++) sum += spectrum.re[k] ** 2 + spectrum.im[k] ** 2;
  let cell = 1;
  for (const f of spectrum.frequencies) {
    if (f.length < 2) throw new Error('spectrum: every axis needs at least two frequencies');
    cell *= f[1] - f[0];
  }
  return (0.5 * sum * cell) / (2 * Math.PI) ** spectrum.dim;
}

/**
 * ½ (2π)^{−d} ∫_Ω |û|² dξ from ‖û‖_{L²(Ω)}, the PDE solution's norm on its box Ω = [−Ξ, Ξ]^d: the
 * PDE's loss by Parseval (what lies outside Ω is left out; the band is chosen to hold the error).
 *
 * @example
 * pdeLoss(normL2(solution, k), 1); // ½ ‖û‖² / (2π)
 */
export function pdeLoss(normL2: number, dim: 1 | 2): number {
  return (0.5 * normL2 * normL2) / (2 * Math.PI) ** dim;
}

/**
 * A loss curve from per-snapshot values.
 *
 * @example
 * lossCurve([0, 1], [0.5, 0.2]); // [{ time: 0, value: 0.5 }, { time: 1, value: 0.2 }]
 */
export function lossCurve(times: readonly number[], values: ArrayLike<number>): LossPoint[] {
  if (values.length !== times.length)
    throw new Error(`values: expected ${times.length} losses (one per snapshot), got ${values.length}`);
  return times.map((time, j) => ({ time, value: values[j] }));
}
