import {
  dofPoints,
  energyFunctional,
  frequencyDynamics,
  intervalMesh,
  type Mesh,
  nodalFunction,
  normL2,
  operatorFrequencyDynamics,
  rectangleMesh,
  solveReactionDiffusion,
} from '@freqbias/fem';
import type { FrequencyDistribution, Grid } from '@freqbias/nn';
import type { Box } from '../analysis/band.js';
import { pdeLoss } from '../analysis/loss.js';
import { type ExperimentConfig, loadPdeMesh } from '../config/index.js';
import { spectrumAt } from '../spectrum/spectrum-at.js';
import type { ComplexArray } from '../spectrum/types.js';
import type { RunContext } from './context.js';
import { effectiveSigmaA } from './kernel.js';
import { type ProgressSink, phase } from './progress.js';

/** The PDE's domain [−Ξ, Ξ]^d. */
export function pdeBox(config: ExperimentConfig): Box {
  // with pde.mesh, band is the mesh's extent max |ξ_a| (the band is then checked against the mesh)
  const xi = config.pde.band;
  return { lower: Array(config.grid.dim).fill(-xi), upper: Array(config.grid.dim).fill(xi) };
}

/**
 * The PDE mesh over [−Ξ, Ξ]^d (issue 4): nodes on the jumps of ρ_s inside the box, cells graded
 * towards a single peak of ρ_s (e.g. ξ = 0 for a Gaussian), uniform otherwise; or the `pde.mesh` file.
 *
 * @example
 * pdeMesh(config, gaussian(10)); // 512 cells over [−Ξ, Ξ] in 1D, graded towards ξ = 0
 */
export function pdeMesh(config: ExperimentConfig, distribution: FrequencyDistribution): Mesh {
  if (config.pde.mesh) return loadPdeMesh(config.pde.mesh);
  const { dim } = config.grid;
  const xi = config.pde.band;
  const cells = config.pde.cellsPerAxis;
  const inside = (values: readonly number[]) => values.filter((v) => v > -xi && v < xi);
  const axis = (a: number) => {
    const peaks = inside(distribution.peaks[a] ?? []);
    return {
      breakpoints: inside(distribution.jumps[a] ?? []),
      grading: peaks.length === 1 ? { towards: peaks[0], ratio: 3 } : undefined,
    };
  };
  if (dim === 1) return intervalMesh(-xi, xi, cells, axis(0));
  const [a0, a1] = [axis(0), axis(1)];
  const grading =
    a0.grading && a1.grading
      ? { towards: [a0.grading.towards, a1.grading.towards] as const, ratio: a0.grading.ratio }
      : undefined;
  return rectangleMesh([-xi, -xi], [xi, xi], [cells, cells], {
    breakpoints: [a0.breakpoints, a1.breakpoints],
    grading,
  });
}

/** The PDE's time step: `pde.dt`, else 0.01 (1D) or 0.02 (2D), at most 1/200 of the final time. */
export function pdeTimeStep(config: ExperimentConfig, finalTime: number): number {
  return config.pde.dt ?? Math.min(config.grid.dim === 1 ? 0.01 : 0.02, finalTime / 200 || 0.01);
}

/** The config's scheme names (camelCase, as JSON keys are) as @freqbias/fem spells them. */
const SCHEMES = {
  crankNicolson: 'crank-nicolson',
  backwardEuler: 'backward-euler',
  bdf2: 'bdf2',
} as const;

/**
 * The initial error spectrum (of u₀) at the PDE mesh's dofs, read back at the comparison band's
 * frequencies, beside its exact values there: how well the mesh represents the PDE's initial condition.
 */
export function initialReadBack(
  config: ExperimentConfig,
  grid: Grid,
  mesh: Mesh,
  u0: Float64Array,
  points: Float64Array,
) {
  const { degree } = config.pde;
  // the interpolant of the data alone: nothing to assemble or factorise
  const initial = nodalFunction(mesh, degree, spectrumAt(grid, u0, dofPoints(mesh, degree)));
  return { exact: spectrumAt(grid, u0, points), readBack: initial.evaluate(points) };
}

/**
 * Solves the frequency-dynamics PDE (THEORY.md §4) on the mesh over [−Ξ, Ξ]^d, from the spectrum
 * of the network's initial error u0 at the mesh's dofs, to the snapshot times. With an operator
 * (THEORY.md §7) u0 is the initial residual r₀ = L f₀ − s: the PDE is solved for v = p̄ r̂ (mass
 * 1/|p|²) from p̄ r̂₀, and every value read back is the residual's spectrum r̂ = v/p̄.
 */
export function solvePde(
  { config, grid, distribution, operator }: RunContext,
  mesh: Mesh,
  u0: Float64Array,
  times: number[],
  progress: ProgressSink | undefined,
) {
  const t0 = performance.now();
  const { degree } = config.pde;
  const { dim } = config.grid;
  const density = (xi: ArrayLike<number>) => distribution.symmetricDensity(xi);
  const sigmaA = effectiveSigmaA(config);
  const residual = operator
    ? operatorFrequencyDynamics({ dim, density, sigmaA, symbol: (xi) => operator.symbol(xi) })
    : undefined;
  const problem = residual ?? frequencyDynamics({ dim, density, sigmaA });
  const dofs = dofPoints(mesh, degree);
  const r0 = spectrumAt(grid, u0, dofs);
  const dt = pdeTimeStep(config, times[times.length - 1]);
  const solution = phase(progress, 'PDE', 1000, () =>
    solveReactionDiffusion({
      mesh,
      degree,
      ...problem,
      initial: residual ? residual.fromResidual(dofs, r0) : r0,
      times,
      dt,
      scheme: SCHEMES[config.pde.scheme],
      onProgress: (fraction) => progress?.update(Math.round(fraction * 1000)),
    }),
  );
  const ones = times.map(() => 1);
  // ½∫|r̂|² = ½∫|v|²/|p|², and the solution error's ½∫|r̂/p|² = ½∫|v|²/|p|⁴ (THEORY.md §7)
  const residualEnergy = residual && energyFunctional(mesh, degree, ones, residual.mass);
  const solutionEnergy =
    residual && energyFunctional(mesh, degree, ones, (xi: ArrayLike<number>) => residual.mass(xi) ** 2);
  return {
    at: (points: Float64Array): ComplexArray[] =>
      times.map((_, k) =>
        residual ? residual.toResidual(points, solution.evaluate(k, points)) : solution.evaluate(k, points),
      ),
    /** ½ (2π)^{−d} ∫|û|² dξ over the mesh at each snapshot: the PDE's loss by Parseval. */
    loss: times.map((_, k) =>
      residualEnergy
        ? residualEnergy.value(k, solution.values(k)) / (2 * Math.PI) ** dim
        : pdeLoss(normL2(solution, k), dim),
    ),
    /** With an operator: ½ (2π)^{−d} ∫|r̂/p|² dξ, the solution error's loss where L is invertible. */
    ...(solutionEnergy
      ? {
          solutionLoss: times.map(
            (_, k) => solutionEnergy.value(k, solution.values(k)) / (2 * Math.PI) ** dim,
          ),
        }
      : {}),
    seconds: (performance.now() - t0) / 1000,
    info: {
      dofs: solution.size,
      steps: solution.steps,
      dt,
      degree,
      cellsPerAxis: config.pde.cellsPerAxis,
      band: config.pde.band,
      ...(residual ? { solvedFor: 'v = p̄ r̂ with mass 1/|p|² (THEORY.md §7); read back as r̂ = v/p̄' } : {}),
    },
  };
}
