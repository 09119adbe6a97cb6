import {
  type Complex,
  dofPoints,
  energyFunctional,
  type Functional,
  frequencyDynamicsGradient,
  intervalMesh,
  type Mesh,
  operatorFrequencyDynamics,
  pointFunctional,
  rectangleMesh,
} from '@freqbias/fem';
import { loadPdeMesh } from '../config/index.js';
import { runContext } from '../pipeline/context.js';
import { effectiveSigmaA } from '../pipeline/kernel.js';
import { pdeTimeStep } from '../pipeline/pde.js';
import { spectrumAt } from '../spectrum/spectrum-at.js';
import type { DensityFamily } from './density.js';
import { crossingTimeGradient, type GoalValue, goalValue, profileValues } from './goals.js';
import { predictionTimes } from './predict.js';
import type { DesignSpec } from './spec.js';

/*
 * A design goal and its gradient in the family's parameters θ through the PDE (issue 12): ρ_s at
 * the mesh's vertices (P1 coefficients) → one forward solve and one adjoint sweep
 * (@freqbias/fem's frequencyDynamicsGradient) for dJ/dρ_j → the family's pullback to dJ/dθ.
 *
 * The goals read the loss ½∫|û|² and |û(ξ_q)| at the output times, and a crossing time interpolates
 * between two outputs; so the goal is a function of those values, and its derivative is the adjoint
 * gradient of the functional J = Σ_k (∂goal/∂loss_k) loss_k + Σ_{q,k} (∂goal/∂|û_q|²_k) |û_q|²_k, whose
 * weights are read off the forward solve: the gradient of exactly what is computed.
 */

/** The fixed PDE of a gradient-based design: mesh, time steps, initial spectrum, band. */
export interface GradientProblem {
  readonly spec: DesignSpec;
  readonly mesh: Mesh;
  readonly degree: 1 | 2;
  readonly dt: number;
  readonly scheme: 'crank-nicolson' | 'backward-euler' | 'bdf2';
  readonly sigmaA: number;
  readonly times: number[];
  /** The initial error's spectrum at the solution's dofs. */
  readonly initial: Complex;
  /** The P1 coefficient dofs (the mesh's vertices), where ρ_s is given. */
  readonly coefficientPoints: Float64Array;
  /**
   * With an operator (THEORY.md §7): the mass 1/|p|² of the PDE for v = p̄ r̂ (then `initial` is
   * p̄ r̂₀, the loss ½∫|r̂|² = ½∫|v|²/|p|², and a learning time, a ratio, is the same read on v).
   */
  readonly mass?: (xi: ArrayLike<number>) => number;
}

const SCHEMES = {
  crankNicolson: 'crank-nicolson',
  backwardEuler: 'backward-euler',
  bdf2: 'bdf2',
} as const;

/**
 * The PDE a gradient-based design optimises on: the config's (with `search.pde` overrides), over
 * [−Ξ, Ξ]^d with the family's table nodes as mesh nodes (or the `pde.mesh` file as it is), from the
 * mirrored network's initial error −g.
 *
 * @example
 * const problem = gradientProblem(spec, freeFamily({ dim: 1, support: 40, cells: 20, start }));
 * problem.mesh.points.length; // cellsPerAxis + 1
 */
export function gradientProblem(spec: DesignSpec, family: DensityFamily): GradientProblem {
  const { config } = spec;
  const ctx = runContext(config, { baseDir: spec.baseDir });
  const degree = spec.search.pde.degree ?? config.pde.degree;
  const cells = spec.search.pde.cellsPerAxis ?? config.pde.cellsPerAxis;
  const times = predictionTimes(config, spec.search.outputs);
  const dt = spec.search.pde.dt ?? pdeTimeStep(config, times[times.length - 1]);
  const xi = config.pde.band;
  const inside = (a: number) => (family.breakpoints[a] ?? []).filter((b) => b > -xi && b < xi);
  const mesh = config.pde.mesh
    ? loadPdeMesh(config.pde.mesh)
    : config.grid.dim === 1
      ? intervalMesh(-xi, xi, cells, { breakpoints: inside(0) })
      : rectangleMesh([-xi, -xi], [xi, xi], [cells, cells], { breakpoints: [inside(0), inside(1)] });
  // the mirrored network's initial error: −g, or with an operator the residual −s
  const u0 = Float64Array.from(ctx.target, (g) => -g);
  const dofs = dofPoints(mesh, degree);
  const r0 = spectrumAt(ctx.grid, u0, dofs);
  const { operator } = ctx;
  const residual =
    operator &&
    operatorFrequencyDynamics({
      dim: config.grid.dim,
      density: () => 0,
      sigmaA: effectiveSigmaA(config),
      symbol: (xi) => operator.symbol(xi),
    });
  const initial = residual ? residual.fromResidual(dofs, r0) : r0;
  return {
    ...(residual ? { mass: residual.mass } : {}),
    spec,
    mesh,
    degree,
    dt,
    scheme: SCHEMES[config.pde.scheme],
    sigmaA: effectiveSigmaA(config),
    times,
    initial,
    coefficientPoints: dofPoints(mesh, 1),
  };
}

