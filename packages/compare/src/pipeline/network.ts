import {
  checkStratifiable,
  DeepFF,
  type DifferentialOperator,
  deepLambdaMaxEstimate,
  type FrequencyDistribution,
  type Grid,
  type LambdaMaxEstimate,
  operatorEngine,
  TwoLayerFF,
  train,
  twoLayerLambdaMaxEstimate,
} from '@freqbias/nn';
import type { ExperimentConfig } from '../config/index.js';
import { type Finding, PreflightError } from './checks/findings.js';
import { gradientFlowDistance, type LearningRatePlan, planLearningRate } from './checks/learning-rate.js';
import type { Limits } from './checks/resources.js';
import type { RunContext } from './context.js';
import { effectiveSigmaA } from './kernel.js';
import type { ProgressSink } from './progress.js';

/** One seed's training: its snapshots of the error at `times` and how it was trained. */
export interface NetworkRun {
  times: number[];
  snapshots: Float64Array[];
  learningRate: number;
  lambdaMax: number;
  engine: string;
  backend: string;
  timeAxis: string;
  seconds: number;
  /** With an operator and a solution g (`targetIs: "solution"`): f − g at each snapshot. */
  solutionErrors?: Float64Array[];
}

/** The network of a config: a two-layer Fourier Features network or a DeepFF. */
export type Model = TwoLayerFF | DeepFF;

/** The config's network for one seed. */
export function makeModel(
  config: ExperimentConfig,
  distribution: FrequencyDistribution,
  seed: number,
): Model {
  const net = config.network;
  if (net.sampling === 'stratified') checkStratifiable(distribution, 'network.sampling');
  return net.kind === 'twoLayer'
    ? new TwoLayerFF({
        width: net.width,
        distribution,
        sigmaA: net.sigmaA,
        seed,
        mirrored: net.mirrored,
        sampling: net.sampling,
        trainable: { w: net.trainW },
        engine: net.engine,
      })
    : new DeepFF({
        distribution,
        features: net.width,
        width: net.hiddenWidth,
        depth: net.hiddenLayers,
        activation: net.activation,
        seed,
        sampling: net.sampling,
        trainable: { w: net.trainW },
      });
}

/**
 * λ_max of h^d·J Jᵀ for the model at initialisation (THEORY.md §2), with whether it converged; with
 * an operator, J is the Jacobian of L f (THEORY.md §7).
 */
async function lambdaMaxOf(
  model: Model,
  grid: Grid,
  operator?: DifferentialOperator,
): Promise<LambdaMaxEstimate> {
  if (model.kind === 'two-layer') {
    const engine = await model.engineFor(grid);
    return twoLayerLambdaMaxEstimate(
      // the model owns the base engine: the wrapper is not disposed of here
      operator ? operatorEngine(engine, operator) : engine,
      model.parameters,
      grid.cellVolume,
      model.trainable.w,
    );
  }
  return deepLambdaMaxEstimate(model, grid);
}

/** The two-layer network's output at initialisation on the grid: f₀, or L f₀ with an operator (THEORY.md §7). */
export async function initialOutput(
  model: TwoLayerFF,
  { grid, operator }: RunContext,
): Promise<Float64Array> {
  if (!operator) return model.evaluate(grid);
  // the model owns the base engine: the wrapper is not disposed of here
  return operatorEngine(await model.engineFor(grid), operator).forward(model.parameters);
}

/**
 * The learning rate of the run (see {@link planLearningRate}): for two-layer networks trained by GD
 * it keeps GD within `training.flowTolerance` of gradient flow in the kernel regime.
 */
