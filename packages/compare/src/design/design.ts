import { type DistributionSpec, distributionFromSpec } from '@freqbias/nn';
import type { LossPoint } from '../analysis/loss.js';
import { ConfigError } from '../config/index.js';
import type { Finding } from '../pipeline/checks/findings.js';
import { checkDistribution } from '../pipeline/checks/inputs.js';
import { runContext } from '../pipeline/context.js';
import type { ProgressSink } from '../pipeline/progress.js';
import type { ExperimentResult } from '../pipeline/result.js';
import { spectrumAt } from '../spectrum/spectrum-at.js';
import { type LbfgsResult, minimiseLbfgs } from './descent.js';
import { type GoalValue, goalValue } from './goals.js';
import { goalGradient, gradientProblem } from './gradient.js';
import { candidateConfig, type Prediction, predict } from './predict.js';
import { searchMinimum } from './search.js';
import {
  type DesignSpec,
  familyDistribution,
  familyParameters,
  type GradientFamilySpec,
  gradientFamily,
  isGradientFamily,
} from './spec.js';

/** One candidate the search solved: its parameters, goal value and cost. */
export interface DesignCandidate {
  readonly parameters: number[];
  readonly value: number;
  readonly reached: boolean;
  readonly infeasible?: string;
  readonly seconds: number;
}

/** A network trained with one ρ_w, as the verification sees it. */
export interface TrainedDesign {
  readonly distribution: Record<string, unknown>;
  /** The goal measured on the trained network (the mean over its seeds). */
  readonly goal: GoalValue;
  /** The goal on the PDE of the same run (its full settings, from the network's own u₀). */
  readonly pdeGoal: GoalValue;
  readonly loss: { readonly nn: LossPoint[]; readonly pde?: LossPoint[] };
  /** Learning times at the goal's band: network and PDE (null: not reached in training.time). */
  readonly learningTimes: {
    readonly frequency: number[];
    readonly nn: number | null;
    readonly pde: number | null;
  }[];
  readonly nnVsPdeMax: number | null;
  readonly seconds: number;
  readonly result: ExperimentResult;
}

/** What `freqbias design` found: the design.json content (without the trained runs' full results). */
export interface DesignResult {
  readonly spec: DesignSpec;
  readonly parameterNames: string[];
  readonly designed: { readonly parameters: number[]; readonly prediction: Prediction };
  readonly start: { readonly parameters: number[]; readonly prediction: Prediction };
  readonly candidates: DesignCandidate[];
  /** How the gradient-based descent of a mixture or free family went (absent for the others). */
  readonly descent?: {
    readonly iterations: number;
    readonly evaluations: number;
    readonly stopped: LbfgsResult['stopped'];
  };
  /** The trainings that refined a one-parameter design on the network (empty without). */
  readonly refinement?: RefinedCandidate[];
  readonly searchSeconds: number;
  /** Absent with `verify: false`. */
  readonly verification?: {
    readonly designed: TrainedDesign;
    readonly start: TrainedDesign;
    /** The designed ρ_w's goal on the trained network is better than the start's. */
    readonly improved: boolean;
  };
}

/** Options of {@link runDesign}. */
export interface DesignOptions {
  /** Train the network with the designed ρ_w and with the start (default true). */
  readonly verify?: boolean;
  /** Called after each solved candidate (the search's progress: `done` of about `total`). */
  readonly onCandidate?: (candidate: DesignCandidate, done: number, total: number) => void;
  /** Progress of the verification's training runs. */
  readonly progress?: ProgressSink;
  /** Called with each warning or note of the verification runs. */
  readonly onFinding?: (finding: Finding, run: 'designed' | 'start') => void;
  /** Runs an experiment (default: the pipeline's runExperiment; tests may pass a smaller one). */
  readonly runExperiment?: (
    config: ExperimentResult['config'],
    options: { baseDir: string; progress?: ProgressSink; onFinding?: (f: Finding) => void },
  ) => Promise<ExperimentResult>;
}

/** Roughly how many candidates a search solves (for a progress bar). */
function expectedCandidates(spec: DesignSpec, count: number): number {
  const { scan, tolerance, rounds } = spec.search;
  const golden =
    Math.ceil(Math.log(Math.log1p(tolerance) / ((2 * Math.log(1e3)) / (scan - 1))) / Math.log(0.618)) + 2;
  return 1 + (count === 1 ? scan + golden : count * (scan + golden) + (rounds - 1) * count * golden);
}

