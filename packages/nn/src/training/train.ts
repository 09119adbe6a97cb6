import type { DeepFF } from '../models/deep/model.js';
import type { TwoLayerFF } from '../models/two-layer/model.js';
import { trainDeep } from './deep.js';
import { trainTwoLayer } from './gd.js';
import { checkRunInputs, type TrainOptions, type TrainResult } from './options.js';

export type { TrainOptions, TrainResult } from './options.js';

/**
 * Trains a network on a grid by full-batch gradient descent on L = ½ h^d Σ_i u_i², u = f − g
 * (THEORY.md §2), recording u at the requested times (step k ↔ t = η k). With
 * `learningRate: 'auto'`, η = 1/λ_max with λ_max the largest eigenvalue of h^d·J Jᵀ (the empirical
 * NTK on the grid, matrix-free Lanczos iteration on jvp ∘ vjp). Divergence (a NaN, or the loss grown 10×)
 * throws an error naming η and λ_max and puts the parameters back to their values before training.
 * Deterministic for a given seed. With `operator`, the loss is ½ h^d Σ (L f − s)² with L applied to
 * the features exactly (THEORY.md §7): target is the source s, snapshots the residual L f − s, and
 * η 'auto' uses the NTK of L f.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 512 });
 * const target = grid.points.map((x) => Math.exp(-x * x / 2) * Math.sin(3 * x));
 * const net = new TwoLayerFF({ width: 2048, distribution: gaussian(10), seed: 1 });
 * const run = await train(net, { grid, target, learningRate: 'auto', times: [0, 1, 5] });
 * // run.snapshots[0] equals −target (mirrored initialisation); run.losses decrease
 * const pinn = await train(net, { grid, target: source, operator: helmholtz(2), learningRate: 'auto', times: [0, 1] });
 * // pinn.snapshots: residuals L f − s
 */
export async function train(model: TwoLayerFF | DeepFF, options: TrainOptions): Promise<TrainResult> {
  if (!options) throw new Error('options: expected training options');
  checkRunInputs(options.grid, 'target', options.target, options.learningRate, options.times);
  if (options.times.length === 0) throw new Error('times: expected a non-empty array of times ≥ 0');
  const optimizer = options.optimizer ?? 'gd';
  if (optimizer !== 'gd' && optimizer !== 'adam') {
    throw new Error(`optimizer: expected 'gd' or 'adam', got ${optimizer}`);
  }
  if (model?.kind === 'two-layer') {
    if (optimizer !== 'gd') throw new Error("optimizer: 'adam' is for DeepFF; TwoLayerFF trains by 'gd'");
    return trainTwoLayer(model, options);
  }
  if (model?.kind === 'deep') {
    if (options.operator !== undefined || options.solution !== undefined)
      throw new Error(
        `${options.operator !== undefined ? 'operator' : 'solution'}: only TwoLayerFF trains on an operator`,
      );
    return trainDeep(model, options);
  }
  throw new Error('model: expected a TwoLayerFF or a DeepFF');
}