export async function learningRatePlan(
  { config, grid, distribution, operator }: RunContext,
  u0: Float64Array,
  times: number[],
  model: Model,
  limits: Limits,
): Promise<LearningRatePlan> {
  const { learningRate, optimizer } = config.training;
  const estimate = learningRate === 'auto' ? await lambdaMaxOf(model, grid, operator) : undefined;
  const lambdaMax = estimate?.lambdaMax ?? Number.NaN;
  const sigmaA = effectiveSigmaA(config);
  const plan = planLearningRate({
    learningRate,
    lambdaMax,
    times,
    tolerance: config.training.flowTolerance,
    maxSteps: limits.steps,
    flowDistance:
      config.network.kind === 'twoLayer' && optimizer === 'gd'
        ? (eta) => {
            try {
              return gradientFlowDistance({ grid, distribution, sigmaA, u0, eta, times, operator });
            } catch (error) {
              // the kernel baseline refuses an unstable η: say so for the config's field, before training
              const unstable = /at or above 2\/λ_max = ([\d.e+-]+)/.exec((error as Error).message);
              if (!unstable) throw error;
              throw new PreflightError({
                level: 'error',
                field: 'training.learningRate',
                message: `η = ${eta} is at or above 2/λ_max = ${Number(unstable[1]).toPrecision(3)} of the kernel on this grid: gradient descent would diverge; use a smaller η or "auto"`,
                value: eta,
                limit: Number(unstable[1]),
              });
            }
          }
        : undefined,
  });
  if (!estimate || estimate.converged) return plan;
  // an unconverged Lanczos iteration must not set η silently (its Ritz value underestimates λ_max)
  const warning: Finding = {
    level: 'warning',
    field: 'training.learningRate',
    message: `the Lanczos iteration for λ_max stopped after ${estimate.iterations} products without converging (estimate ${estimate.lambdaMax.toPrecision(4)}); η = 1/λ_max may be too large for stable gradient descent`,
    value: estimate.iterations,
  };
  return { ...plan, findings: [...plan.findings, warning] };
}

/**
 * Trains one network per seed with the same η, so that all snapshots are at the same times; `first`
 * is the first seed's model, already made. Each model is disposed of when its training ends.
 */
export async function trainNetworks(
  { config, grid, distribution, target, operator, solution }: RunContext,
  times: number[],
  learningRate: number,
  first: Model,
  progress: ProgressSink | undefined,
): Promise<NetworkRun[]> {
  const runs: NetworkRun[] = [];
  for (const [s, seed] of config.training.seeds.entries()) {
    const model = s === 0 ? first : makeModel(config, distribution, seed);
    let started = false;
    try {
      const run = await train(model, {
        grid,
        target,
        learningRate,
        times,
        optimizer: config.training.optimizer,
        // with an operator the target is the source s and the snapshots are residuals L f − s
        ...(operator ? { operator, ...(solution ? { solution } : {}) } : {}),
        onProgress: (step, total) => {
          if (!started) {
            progress?.start(`training (seed ${seed})`, total);
            started = true;
          }
          if (step % 8 === 0 || step === total) progress?.update(step);
        },
      });
      runs.push({ ...run, lambdaMax: Number.isNaN(run.lambdaMax) ? Number.NaN : run.lambdaMax });
    } finally {
      if (started) progress?.stop();
      await model.dispose();
    }
  }
  return runs;
}

/** The requested snapshot times with t = 0 first: the PDE and the kernel start from the error at t = 0. */
export function snapshotTimes(config: ExperimentConfig): { times: number[]; findings: Finding[] } {
  const requested = config.training.snapshots;
  if (requested[0] === 0) return { times: [...requested], findings: [] };
  return {
    times: [0, ...requested],
    findings: [
      {
        level: 'note',
        field: 'training.snapshots',
        message: `t = 0 added before ${requested[0]}: the PDE and the kernel baseline start from the network's error at t = 0`,
      },
    ],
  };
}

/** The mean of equally long arrays (the ensemble's initial error). */
export function meanOf(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays[0].length);
  for (const a of arrays) for (let i = 0; i < a.length; i++) out[i] += a[i] / arrays.length;
  return out;
}