/**
 * Designs ρ_w (issue 12): searches the family's parameters for the best goal value on the PDE's
 * prediction (cheap), predicts the best and the starting guess with the config's full PDE settings,
 * then — unless `verify: false` — trains the network with both and measures the goal on it.
 *
 * @example
 * const design = await runDesign(loadDesignSpec('fastest-1d'));
 * design.designed.parameters; // [σ_w]
 * design.verification?.improved; // true: the designed ρ_w beats the start on the trained network
 */
export async function runDesign(spec: DesignSpec, options: DesignOptions = {}): Promise<DesignResult> {
  const started = performance.now();
  const { family } = spec;
  const dim = spec.config.grid.dim;
  checkBandHoldsError(spec);
  if (isGradientFamily(family)) return runGradientDesign(spec, family, options, started);
  const parameters = familyParameters(family, dim);
  const searchPde = Object.fromEntries(Object.entries(spec.search.pde).filter(([, v]) => v !== undefined));
  const candidates: DesignCandidate[] = [];
  const total = expectedCandidates(spec, parameters.names.length);
  const found = await searchMinimum(
    async (x) => {
      const p = predict(spec, familyDistribution(family, x), searchPde);
      const candidate: DesignCandidate = {
        parameters: x,
        value: p.goal.value,
        reached: p.goal.reached,
        ...(p.infeasible ? { infeasible: p.infeasible } : {}),
        seconds: p.seconds,
      };
      candidates.push(candidate);
      options.onCandidate?.(candidate, candidates.length, Math.max(total, candidates.length));
      return { value: p.goal.value, secondary: p.goal.secondary, info: null };
    },
    {
      lower: parameters.lower,
      upper: parameters.upper,
      start: parameters.start,
      scan: spec.search.scan,
      tolerance: spec.search.tolerance,
      rounds: spec.search.rounds,
      // learning times flat to within 0.5% in log: the faster design wins
      tie: spec.goal.kind === 'learningTimes' ? 0.005 : 0,
    },
  );
  if (!Number.isFinite(found.best.value)) {
    const reasons = [...new Set(candidates.map((c) => c.infeasible).filter(Boolean))];
    throw new Error(
      `family: no ${family.kind} in the range reaches the goal${reasons.length ? ` (${reasons[0]})` : ' within training.time; raise training.time'}`,
    );
  }
  const searchSeconds = (performance.now() - started) / 1000;
  const designedParameters = found.best.x;
  const designed = predict(spec, familyDistribution(family, designedParameters));
  const start = predict(spec, familyDistribution(family, parameters.start));
  const result: DesignResult = {
    spec,
    parameterNames: parameters.names,
    designed: { parameters: designedParameters, prediction: designed },
    start: { parameters: parameters.start, prediction: start },
    candidates,
    searchSeconds,
  };
  if (options.verify === false) return result;
  const train = await trainer(spec, options);
  const refined =
    parameters.names.length === 1 && spec.search.network > 0
      ? await refineOnNetwork(spec, candidates, found.best, (x) =>
          train('designed', familyDistribution(family, [x])),
        )
      : undefined;
  const trainedDesigned = refined?.best ?? (await train('designed', designed.distribution));
  const trainedStart = await train('start', start.distribution);
  const chosen = refined ? [refined.x] : designedParameters;
  return {
    ...result,
    designed: {
      parameters: chosen,
      prediction:
        refined && refined.x !== designedParameters[0]
          ? predict(spec, trainedDesigned.distribution)
          : designed,
    },
    refinement: refined?.trained ?? [],
    verification: {
      designed: trainedDesigned,
      start: trainedStart,
      improved: better(trainedDesigned.goal, trainedStart.goal),
    },
  };
}

/** Trains the network with a distribution block, for the verification. */
async function trainer(spec: DesignSpec, options: DesignOptions) {
  const run = options.runExperiment ?? (await import('../pipeline/run.js')).runExperiment;
  return (which: 'designed' | 'start', distribution: Record<string, unknown>) =>
    trainDesign(spec, distribution, run, options, which);
}

/**
 * A `mixture` or `free` design: L-BFGS on the family's θ with the PDE's adjoint gradient (on the
 * search's PDE, every ρ_s at the mesh's vertices), infeasible members (ρ_w aliasing) rejected by
 * the line search; then predicted with the config's full PDE and verified like the others.
 */
