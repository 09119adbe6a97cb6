import type { Grid } from '../grid.js';
import { checkGrid } from '../numeric/checks.js';
import type { PowerIterationOptions } from '../numeric/power-iteration.js';
import type { DifferentialOperator } from '../operators/operator.js';

/** Options of {@link train}. */
export interface TrainOptions {
  readonly grid: Grid;
  /**
   * The target g at every grid point; the error is u = f − g. With an `operator`, the source s: the
   * error is the residual r = L f − s.
   */
  readonly target: ArrayLike<number>;
  /**
   * Train on L f ≈ s, the loss ½ h^d Σ (L f − s)² (THEORY.md §7), L applied to the features exactly
   * ({@link operatorEngine}); default: the identity. TwoLayerFF only.
   */
  readonly operator?: DifferentialOperator;
  /**
   * With an operator: a solution g of L g = s, to record the solution error f − g at each snapshot
   * as well (`TrainResult.solutionErrors`); one finite value per grid point.
   */
  readonly solution?: ArrayLike<number>;
  /** η, or 'auto' = 1/λ_max of h^d·K for the actual network (THEORY.md §2). */
  readonly learningRate: number | 'auto';
  /** Times at which to record u; each is rounded to the nearest step, t = η k. */
  readonly times: readonly number[];
  /**
   * 'gd' (default): full-batch gradient descent, the discretised gradient flow of THEORY.md §2.
   * 'adam' (DeepFF only): its time axis is steps × learning rate, which is not a gradient-flow time.
   */
  readonly optimizer?: 'gd' | 'adam';
  /** Adam's moments (defaults 0.9, 0.999, 1e-8). */
  readonly adam?: { readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number };
  /** Called after the loss of each step is known (step 0 … totalSteps). */
  readonly onProgress?: (step: number, totalSteps: number, loss: number) => void;
  /**
   * Power iteration for λ_max (defaults: tolerance 1e-6, at most 300 iterations, seed 1). Whether it
   * converged within maxIterations is `TrainResult.lambdaMaxConverged`.
   */
  readonly powerIteration?: PowerIterationOptions;
}

/** What {@link train} returns. Arrays indexed by snapshot follow the order of `options.times`. */
export interface TrainResult {
  /** Actual snapshot times, steps × η. */
  readonly times: number[];
  readonly steps: number[];
  /** u = f − g on the grid at each snapshot (copies); with an operator, the residual L f − s. */
  readonly snapshots: Float64Array[];
  /** With `TrainOptions.solution`: f − g at each snapshot; absent otherwise. */
  readonly solutionErrors?: Float64Array[];
  /** The operator's name when one was given (`TrainOptions.operator`). */
  readonly operator?: string;
  /** L = ½ h^d Σ u² at each snapshot. */
  readonly losses: number[];
  /** L at every step 0 … totalSteps. */
  readonly lossCurve: Float64Array;
  readonly learningRate: number;
  /** λ_max of h^d·K at initialisation; NaN when η was given and λ_max was not needed. */
  readonly lambdaMax: number;
  /**
   * false when 'auto' set η from a Lanczos iteration that stopped at maxIterations unconverged (η may
   * then be somewhat above 1/λ_max: the estimate approaches λ_max from below); true otherwise.
   */
  readonly lambdaMaxConverged: boolean;
  readonly optimizer: 'gd' | 'adam';
  /** How snapshot times relate to steps: 't = η·k (gradient flow)' or 't = η·k (Adam steps × η)'. */
  readonly timeAxis: string;
  /** Engine name: 'float64' | 'nufft' | 'tfjs-node' | 'tfjs-wasm' | 'tfjs-cpu'. */
  readonly engine: string;
  /** A description of where it ran, e.g. 'float64 (2 threads)' or the tfjs backend. */
  readonly backend: string;
  readonly seconds: number;
}

/**
 * The argument checks of every gradient-descent run on a grid (networks and the kernel baseline):
 * the grid, one finite value per grid point (`name`: 'target' or 'u0'), η, and the times. Every
 * error names the argument.
 *
 * @example
 * checkRunInputs(grid, 'target', g, 'auto', [0, 1]); // throws e.g. "target: value 3 is not finite (NaN)"
 */
export function checkRunInputs(
  grid: Grid,
  name: string,
  values: ArrayLike<number>,
  learningRate: number | 'auto',
  times: readonly number[],
): void {
  checkGrid(grid);
  if (!values || values.length !== grid.size) {
    throw new Error(`${name}: expected ${grid.size} values (one per grid point), got ${values?.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${name}: value ${i} is not finite (${values[i]})`);
  }
  if (
    learningRate !== 'auto' &&
    !(typeof learningRate === 'number' && learningRate > 0 && Number.isFinite(learningRate))
  ) {
    throw new Error(
      `learningRate: expected a finite number > 0 or 'auto', got ${JSON.stringify(learningRate)}`,
    );
  }
  if (!Array.isArray(times)) throw new Error('times: expected an array of times ≥ 0');
  for (const t of times) {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
      throw new Error(`times: expected finite times ≥ 0, got ${JSON.stringify(t)}`);
    }
  }
}
