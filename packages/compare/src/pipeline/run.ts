import { evaluateClaims } from '../analysis/claims.js';
import { gridLoss, lossCurve } from '../analysis/loss.js';
import type { ExperimentConfig } from '../config/index.js';
import { type Finding, raiseErrors } from './checks/findings.js';
import { checkClaims, checkDistribution, checkTarget } from './checks/inputs.js';
import { checkResources, defaultLimits, type Limits } from './checks/resources.js';
import { comparisonGrid, comparisonMetrics, sample } from './comparison.js';
import { runContext } from './context.js';
import { runKernelBaseline } from './kernel.js';
import { makeModel, meanOf, snapshotTimes, trainNetworks } from './network.js';
import { solvePde } from './pde.js';
import { preflight } from './preflight.js';
import type { ProgressSink } from './progress.js';
import { type ExperimentResult, experimentResult } from './result.js';

/** Options of {@link runExperiment}. */
export interface RunOptions {
  /** Folder that relative paths in the config (e.g. an image target) are resolved against. */
  readonly baseDir?: string;
  /** Progress of the long phases (training, PDE, kernel). */
  readonly progress?: ProgressSink;
  /** Zero-padding factor of the error spectra (THEORY.md §5.5; default 4 in 1D, 2 in 2D). */
  readonly pad?: number;
  /** Memory and step limits (default {@link defaultLimits}); beyond them a run is refused before it starts. */
  readonly limits?: Partial<Limits>;
  /** Called with each warning or note as soon as it is found (errors are thrown). */
  readonly onFinding?: (finding: Finding) => void;
}

/**
 * Runs one experiment (issue 4): trains the network(s), solves the frequency-dynamics PDE from the
 * network's initial error spectrum (two-layer only), runs the kernel-regime baseline with the same η,
 * and compares the three on a common frequency band at the snapshot times. With `operator` (THEORY.md
 * §7) the network trains on L f ≈ s and the error compared is the residual r = L f − s throughout.
 *
 * @example
 * const config = parseConfig(JSON.parse(readFileSync('experiments/gaussian-1d.json', 'utf8')));
 * const { report } = await runExperiment(config);
 * report.metrics.nnVsPde.max; // ≈ 0.05
 */
export async function runExperiment(
  config: ExperimentConfig,
  options: RunOptions = {},
): Promise<ExperimentResult> {
  const started = performance.now();
  const { progress } = options;
  const limits: Limits = { ...defaultLimits(), ...options.limits };
  const warnings: Finding[] = [];
  const keep = (findings: readonly Finding[]) => {
    for (const f of raiseErrors(findings)) {
      warnings.push(f);
      options.onFinding?.(f);
    }
  };
  // 0. the checks: first those that the config alone decides, before anything is allocated
  keep(checkResources(config, limits));
  keep(checkClaims(config));
  const ctx = runContext(config, options);
  const snaps = snapshotTimes(config);
  keep(snaps.findings);
  keep(checkTarget(config, ctx.grid, ctx.target, ctx.spectrum(ctx.target)));
  keep(checkDistribution(ctx.grid, ctx.distribution));
  const model = makeModel(config, ctx.distribution, config.training.seeds[0]);
  const { plan, mesh } = await preflight(ctx, model, snaps.times, limits, keep, progress);

  // 1. the network(s), with an η that keeps GD near gradient flow and every snapshot on its own step
  const runs = await trainNetworks(ctx, snaps.times, plan.learningRate, model, progress);
  const trainingSeconds = (performance.now() - started) / 1000;
  const first = runs[0];
  const times = first.times;
  if (times.some((t, j) => j > 0 && !(t > times[j - 1])))
    throw new Error(`internal: snapshot times ${JSON.stringify(times)} are not increasing`);
  const nnSpectra = runs.map((r) => r.snapshots.map(ctx.spectrum));
  // the ensemble's initial error: the PDE and the kernel start from it, and the band is where it matters
  const u0 = meanOf(runs.map((r) => r.snapshots[0]));
  const grid = comparisonGrid(ctx, runs.length > 1 ? ctx.spectrum(u0) : nnSpectra[0][0]);
  const nn = sample(grid, nnSpectra);

  // 2. the PDE (THEORY.md §4), from the spectrum of the ensemble's initial error
  const pde = mesh ? solvePde(ctx, mesh, u0, times, progress) : undefined;
  const pdeSeries = pde && { band: pde.at(grid.band.points), heat: pde.at(grid.heatPoints) };

  // 3. the kernel-regime baseline with the network's η (THEORY.md §3)
  const kernel =
    config.kernel.enabled && config.network.kind === 'twoLayer'
      ? runKernelBaseline(ctx, first, u0, progress)
      : undefined;
  const kernelSeries = kernel && sample(grid, [kernel.snapshots.map(ctx.spectrum)]);

  // 4. the comparison, and the claims on it
  const series = { nn, pde: pdeSeries, kernel: kernelSeries };
  const h = ctx.grid.cellVolume;
  const loss = {
    nn: lossCurve(
      times,
      times.map((_, j) => runs.reduce((s, r) => s + gridLoss(r.snapshots[j], h), 0) / runs.length),
    ),
    ...(pde ? { pde: lossCurve(times, pde.loss) } : {}),
    ...(kernel
      ? {
          kernel: lossCurve(
            times,
            kernel.snapshots.map((u) => gridLoss(u, h)),
          ),
        }
      : {}),
  };
  const metrics = {
    ...comparisonMetrics(ctx, times, grid, { nn, pde: pdeSeries?.band, kernel: kernelSeries?.band }, keep),
    loss,
  };
  const claims = evaluateClaims(config.claims, metrics, times[times.length - 1]);
  const operator = ctx.operator && {
    name: ctx.operator.name,
    spec: config.operator,
    targetIs: config.targetIs,
    errors: 'residuals r = L f − s (THEORY.md §7): every spectrum, metric and loss curve is the residual’s',
    // the solution error f − g where the target was given as g: ½ h^d Σ (f − g)² of the network(s),
    // and the PDE's ½ (2π)^{−d} ∫ |r̂/p|² dξ
    ...(ctx.solution
      ? {
          solutionLoss: {
            nn: lossCurve(
              times,
              times.map(
                (_, j) =>
                  runs.reduce((s, r) => s + gridLoss(r.solutionErrors?.[j] ?? new Float64Array(), h), 0) /
                  runs.length,
              ),
            ),
            ...(pde?.solutionLoss ? { pde: lossCurve(times, pde.solutionLoss) } : {}),
          },
        }
      : {}),
  };
  return experimentResult(ctx, {
    first,
    plan,
    times,
    grid,
    series,
    pde,
    kernel,
    metrics,
    claims,
    ...(operator ? { operator } : {}),
    warnings,
    started,
    trainingSeconds,
  });
}
