import type { TwoLayerEngine, TwoLayerParameters, TwoLayerTangent } from '../models/two-layer/engine.js';
import type { TwoLayerFF } from '../models/two-layer/model.js';
import { zeroTangent } from '../models/two-layer/tangent.js';
import { lanczosMax } from '../numeric/lanczos.js';
import { operatorEngine } from '../operators/engine.js';
import { checkOperator, isIdentity } from '../operators/operator.js';
import { checkDivergence } from './divergence.js';
import { estimateOf, type LambdaMaxEstimate, learningRateFor } from './learning-rate.js';
import { TrainingLog } from './log.js';
import { riemannLoss } from './loss.js';
import { checkRunInputs, type TrainOptions, type TrainResult } from './options.js';
import { schedule } from './schedule.js';

/**
 * λ_max of h^d·J_T J_Tᵀ on the grid (THEORY.md §2, §3), matrix-free: each product is one vjp and one
 * jvp of the engine. J_T is the Jacobian in the trainable parameters only (w frozen → a and b).
 * Returns the estimate with whether the Lanczos iteration (numeric/lanczos.ts; settings as `powerIteration`) converged within `options.maxIterations` products.
 *
 * @example
 * const { lambdaMax, converged } = await twoLayerLambdaMaxEstimate(
 *   await net.engineFor(grid), net.parameters, grid.cellVolume, true);
 */
export async function twoLayerLambdaMaxEstimate(
  engine: TwoLayerEngine,
  p: TwoLayerParameters,
  cellVolume: number,
  trainW: boolean,
  options: TrainOptions['powerIteration'] = {},
): Promise<LambdaMaxEstimate> {
  const g = zeroTangent(p.dim, p.width);
  const settings = { tolerance: 1e-6, maxIterations: 300, seed: 1, ...options };
  const result = await lanczosMax(
    async (v, out) => {
      await engine.vjp(p, v, g);
      if (!trainW) g.w.fill(0);
      await engine.jvp(p, g, out);
      for (let i = 0; i < out.length; i++) out[i] *= cellVolume;
    },
    engine.grid.size,
    settings,
  );
  return estimateOf(result);
}

/**
 * {@link twoLayerLambdaMaxEstimate}'s λ_max alone.
 *
 * @deprecated It hides whether the Lanczos iteration converged: use {@link twoLayerLambdaMaxEstimate}.
 * @example
 * const lambda = await twoLayerLambdaMax(await net.engineFor(grid), net.parameters, grid.cellVolume, true);
 */
export async function twoLayerLambdaMax(
  engine: TwoLayerEngine,
  p: TwoLayerParameters,
  cellVolume: number,
  trainW: boolean,
  options: TrainOptions['powerIteration'] = {},
): Promise<number> {
  return (await twoLayerLambdaMaxEstimate(engine, p, cellVolume, trainW, options)).lambdaMax;
}

/** Full-batch GD for a TwoLayerFF on its engine (see {@link train}). */
export async function trainTwoLayer(model: TwoLayerFF, options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const { grid, onProgress, operator, solution } = options;
  if (operator !== undefined) checkOperator('operator', operator, grid.dim);
  if (solution !== undefined) {
    if (operator === undefined)
      throw new Error('solution: needs an operator (without one the target is the solution)');
    checkRunInputs(grid, 'solution', solution, options.learningRate, options.times);
  }
  const base = await model.engineFor(grid);
  // Not disposed here: the base engine is the model's.
  const engine = operator && !isIdentity(operator) ? operatorEngine(base, operator) : base;
  const solutionErrors: Float64Array[] | undefined = solution ? [] : undefined;
  const g = solution ? Float64Array.from(solution) : undefined;
  // trained where the engine's threads read and write it without copies; model.parameters at the end
  const p = onEngineMemory(engine, model.parameters);
  const hd = grid.cellVolume;
  const trainW = model.trainable.w;
  const initial = copyParameters(p);
  const lambdaAt = (q: TwoLayerParameters) =>
    twoLayerLambdaMaxEstimate(engine, q, hd, trainW, options.powerIteration);
  const estimate = options.learningRate === 'auto' ? await lambdaAt(p) : undefined;
  const lambdaMax = estimate?.lambdaMax ?? Number.NaN;
  const eta = learningRateFor(options.learningRate, lambdaMax);
  const log = new TrainingLog(schedule(options.times, eta));
  const target = Float64Array.from(options.target);
  const n = grid.size;
  const f = new Float64Array(n);
  const u = new Float64Array(n);
  const grad: TwoLayerTangent | undefined = engine.descend ? undefined : zeroTangent(p.dim, p.width);
  const step = -eta * hd; // θ ← θ − η ∇L, ∇L = h^d Jᵀ u
  for (let k = 0; ; k++) {
    await engine.forward(p, f);
    for (let i = 0; i < n; i++) u[i] = f[i] - target[i];
    const loss = riemannLoss(u, hd);
    log.lossCurve[k] = loss;
    try {
      await checkDivergence(loss, log.lossCurve[0], k, eta, () =>
        estimate ? Promise.resolve(lambdaMax) : lambdaAt(initial).then((e) => e.lambdaMax),
      );
    } catch (e) {
      restore(model.parameters, initial);
      throw e;
    }
    log.snapshot(k, u, loss);
    if (solutionErrors && g && log.isSnapshot(k)) {
      const e = await base.forward(p);
      for (let i = 0; i < n; i++) e[i] -= g[i];
      for (const s of log.plan.at.get(k) ?? []) solutionErrors[s] = e.slice();
    }
    onProgress?.(k, log.plan.total, loss);
    if (k === log.plan.total) break;
    if (!grad) {
      await engine.descend!(p, u, step, trainW);
      continue;
    }
    await engine.vjp(p, u, grad);
    if (trainW) axpy(step, grad.w, p.w);
    axpy(step, grad.a, p.a);
    axpy(step, grad.b, p.b);
  }
  if (p !== model.parameters) restore(model.parameters, p);
  const backend = engine.backend ?? engine.name;
  const lambdaMaxConverged = estimate?.converged ?? true;
  const result = log.result(
    { learningRate: eta, lambdaMax, lambdaMaxConverged, optimizer: 'gd', engine: engine.name, backend },
    started,
  );
  if (!operator) return result;
  return { ...result, operator: operator.name, ...(solutionErrors ? { solutionErrors } : {}) };
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

/** p itself, or a copy in the engine's own arrays when it has them (see TwoLayerEngine.float64). */
function onEngineMemory(engine: TwoLayerEngine, p: TwoLayerParameters): TwoLayerParameters {
  if (!engine.float64) return p;
  const array = (x: Float64Array) => {
    const y = engine.float64!(x.length);
    y.set(x);
    return y;
  };
  return { dim: p.dim, width: p.width, w: array(p.w), a: array(p.a), b: array(p.b) };
}

function copyParameters(p: TwoLayerParameters): TwoLayerParameters {
  return { dim: p.dim, width: p.width, w: p.w.slice(), a: p.a.slice(), b: p.b.slice() };
}

function restore(p: TwoLayerParameters, from: TwoLayerParameters): void {
  p.w.set(from.w);
  p.a.set(from.a);
  p.b.set(from.b);
}
