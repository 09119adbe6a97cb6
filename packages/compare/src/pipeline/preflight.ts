import type { Mesh } from '@freqbias/fem';
import { selectBand } from '../analysis/band.js';
import type { Finding } from './checks/findings.js';
import { checkBand, checkFrequencies, checkLearning } from './checks/inputs.js';
import type { LearningRatePlan } from './checks/learning-rate.js';
import { checkCoverage, checkMesh } from './checks/mesh.js';
import type { Limits } from './checks/resources.js';
import type { RunContext } from './context.js';
import { initialOutput, learningRatePlan, type Model } from './network.js';
import { initialReadBack, pdeBox, pdeMesh } from './pde.js';
import type { ProgressSink } from './progress.js';

/**
 * The run's 'checks' phase: the checks that need the network's initial error (the band, the named
 * frequencies, whether anything is learned, the PDE mesh) and the learning-rate plan. Findings go to
 * `keep`, which throws on errors; `model` (the first seed's) is disposed of when the run is refused.
 */
export async function preflight(
  ctx: RunContext,
  model: Model,
  times: number[],
  limits: Limits,
  keep: (findings: readonly Finding[]) => void,
  progress: ProgressSink | undefined,
): Promise<{ plan: LearningRatePlan; mesh: Mesh | undefined }> {
  const { config, grid, distribution, target } = ctx;
  let plan: LearningRatePlan;
  let mesh: Mesh | undefined;
  progress?.start('checks', 1);
  try {
    // the first seed's initial error u₀ = f₀ − g (−g with mirrored initialisation) stands for the run's;
    // with an operator the residual L f₀ − s (THEORY.md §7)
    const f0 = model.kind === 'two-layer' ? await initialOutput(model, ctx) : new Float64Array(grid.size);
    const initialError = Float64Array.from(target, (g, i) => f0[i] - g);
    const initialSpectrum = ctx.spectrum(initialError);
    keep(checkBand(config, grid, initialSpectrum));
    keep(checkFrequencies(config, grid));
    if (config.network.kind === 'twoLayer')
      keep(checkLearning(config, distribution, initialSpectrum, ctx.operator));
    mesh = config.pde.enabled ? pdeMesh(config, distribution) : undefined;
    if (mesh) {
      const { points } = selectBand(initialSpectrum, config.comparison.band, {
        threshold: config.comparison.threshold,
        within: pdeBox(config),
      });
      keep(checkCoverage(mesh, points));
      keep(checkMesh(config, mesh, distribution, initialReadBack(config, grid, mesh, initialError, points)));
    }
    plan = await learningRatePlan(ctx, initialError, times, model, limits);
    keep(plan.findings);
  } catch (error) {
    if (progress) (progress.abort ?? progress.stop).call(progress);
    await model.dispose();
    throw error;
  }
  progress?.stop();
  return { plan, mesh };
}
