import type { PowerIterationResult } from '../numeric/power-iteration.js';

/**
 * η from the options: the given number, or 1/λ_max for 'auto'; throws when λ_max gave no usable η.
 *
 * @example
 * learningRateFor('auto', 4); // 0.25
 */
export function learningRateFor(learningRate: number | 'auto', lambdaMax: number): number {
  const eta = learningRate === 'auto' ? 1 / lambdaMax : learningRate;
  if (!(eta > 0 && Number.isFinite(eta))) {
    throw new Error(
      `learningRate: 'auto' found λ_max = ${lambdaMax}; the network's NTK on this grid is zero`,
    );
  }
  return eta;
}

/**
 * Throws unless η < 2/λ_max, where the gradient-descent map u ← (1 − η h^d K) u is stable.
 *
 * @example
 * checkStable(0.5, 4); // throws: η = 0.5 is at or above 2/λ_max = 0.5
 */
export function checkStable(eta: number, lambdaMax: number, operator = 'h^d K'): void {
  if (eta * lambdaMax >= 2) {
    throw new Error(
      `learningRate: η = ${eta} is at or above 2/λ_max = ${2 / lambdaMax} (λ_max = ${lambdaMax} of ${operator}): gradient descent would diverge`,
    );
  }
}

/**
 * λ_max of h^d·K from an iterative eigensolver (Lanczos, or a power iteration), with whether it
 * converged. An unconverged estimate is returned, not thrown, because slow convergence means nearly
 * equal top eigenvalues, where the estimate is already close to λ_max; but the Rayleigh quotient
 * (Ritz value) approaches λ_max from below, so η = 1/estimate may exceed 1/λ_max: callers see
 * `converged` and decide (train reports it as
 * `TrainResult.lambdaMaxConverged`).
 */
export interface LambdaMaxEstimate {
  readonly lambdaMax: number;
  readonly converged: boolean;
  readonly iterations: number;
}

/**
 * The {@link LambdaMaxEstimate} of a power iteration's or Lanczos iteration's result.
 *
 * @example
 * estimateOf(await powerIteration(apply, n, { maxIterations: 2 })); // { lambdaMax, converged: false, iterations: 2 }
 */
export function estimateOf(result: PowerIterationResult): LambdaMaxEstimate {
  return { lambdaMax: result.lambdaMax, converged: result.converged, iterations: result.iterations };
}
