import type { Box } from '../analysis/band.js';
import type { ClaimResult } from '../analysis/claims.js';
import { dampingRate } from '../analysis/damping.js';
import type { ReportMetrics } from '../analysis/report-metrics.js';
import type { ExperimentConfig } from '../config/index.js';
import type { ReportData } from '../report/build.js';
import { packageVersions } from '../report/versions.js';
import type { Finding } from './checks/findings.js';
import type { LearningRatePlan } from './checks/learning-rate.js';
import type { ComparisonGrid, Sampled } from './comparison.js';
import type { RunContext } from './context.js';
import type { NetworkRun } from './network.js';

/** The content of `report.json` (issue 4's names, and more). */
export interface RunReport {
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly versions: Record<string, string>;
  readonly network: {
    readonly kind: 'twoLayer' | 'deep';
    readonly width: number;
    readonly seeds: number[];
    readonly engine: string;
    readonly backend: string;
    readonly learningRate: number;
    readonly lambdaMax: number;
    readonly timeAxis: string;
    /** How far GD with this η is from gradient flow in the kernel regime, and the tolerance. */
    readonly gradientFlow?: LearningRatePlan['gradientFlow'];
  };
  readonly distribution: string;
  readonly times: number[];
  readonly band: { readonly points: number; readonly box: Box };
  readonly pde?: Record<string, unknown>;
  readonly kernel?: Record<string, unknown>;
  readonly metrics: ReportMetrics;
  readonly claims: ClaimResult[];
  /** What the checks found that did not stop the run (issue 8). */
  readonly warnings: Finding[];
  readonly timings: {
    readonly trainingSeconds: number;
    readonly pdeSeconds: number;
    readonly kernelSeconds: number;
    readonly totalSeconds: number;
  };
  readonly config: ExperimentConfig;
  readonly [extra: string]: unknown;
}

/** Everything a run produced: the `report.json` content and the data of the report's pictures. */
export interface ExperimentResult {
  readonly config: ExperimentConfig;
  readonly report: RunReport;
  readonly reportData: ReportData;
}

/** What a phase (the PDE, the kernel baseline) adds to the report: its figures and its time. */
interface PhaseOutcome {
  readonly info: Record<string, unknown>;
  readonly seconds: number;
}

/** The parts of a finished run that {@link experimentResult} puts together. */
export interface RunOutcome {
  readonly first: NetworkRun;
  readonly plan: LearningRatePlan;
  readonly times: number[];
  readonly grid: ComparisonGrid;
  readonly series: { readonly nn: Sampled; readonly pde?: Sampled; readonly kernel?: Sampled };
  readonly pde?: PhaseOutcome;
  readonly kernel?: PhaseOutcome;
  readonly metrics: ReportMetrics;
  readonly claims: ClaimResult[];
  /** With an operator: which one, that the errors are residuals, and the solution error if known. */
  readonly operator?: Record<string, unknown>;
  readonly warnings: Finding[];
  /** `performance.now()` at the start of the run, and the training's seconds. */
  readonly started: number;
  readonly trainingSeconds: number;
}

/** report.json's content and the report's picture data from a finished run. */
export function experimentResult(
  { config, distribution, operator }: RunContext,
  run: RunOutcome,
): ExperimentResult {
  const { first, plan, times, grid, series } = run;
  const { dim } = config.grid;
  const totalSeconds = (performance.now() - run.started) / 1000;
  const report: RunReport = {
    name: config.name,
    description: config.description,
    createdAt: new Date().toISOString(),
    versions: packageVersions(),
    network: {
      kind: config.network.kind,
      width: config.network.width,
      seeds: config.training.seeds,
      engine: first.engine,
      backend: first.backend,
      learningRate: first.learningRate,
      lambdaMax: Number.isNaN(first.lambdaMax) ? plan.lambdaMax : first.lambdaMax,
      timeAxis: first.timeAxis,
      ...(plan.gradientFlow ? { gradientFlow: plan.gradientFlow } : {}),
    },
    distribution: distribution.name,
    ...(run.operator ? { operator: run.operator } : {}),
    times,
    band: { points: grid.band.indices.length, box: grid.band.box },
    pde: run.pde?.info,
    kernel: run.kernel?.info,
    metrics: run.metrics,
    claims: run.claims,
    warnings: run.warnings,
    timings: {
      trainingSeconds: run.trainingSeconds,
      pdeSeconds: run.pde?.seconds ?? 0,
      kernelSeconds: run.kernel?.seconds ?? 0,
      totalSeconds,
    },
    config,
  };
  // 1/((2π)^d ρ_s |p|²): the learning time without diffusion (THEORY.md §4, §7). In 1D on a fine grid over
  // the band's box, so the curve does not jump across the band's gaps.
  const { lower, upper } = grid.band.box;
  const referencePoints =
    dim === 1
      ? Array.from({ length: 401 }, (_, j) => [lower[0] + ((upper[0] - lower[0]) * j) / 400])
      : run.metrics.learningTimes.frequencies;
  const reference = {
    frequencies: referencePoints,
    values: Float64Array.from(referencePoints, (f) => 1 / dampingRate(distribution, f, operator)),
  };
  const reportData: ReportData = {
    title: config.name,
    description: config.description,
    config,
    report,
    spectra: {
      dim,
      axes: grid.heat.axes,
      times,
      nn: series.nn.heat,
      pde: series.pde?.heat,
      kernel: series.kernel?.heat,
    },
    reference,
    highlights: config.comparison.frequencies,
  };
  return { config, report, reportData };
}
