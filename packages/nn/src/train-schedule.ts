import type { Grid } from './grid.js';
import { checkGrid, checkPositive } from './models/validate.js';

/** The snapshot plan of a training run: step k ↔ time t = η k (THEORY.md §2). */
export interface Schedule {
  /** Requested time → step, rounded; one entry per requested time, in the requested order. */
  readonly steps: number[];
  /** The actual times, steps × η. */
  readonly times: number[];
  /** The last step. */
  readonly total: number;
  /** Step → indices of the snapshots taken there. */
  readonly at: Map<number, number[]>;
}

/** Rounds each requested time to a step of size η. */
export function schedule(times: readonly number[], eta: number): Schedule {
  if (!Array.isArray(times) || times.length === 0) {
    throw new Error('times: expected a non-empty array of times ≥ 0');
  }
  const steps = times.map((t) => {
    if (!Number.isFinite(t) || t < 0) throw new Error(`times: expected finite times ≥ 0, got ${t}`);
    return Math.round(t / eta);
  });
  const at = new Map<number, number[]>();
  steps.forEach((k, s) => {
    at.set(k, [...(at.get(k) ?? []), s]);
  });
  return { steps, times: steps.map((k) => k * eta), total: Math.max(...steps), at };
}

/** Checks the options every model shares and returns the target as Float64Array. */
export function checkTrainInputs(grid: Grid, target: ArrayLike<number>, learningRate: number | 'auto'): void {
  checkGrid(grid);
  if (!target || target.length !== grid.size) {
    throw new Error(`target: expected ${grid.size} values (one per grid point), got ${target?.length}`);
  }
  for (let i = 0; i < target.length; i++) {
    if (!Number.isFinite(target[i])) throw new Error(`target: value ${i} is not finite (${target[i]})`);
  }
  if (learningRate !== 'auto') checkPositive('learningRate', learningRate);
}

/** L = ½ h^d Σ u_i² (THEORY.md §2). */
export function riemannLoss(u: Float64Array, cellVolume: number): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * u[i];
  return 0.5 * cellVolume * s;
}

/**
 * The divergence test: a NaN, or the loss grown 10× over its initial value. Throws an error naming η
 * and λ_max (estimated by `lambdaMax` when training did not compute it).
 */
export async function checkDivergence(
  loss: number,
  initialLoss: number,
  step: number,
  eta: number,
  lambdaMax: () => Promise<number>,
): Promise<void> {
  if (Number.isFinite(loss) && !(initialLoss > 0 && loss > 10 * initialLoss)) return;
  let lambda = Number.NaN;
  try {
    lambda = await lambdaMax();
  } catch {
    // keep NaN: the message still names η
  }
  const why = Number.isFinite(loss) ? `loss grew from ${initialLoss} to ${loss}` : `loss is ${loss}`;
  throw new Error(
    `training diverged at step ${step}: ${why}; learning rate η = ${eta}, λ_max = ${lambda} ` +
      `(stability needs η < 2/λ_max = ${2 / lambda}; try learningRate: 'auto' = 1/λ_max)`,
  );
}
