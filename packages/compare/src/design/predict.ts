import type { ExperimentConfig } from '../config/index.js';
import { parseConfig } from '../config/index.js';
import { type Finding, PreflightError } from '../pipeline/checks/findings.js';
import { checkDistribution } from '../pipeline/checks/inputs.js';
import { runContext } from '../pipeline/context.js';
import { pdeMesh, solvePde } from '../pipeline/pde.js';
import { type GoalValue, goalValue, learningTimeOf, type Trajectory } from './goals.js';
import type { DesignSpec } from './spec.js';

/** The PDE's prediction for one candidate ρ_w. */
export interface Prediction extends Trajectory {
  readonly distribution: Record<string, unknown>;
  readonly goal: GoalValue;
  /** Why the candidate cannot be used (e.g. ρ_w aliases on the grid); its goal is then Infinity. */
  readonly infeasible?: string;
  readonly seconds: number;
}

/** The config of a candidate: the spec's config part with `distribution` (validated as any config). */
export function candidateConfig(spec: DesignSpec, distribution: Record<string, unknown>): ExperimentConfig {
  return parseConfig({ ...spec.configJson, distribution }, spec.source, { baseDir: spec.baseDir });
}

/** Times 0…T at which the prediction is output: `count` of them, evenly spaced. */
export function predictionTimes(config: ExperimentConfig, count: number): number[] {
  const T = config.training.time;
  return Array.from({ length: count + 1 }, (_, k) => (k * T) / count);
}

/**
 * Predicts training with ρ_w = `distribution` by the frequency-dynamics PDE (THEORY.md §4), from the
 * mirrored network's initial error u₀ = −g (exact on the grid), and evaluates the spec's goal on it.
 * `pde` overrides the config's PDE settings (the search's coarser solves). A ρ_w that the run would
 * refuse (mass beyond the grid's Nyquist frequency) is infeasible, not an error.
 *
 * @example
 * predict(spec, { kind: 'gaussian', sigma: 12 }).goal.value; // time to the loss fraction
 */
export function predict(
  spec: DesignSpec,
  distribution: Record<string, unknown>,
  pde: Partial<ExperimentConfig['pde']> = {},
  outputs = spec.search.outputs,
): Prediction {
  const t0 = performance.now();
  const base = candidateConfig(spec, distribution);
  const config: ExperimentConfig = { ...base, pde: { ...base.pde, ...pde } };
  const ctx = runContext(config, { baseDir: spec.baseDir });
  const refused = checkDistribution(ctx.grid, ctx.distribution).find((f: Finding) => f.level === 'error');
  const times = predictionTimes(config, outputs);
  if (refused) {
    return {
      distribution,
      times,
      loss: [],
      learningTimes: [],
      goal: { value: Infinity, secondary: Infinity, reached: false, text: refused.message },
      infeasible: `${refused.field}: ${refused.message}`,
      seconds: (performance.now() - t0) / 1000,
    };
  }
  const u0 = Float64Array.from(ctx.target, (g) => -g);
  let solved: ReturnType<typeof solvePde>;
  try {
    solved = solvePde(ctx, pdeMesh(config, ctx.distribution), u0, times, undefined);
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    throw new Error(`PDE for distribution ${JSON.stringify(distribution)}: ${(error as Error).message}`);
  }
  const points = Float64Array.from(spec.band.flat());
  const learningTimes: number[] = [];
  if (spec.band.length > 0) {
    const spectra = solved.at(points);
    for (let q = 0; q < spec.band.length; q++)
      learningTimes.push(
        learningTimeOf(
          times,
          spectra.map((s) => Math.hypot(s.re[q], s.im[q])),
        ),
      );
  }
  const trajectory = { times, loss: solved.loss, learningTimes };
  return {
    distribution,
    ...trajectory,
    goal: goalValue(spec.goal, spec.band, trajectory),
    seconds: (performance.now() - t0) / 1000,
  };
}