async function runGradientDesign(
  spec: DesignSpec,
  familySpec: GradientFamilySpec,
  options: DesignOptions,
  started: number,
): Promise<DesignResult> {
  const family = gradientFamily(familySpec, spec.config.grid.dim);
  const problem = gradientProblem(spec, family);
  const ctx = runContext(spec.config, { baseDir: spec.baseDir });
  const names = family.parameters(family.start).names;
  const candidates: DesignCandidate[] = [];
  const total = 2 * spec.search.iterations + 1;
  const smoothness = familySpec.kind === 'free' ? familySpec.smoothness : 0;
  // the penalty's unit: the start's goal, per unit of the start's roughness when that exceeds 1 (a
  // start with a jump would otherwise be smoothed at the goal's expense)
  let scale: number | undefined;
  const descent = await minimiseLbfgs(
    async (theta) => {
      const t0 = performance.now();
      const distribution = family.distribution(theta);
      const rho = distributionFromSpec(distribution as DistributionSpec, { dim: spec.config.grid.dim });
      const aliased = checkDistribution(ctx.grid, rho).find((f) => f.level === 'error');
      const evaluated = aliased ? undefined : goalGradient(problem, family, theta);
      const candidate: DesignCandidate = {
        parameters: family.parameters(theta).values,
        value: evaluated ? evaluated.goal.value : Infinity,
        reached: evaluated ? evaluated.goal.reached : false,
        ...(aliased ? { infeasible: `${aliased.field}: ${aliased.message}` } : {}),
        seconds: (performance.now() - t0) / 1000,
      };
      candidates.push(candidate);
      options.onCandidate?.(candidate, candidates.length, Math.max(total, candidates.length));
      if (!evaluated || !Number.isFinite(candidate.value))
        return { value: Infinity, gradient: new Float64Array(theta.length) };
      const rough = smoothness > 0 ? family.roughness?.(theta) : undefined;
      scale ??= Math.abs(candidate.value) / Math.max(1, rough?.value ?? 0);
      if (!rough) return { value: candidate.value, gradient: evaluated.gradient };
      const w = smoothness * scale;
      return {
        value: candidate.value + w * rough.value,
        gradient: evaluated.gradient.map((g, j) => g + w * rough.gradient[j]),
      };
    },
    family.start,
    { iterations: spec.search.iterations, tolerance: spec.search.tolerance / 10 },
  ).catch((error: unknown) => {
    const first = candidates[0];
    if (first && !Number.isFinite(first.value))
      throw new Error(
        `family.start: the starting guess ${first.infeasible ? `is refused (${first.infeasible})` : 'never reaches the goal within training.time; raise training.time or change the start'}`,
      );
    throw error;
  });
  const searchSeconds = (performance.now() - started) / 1000;
  const designed = predict(spec, family.distribution(descent.x));
  const start = predict(spec, family.distribution(family.start));
  const result: DesignResult = {
    spec,
    parameterNames: names,
    designed: { parameters: family.parameters(descent.x).values, prediction: designed },
    start: { parameters: family.parameters(family.start).values, prediction: start },
    candidates,
    descent: { iterations: descent.iterations, evaluations: descent.evaluations, stopped: descent.stopped },
    searchSeconds,
  };
  if (options.verify === false) return result;
  const train = await trainer(spec, options);
  const trainedDesigned = await train('designed', designed.distribution);
  const trainedStart = await train('start', start.distribution);
  return {
    ...result,
    verification: {
      designed: trainedDesigned,
      start: trainedStart,
      improved: better(trainedDesigned.goal, trainedStart.goal),
    },
  };
}

/** One training of the refinement on the network: its parameter and goal values. */
export interface RefinedCandidate {
  readonly parameters: number[];
  /** The goal measured on the trained network. */
  readonly value: number;
  /** The goal on the same run's PDE (full settings). */
  readonly pdeValue: number;
}

/**
 * Refines a one-parameter design on the network: trains at the PDE's optimum, then by golden
 * sections in log x inside the range of candidates whose predicted goal is within `search.flat` of
 * the best, `search.network` trainings in all beyond the first; keeps the best measured.
 */
