import type { Grid } from './grid.js';
import type { DeepFF } from './models/deep.js';
import type { TwoLayerFF } from './models/two-layer.js';
import type { PowerIterationOptions } from './power-iteration.js';
import { trainDeep } from './train-deep.js';
import { checkTrainInputs } from './train-schedule.js';
import { trainTwoLayer } from './train-two-layer.js';

/** Options of {@link train}. */
export interface TrainOptions {
  readonly grid: Grid;
  /** The target g at every grid point; the error is u = f − g. */
  readonly target: ArrayLike<number>;
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
  /** Power iteration for λ_max (defaults: tolerance 1e-6, at most 300 iterations, seed 1). */
  readonly powerIteration?: PowerIterationOptions;
}

/** What {@link train} returns. Arrays indexed by snapshot follow the order of `options.times`. */
export interface TrainResult {
  /** Actual snapshot times, steps × η. */
  readonly times: number[];
  readonly steps: number[];
  /** u = f − g on the grid at each snapshot (copies). */
  readonly snapshots: Float64Array[];
  /** L = ½ h^d Σ u² at each snapshot. */
  readonly losses: number[];
  /** L at every step 0 … totalSteps. */
  readonly lossCurve: Float64Array;
  readonly learningRate: number;
  /** λ_max of h^d·K at initialisation; NaN when η was given and λ_max was not needed. */
  readonly lambdaMax: number;
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
 * Trains a network on a grid by full-batch gradient descent on L = ½ h^d Σ_i u_i², u = f − g
 * (THEORY.md §2), recording u at the requested times (step k ↔ t = η k). With
 * `learningRate: 'auto'`, η = 1/λ_max with λ_max the largest eigenvalue of h^d·J Jᵀ (the empirical
 * NTK on the grid, matrix-free power iteration on jvp ∘ vjp). Divergence (a NaN, or the loss grown 10×)
 * throws an error naming η and λ_max and puts the parameters back to their values before training.
 * Deterministic for a given seed.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 512 });
 * const target = grid.points.map((x) => Math.exp(-x * x / 2) * Math.sin(3 * x));
 * const net = new TwoLayerFF({ width: 2048, distribution: gaussian(10), seed: 1 });
 * const run = await train(net, { grid, target, learningRate: 'auto', times: [0, 1, 5] });
 * // run.snapshots[0] equals −target (mirrored initialisation); run.losses decrease
 */
export async function train(model: TwoLayerFF | DeepFF, options: TrainOptions): Promise<TrainResult> {
  if (!options) throw new Error('options: expected training options');
  checkTrainInputs(options.grid, options.target, options.learningRate);
  const optimizer = options.optimizer ?? 'gd';
  if (optimizer !== 'gd' && optimizer !== 'adam') {
    throw new Error(`optimizer: expected 'gd' or 'adam', got ${optimizer}`);
  }
  if (model?.kind === 'two-layer') {
    if (optimizer !== 'gd') throw new Error("optimizer: 'adam' is for DeepFF; TwoLayerFF trains by 'gd'");
    return trainTwoLayer(model, options);
  }
  if (model?.kind === 'deep') return trainDeep(model, options);
  throw new Error('model: expected a TwoLayerFF or a DeepFF');
}