/** A goal's value on the PDE at θ, with its gradient and the trajectory it read. */
export interface GoalGradient {
  readonly goal: GoalValue;
  /** d goal / dθ. */
  readonly gradient: Float64Array;
  /** ½ (2π)^{−d} ∫|û|² at the output times (the loss by Parseval). */
  readonly loss: number[];
  readonly learningTimes: number[];
  readonly seconds: number;
}

/**
 * The goal at θ and its gradient by the adjoint (see the module comment). `gradient: false` skips
 * the adjoint sweep's use (the value alone, same cost today).
 *
 * @example
 * const g = goalGradient(problem, family, family.start);
 * g.goal.value; g.gradient; // the time to the loss fraction and its derivative in θ
 */
export function goalGradient(
  problem: GradientProblem,
  family: DensityFamily,
  theta: Float64Array,
): GoalGradient {
  const t0 = performance.now();
  const { spec, mesh, degree, times } = problem;
  const K = times.length;
  const band = spec.band;
  const ones = new Float64Array(K).fill(1);
  const energy = energyFunctional(mesh, degree, ones, problem.mass);
  const points = band.map((f) => pointFunctional(mesh, degree, f, ones));
  const energies = new Float64Array(K);
  const squares = band.map(() => new Float64Array(K));
  let seen = 0;
  let weights: { energy: Float64Array; points: Float64Array[] } | undefined;
  let goal: GoalValue | undefined;
  const c = (2 * Math.PI) ** mesh.dim;
  const loss = () => Array.from(energies, (e) => e / c);
  const magnitudes = (q: number) => Array.from(squares[q], Math.sqrt);
  // the goal and ∂goal/∂(each value read), once every output's values are in
  const differentiate = () => {
    const wE = new Float64Array(K);
    const wP = band.map(() => new Float64Array(K));
    if (spec.goal.kind === 'fastest') {
      const L = loss();
      const r = crossingTimeGradient(times, L, spec.goal.lossFraction * L[0]);
      goal = goalValue(spec.goal, band, { times, loss: L, learningTimes: [] });
      for (let k = 0; k < K; k++) wE[k] = r.slope[k] / c;
      return { energy: wE, points: wP };
    }
    const taus: number[] = [];
    const slopes: Float64Array[] = [];
    band.forEach((_, q) => {
      const m = magnitudes(q);
      const r = crossingTimeGradient(times, m, m[0] / Math.E);
      taus.push(r.time);
      slopes.push(r.slope);
    });
    goal = goalValue(spec.goal, band, { times, loss: loss(), learningTimes: taus });
    if (!Number.isFinite(goal.value)) return { energy: wE, points: wP };
    // spread S = rms(ℓ − mean ℓ), ℓ_q = log(τ_q/p_q): ∂S/∂τ_q = (ℓ_q − ℓ̄)/(n S τ_q)
    const p = profileValues(spec.goal, band);
    const logs = taus.map((t, q) => Math.log(t / p[q]));
    const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
    const S = goal.value;
    band.forEach((_, q) => {
      const dS = S > 0 ? (logs[q] - mean) / (logs.length * S * taus[q]) : 0;
      // |û| = √(|û|²): ∂|û|/∂|û|² = 1/(2|û|)
      for (let k = 0; k < K; k++) {
        const m = Math.sqrt(squares[q][k]);
        if (slopes[q][k] !== 0 && m > 0) wP[q][k] = (dS * slopes[q][k]) / (2 * m);
      }
    });
    return { energy: wE, points: wP };
  };
  const gE = { re: new Float64Array(0), im: new Float64Array(0) };
  const functional: Functional = {
    value(k, u) {
      energies[k] = energy.value(k, u);
      points.forEach((f, q) => {
        squares[q][k] = f.value(k, u);
      });
      seen++;
      return 0;
    },
    gradient(k, u, out) {
      if (weights === undefined) {
        if (seen !== K) throw new Error('goal functional: expected every output value before a gradient');
        weights = differentiate();
        gE.re = new Float64Array(out.re.length);
        gE.im = new Float64Array(out.im.length);
      }
      const add = (scale: number, f: Functional) => {
        if (scale === 0) return;
        gE.re.fill(0);
        gE.im.fill(0);
        f.gradient(k, u, gE);
        for (let i = 0; i < out.re.length; i++) {
          out.re[i] += scale * gE.re[i];
          out.im[i] += scale * gE.im[i];
        }
      };
      add(weights.energy[k], energy);
      points.forEach((f, q) => {
        add(weights!.points[q][k], f);
      });
    },
  };
  const density = family.density(theta, problem.coefficientPoints);
  const g = frequencyDynamicsGradient({
    mesh,
    degree,
    coefficientDegree: 1,
    density,
    sigmaA: problem.sigmaA,
    initial: problem.initial,
    times,
    dt: problem.dt,
    scheme: problem.scheme,
    ...(problem.mass ? { mass: problem.mass } : {}),
    functional,
  });
  return {
    goal: goal!,
    gradient: family.pullback(theta, problem.coefficientPoints, g.density),
    loss: loss(),
    learningTimes: band.map(
      (_, q) => crossingTimeGradient(times, magnitudes(q), Math.sqrt(squares[q][0]) / Math.E).time,
    ),
    seconds: (performance.now() - t0) / 1000,
  };
}