async function refineOnNetwork(
  spec: DesignSpec,
  candidates: readonly DesignCandidate[],
  best: { x: number[]; value: number },
  train: (x: number) => Promise<TrainedDesign>,
): Promise<{ x: number; best: TrainedDesign; trained: RefinedCandidate[] }> {
  const limit = best.value + spec.search.flat * Math.abs(best.value);
  const near = candidates
    .filter((c) => Number.isFinite(c.value) && c.value <= limit)
    .map((c) => c.parameters[0]);
  const trained: RefinedCandidate[] = [];
  let chosen: { x: number; t: TrainedDesign } | undefined;
  const evaluate = async (x: number) => {
    const t = await train(x);
    trained.push({ parameters: [x], value: t.goal.value, pdeValue: t.pdeGoal.value });
    if (!chosen || t.goal.value < chosen.t.goal.value) chosen = { x, t };
    return t.goal.value;
  };
  await evaluate(best.x[0]);
  let a = Math.log(Math.min(...near));
  let b = Math.log(Math.max(...near));
  let budget = spec.search.network;
  if (b - a > 1e-9 && budget >= 2) {
    const G = (Math.sqrt(5) - 1) / 2;
    let c = b - G * (b - a);
    let d = a + G * (b - a);
    let fc = await evaluate(Math.exp(c));
    let fd = await evaluate(Math.exp(d));
    budget -= 2;
    for (; budget > 0; budget--) {
      if (fc < fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - G * (b - a);
        fc = await evaluate(Math.exp(c));
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + G * (b - a);
        fd = await evaluate(Math.exp(d));
      }
    }
  }
  return { x: chosen!.x, best: chosen!.t, trained };
}

/**
 * A learning time needs an error to learn: every band frequency must hold some of the target's
 * spectrum (|ĝ(ξ)| at least 10⁻³ of its largest value over the grid's frequencies), else it is an
 * error naming the frequency, before any solve.
 */
function checkBandHoldsError(spec: DesignSpec): void {
  if (spec.band.length === 0) return;
  const ctx = runContext(spec.config, { baseDir: spec.baseDir });
  const full = ctx.spectrum(ctx.target);
  let peak = 0;
  for (let k = 0; k < full.re.length; k++) peak = Math.max(peak, Math.hypot(full.re[k], full.im[k]));
  const at = spectrumAt(ctx.grid, ctx.target, Float64Array.from(spec.band.flat()));
  spec.band.forEach((f, q) => {
    const ratio = Math.hypot(at.re[q], at.im[q]) / peak;
    if (!(ratio >= 1e-3))
      throw new ConfigError(spec.source, [
        `goal.band[${q}]: ξ = ${JSON.stringify(f.length === 1 ? f[0] : f)} holds almost none of the target's spectrum (|ĝ(ξ)| is ${ratio.toExponential(1)} of its peak): nothing to learn there; choose frequencies of the target`,
      ]);
  });
}

/** Whether goal value a beats b (strictly smaller; a tie of equal values does not count). */
function better(a: GoalValue, b: GoalValue): boolean {
  return a.value < b.value;
}

async function trainDesign(
  spec: DesignSpec,
  distribution: Record<string, unknown>,
  run: NonNullable<DesignOptions['runExperiment']>,
  options: DesignOptions,
  which: 'designed' | 'start',
): Promise<TrainedDesign> {
  const t0 = performance.now();
  const base = candidateConfig(spec, distribution);
  // the verification's own figures: the goal's band highlighted, no claims of the spec's
  const frequencies = spec.band.length > 0 ? spec.band : base.comparison.frequencies;
  const config = {
    ...base,
    name: `${spec.name}-${which}`,
    claims: [],
    comparison: { ...base.comparison, frequencies },
  };
  const result = await run(config, {
    baseDir: spec.baseDir,
    progress: options.progress,
    onFinding: (f) => options.onFinding?.(f, which),
  });
  const { metrics } = result.report;
  const loss = metrics.loss!;
  const highlights = (metrics.highlights ?? []) as { nn: number | null; pde: number | null }[];
  const times = loss.nn.map((p) => p.time);
  const measured = (series: 'nn' | 'pde', curve: readonly LossPoint[] | undefined) =>
    goalValue(spec.goal, spec.band, {
      times,
      loss: (curve ?? []).map((p) => p.value),
      learningTimes: spec.band.map((_, q) => highlights[q]?.[series] ?? Infinity),
    });
  return {
    distribution,
    goal: measured('nn', loss.nn),
    pdeGoal: measured('pde', loss.pde),
    loss: { nn: loss.nn, ...(loss.pde ? { pde: loss.pde } : {}) },
    learningTimes: spec.band.map((f, q) => ({
      frequency: f,
      nn: highlights[q]?.nn ?? null,
      pde: highlights[q]?.pde ?? null,
    })),
    nnVsPdeMax: metrics.nnVsPde?.max ?? null,
    seconds: (performance.now() - t0) / 1000,
    result,
  };
}
