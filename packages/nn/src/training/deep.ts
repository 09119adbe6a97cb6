import type { DeepFF } from '../models/deep/model.js';
import { lanczosMax } from '../numeric/lanczos.js';
import { checkDivergence } from './divergence.js';
import { estimateOf, type LambdaMaxEstimate, learningRateFor } from './learning-rate.js';
import { TrainingLog } from './log.js';
import type { TrainOptions, TrainResult } from './options.js';
import { schedule } from './schedule.js';

/**
 * λ_max of h^d·J Jᵀ for a DeepFF on a grid: its empirical NTK, matrix-free through the network's
 * engine (`DeepEngine.ntk`; on tfjs two reverse passes, float32). Power iteration in Float64. Returns the estimate
 * with whether the Lanczos iteration (numeric/lanczos.ts) converged within `options.maxIterations`.
 *
 * @example
 * const { lambdaMax, converged } = await deepLambdaMaxEstimate(net, grid); // η = 1/lambdaMax for 'auto'
 */
export async function deepLambdaMaxEstimate(
  model: DeepFF,
  grid: TrainOptions['grid'],
  options: TrainOptions['powerIteration'] = {},
): Promise<LambdaMaxEstimate> {
  const engine = model.engine;
  const settings = { tolerance: 1e-4, maxIterations: 200, seed: 1, ...options };
  const result = await lanczosMax(
    async (v, out) => {
      await engine.ntk(grid, v, out);
      for (let i = 0; i < out.length; i++) out[i] *= grid.cellVolume;
    },
    grid.size,
    settings,
  );
  return estimateOf(result);
}

/**
 * {@link deepLambdaMaxEstimate}'s λ_max alone.
 *
 * @deprecated It hides whether the Lanczos iteration converged: use {@link deepLambdaMaxEstimate}.
 * @example
 * const lambda = await deepLambdaMax(net, grid);
 */
export async function deepLambdaMax(
  model: DeepFF,
  grid: TrainOptions['grid'],
  options: TrainOptions['powerIteration'] = {},
): Promise<number> {
  return (await deepLambdaMaxEstimate(model, grid, options)).lambdaMax;
}

/**
 * Full-batch training of a DeepFF on L = ½ h^d Σ u² (see {@link train}): gradient descent, or Adam,
 * whose time axis is steps × learning rate (not a gradient-flow time).
 */
export async function trainDeep(model: DeepFF, options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const { grid, onProgress } = options;
  const optimizerName = options.optimizer ?? 'gd';
  if (optimizerName === 'adam' && options.learningRate === 'auto') {
    throw new Error("learningRate: 'auto' (1/λ_max) is for gradient descent; give Adam a number");
  }
  const { engine, backend } = await model.engine.ready();
  const estimate =
    options.learningRate === 'auto'
      ? await deepLambdaMaxEstimate(model, grid, options.powerIteration)
      : undefined;
  const lambdaMax = estimate?.lambdaMax ?? Number.NaN;
  const eta = learningRateFor(options.learningRate, lambdaMax);
  const log = new TrainingLog(schedule(options.times, eta));
  const optimizer = await model.engine.optimizer(grid, options.target, {
    optimizer: optimizerName,
    learningRate: eta,
    adam: options.adam,
  });
  try {
    for (let k = 0; ; k++) {
      // The loss at θ_k (its gradient kept); the update is applied after the checks.
      const loss = await optimizer.loss();
      log.lossCurve[k] = loss;
      try {
        await checkDivergence(loss, log.lossCurve[0], k, eta, async () => {
          if (estimate) return lambdaMax;
          await model.engine.reset();
          return (await deepLambdaMaxEstimate(model, grid, options.powerIteration)).lambdaMax;
        });
      } catch (e) {
        await model.engine.reset();
        throw e;
      }
      if (log.isSnapshot(k)) log.snapshot(k, await optimizer.residual(), loss);
      onProgress?.(k, log.plan.total, loss);
      if (k === log.plan.total) break;
      optimizer.step();
    }
  } finally {
    optimizer.dispose();
  }
  const lambdaMaxConverged = estimate?.converged ?? true;
  return log.result(
    { learningRate: eta, lambdaMax, lambdaMaxConverged, optimizer: optimizerName, engine, backend },
    started,
  );
}
