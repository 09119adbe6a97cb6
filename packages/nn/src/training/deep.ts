import * as tf from '@tensorflow/tfjs';
import type { DeepFF } from '../models/deep/model.js';
import { powerIteration } from '../numeric/power-iteration.js';
import { checkDivergence } from './divergence.js';
import { estimateOf, type LambdaMaxEstimate, learningRateFor } from './learning-rate.js';
import { TrainingLog } from './log.js';
import type { TrainOptions, TrainResult } from './options.js';
import { schedule } from './schedule.js';

/**
 * λ_max of h^d·J Jᵀ for a DeepFF on a grid: its empirical NTK, matrix-free through tfjs. Jᵀ v is one
 * reverse pass; J t is the gradient in r of ⟨Jᵀ r, t⟩ (a second reverse pass through the first, exact
 * because Jᵀ r is linear in r). Float32 products, power iteration in Float64. Returns the estimate
 * with whether the power iteration converged within `options.maxIterations`.
 *
 * @example
 * const { lambdaMax, converged } = await deepLambdaMaxEstimate(net, grid); // η = 1/lambdaMax for 'auto'
 */
export async function deepLambdaMaxEstimate(
  model: DeepFF,
  grid: TrainOptions['grid'],
  options: TrainOptions['powerIteration'] = {},
): Promise<LambdaMaxEstimate> {
  const trainable = await model.trainableVariables();
  const all = await model.variables();
  const x = model.input(grid);
  const fixed = model.trainable.w ? [] : [all[0]];
  const pullback = (r: tf.Tensor1D, weights: tf.Tensor[]) =>
    tf.grads((...ws: tf.Tensor[]) => tf.sum(tf.mul(r, model.apply(x, [...fixed, ...ws]))))(weights);
  const settings = { tolerance: 1e-4, maxIterations: 200, seed: 1, ...options };
  const result = await powerIteration(
    async (v, out) => {
      const jjtv = tf.tidy(() => {
        const weights = trainable.map((w) => w as tf.Tensor);
        const t = pullback(tf.tensor1d(Float32Array.from(v)), weights);
        return tf.grad((r: tf.Tensor) => {
          const g = pullback(r as tf.Tensor1D, weights);
          return tf.addN(g.map((gk, k) => tf.sum(tf.mul(gk, t[k]))));
        })(tf.zeros([grid.size]));
      });
      const data = await jjtv.data();
      jjtv.dispose();
      for (let i = 0; i < out.length; i++) out[i] = grid.cellVolume * data[i];
    },
    grid.size,
    settings,
  );
  return estimateOf(result);
}

/**
 * {@link deepLambdaMaxEstimate}'s λ_max alone.
 *
 * @deprecated It hides whether the power iteration converged: use {@link deepLambdaMaxEstimate}.
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
  const { engine, backend } = await model.ready();
  const hd = grid.cellVolume;
  const x = model.input(grid);
  const all = await model.variables();
  const trainable = await model.trainableVariables();
  const estimate =
    options.learningRate === 'auto'
      ? await deepLambdaMaxEstimate(model, grid, options.powerIteration)
      : undefined;
  const lambdaMax = estimate?.lambdaMax ?? Number.NaN;
  const eta = learningRateFor(options.learningRate, lambdaMax);
  const log = new TrainingLog(schedule(options.times, eta));
  const g = tf.keep(tf.tensor1d(Float32Array.from(options.target), 'float32'));
  const adam = options.adam ?? {};
  const optimizer =
    optimizerName === 'adam'
      ? tf.train.adam(eta, adam.beta1 ?? 0.9, adam.beta2 ?? 0.999, adam.epsilon ?? 1e-8)
      : tf.train.sgd(eta);
  try {
    for (let k = 0; ; k++) {
      // One pass gives both the loss at θ_k and its gradient; the update is applied after the checks.
      const { value, grads } = tf.variableGrads(
        () => tf.mul(0.5 * hd, tf.sum(tf.square(tf.sub(model.apply(x, all), g)))) as tf.Scalar,
        trainable,
      );
      const loss = (await value.data())[0];
      value.dispose();
      log.lossCurve[k] = loss;
      try {
        await checkDivergence(loss, log.lossCurve[0], k, eta, async () => {
          if (estimate) return lambdaMax;
          await model.reset();
          return deepLambdaMax(model, grid, options.powerIteration);
        });
      } catch (e) {
        tf.dispose(grads);
        await model.reset();
        throw e;
      }
      if (log.isSnapshot(k)) {
        const u = tf.tidy(() => tf.sub(model.apply(x, all), g));
        const data = Float64Array.from(await u.data());
        u.dispose();
        log.snapshot(k, data, loss);
      }
      onProgress?.(k, log.plan.total, loss);
      if (k === log.plan.total) {
        tf.dispose(grads);
        break;
      }
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      tf.dispose(grads);
    }
  } finally {
    g.dispose();
    optimizer.dispose();
  }
  const lambdaMaxConverged = estimate?.converged ?? true;
  return log.result(
    { learningRate: eta, lambdaMax, lambdaMaxConverged, optimizer: optimizerName, engine, backend },
    started,
  );
}
