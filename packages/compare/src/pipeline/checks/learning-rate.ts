import {
  type DifferentialOperator,
  type FrequencyDistribution,
  type Grid,
  kernelDynamics,
} from '@freqbias/nn';
import { type Finding, fmt, PreflightError, pct } from './findings.js';

/** How far gradient descent with η is from gradient flow, in the kernel regime (THEORY.md §2–3). */
export interface FlowEstimate {
  /** max over snapshots of ‖u_GD(t) − u_flow(t)‖ / ‖u_flow(t)‖. */
  readonly relL2: number;
  readonly method: string;
}

/**
 * The relative distance of the GD map u_{k+1} = (1 − η h^d K) u_k from the flow e^{−t h^d K} u₀ at
 * the snapshot times, by Richardson extrapolation: GD's error is first order in η, so
 * u_η − u_flow ≈ 2 (u_η − u_{η/2}). Two runs of the kernel baseline (FFT products), so it costs about
 * three times the baseline; `method: 'eigen'` (grids ≤ 2048 points) computes it exactly instead.
 *
 * @example
 * gradientFlowDistance({ grid, distribution: gaussian(10), sigmaA: 1, u0, eta: 0.07, times: [0, 60] }).relL2; // ≈ 4e-3
 */
export function gradientFlowDistance(options: {
  grid: Grid;
  distribution: FrequencyDistribution;
  sigmaA: number;
  u0: Float64Array;
  eta: number;
  times: readonly number[];
  method?: 'richardson' | 'eigen';
  /** Train on L f ≈ s (THEORY.md §7): u0 is the initial residual and the kernel K_L. */
  operator?: DifferentialOperator;
}): FlowEstimate {
  const { grid, distribution, sigmaA, u0, eta, operator } = options;
  const times = options.times.map((t) => Math.round(t / eta) * eta);
  const norm = (u: Float64Array) => Math.sqrt(u.reduce((s, v) => s + v * v, 0));
  const distance = (a: Float64Array[], b: Float64Array[], scale: number) =>
    a.reduce((m, u, j) => {
      const d = new Float64Array(u.length);
      for (let i = 0; i < u.length; i++) d[i] = u[i] - b[j][i];
      const ref = norm(b[j]);
      return ref > 0 ? Math.max(m, (scale * norm(d)) / ref) : m;
    }, 0);
  const run = (method: 'eigen' | 'fft', learningRate: number, dynamics: 'descent' | 'flow' = 'descent') =>
    kernelDynamics({
      grid,
      distribution,
      sigmaA,
      u0,
      learningRate,
      times,
      method,
      dynamics,
      ...(operator ? { operator } : {}),
    }).snapshots;
  if (options.method === 'eigen')
    return {
      relL2: distance(run('eigen', eta), run('eigen', eta, 'flow'), 1),
      method: 'exact (eigendecomposition)',
    };
  return { relL2: distance(run('fft', eta), run('fft', eta / 2), 2), method: 'Richardson, η vs η/2' };
}

/** The learning rate a run uses, why, and what was found on the way. */
export interface LearningRatePlan {
  readonly learningRate: number;
  readonly lambdaMax: number;
  readonly steps: number;
  readonly gradientFlow?: FlowEstimate & { readonly tolerance: number };
  readonly findings: Finding[];
}

/**
 * Chooses η (THEORY.md §2): 'auto' starts from 1/λ_max and is lowered until (a) every requested
 * snapshot lands on its own step (η ≤ the smallest gap) and (b) GD stays within `tolerance` of
 * gradient flow by `flowDistance` (when given: two-layer networks). A given η is kept; merging
 * snapshots is then an error and a larger distance from the flow a warning. More steps than the
 * limit is an error.
 *
 * @example
 * planLearningRate({ learningRate: 'auto', lambdaMax: 0.25, times: [0, 1, 80], tolerance: 0.01, maxSteps: 1e7,
 *   flowDistance: (eta) => ({ relL2: 0.1 * eta, method: 'linear' }) }).learningRate; // ≈ 0.08
 */
export function planLearningRate(options: {
  learningRate: number | 'auto';
  lambdaMax: number;
  times: readonly number[];
  tolerance: number;
  maxSteps: number;
  flowDistance?: (eta: number) => FlowEstimate;
}): LearningRatePlan {
  const { learningRate, lambdaMax, times, tolerance, maxSteps, flowDistance } = options;
  const findings: Finding[] = [];
  const sorted = [...times].sort((a, b) => a - b);
  const gap = sorted.slice(1).reduce((g, t, j) => Math.min(g, t - sorted[j]), Number.POSITIVE_INFINITY);
  const end = sorted.at(-1) ?? 0;
  let eta: number;
  if (learningRate === 'auto') {
    if (!(lambdaMax > 0 && Number.isFinite(lambdaMax)))
      throw new PreflightError({
        level: 'error',
        field: 'training.learningRate',
        message: `'auto' found λ_max = ${lambdaMax}: the network's NTK on this grid is zero; give a learning rate`,
      });
    eta = Math.min(1 / lambdaMax, gap);
  } else {
    eta = learningRate;
    if (eta > gap * (1 + 1e-9))
      findings.push({
        level: 'error',
        field: 'training.learningRate',
        message: `η = ${fmt(eta)} is larger than the smallest gap between snapshot times (${fmt(gap)}), so snapshots would merge; use η ≤ ${fmt(gap)} or "auto"`,
        value: eta,
        limit: gap,
      });
  }
  const stepsFor = (e: number) => Math.round(end / e);
  let estimate: FlowEstimate | undefined;
  if (flowDistance && !findings.length && stepsFor(eta) <= maxSteps) {
    estimate = flowDistance(eta);
    if (learningRate === 'auto') {
      for (let tries = 0; estimate.relL2 > tolerance && tries < 4; tries++) {
        // the distance is first order in η
        const next = eta * Math.min(0.5, (0.8 * tolerance) / estimate.relL2);
        if (stepsFor(next) > maxSteps) break;
        eta = next;
        estimate = flowDistance(eta);
      }
      if (estimate.relL2 > tolerance)
        findings.push({
          level: 'error',
          field: 'training.learningRate',
          message: `no automatic η keeps gradient descent within ${pct(tolerance)} of gradient flow in ${fmt(maxSteps)} steps (at η = ${fmt(eta)}: ${pct(estimate.relL2)}); shorten training.time, loosen training.flowTolerance or raise --max-steps`,
          value: estimate.relL2,
          limit: tolerance,
        });
      else if (eta < Math.min(1 / lambdaMax, gap))
        findings.push({
          level: 'note',
          field: 'training.learningRate',
          message: `'auto' lowered η from 1/λ_max = ${fmt(1 / lambdaMax)} to ${fmt(eta)} so that gradient descent stays within ${pct(tolerance)} of gradient flow (${estimate.method}: ${pct(estimate.relL2)})`,
          value: estimate.relL2,
          limit: tolerance,
        });
    } else if (estimate.relL2 > tolerance) {
      findings.push({
        level: 'warning',
        field: 'training.learningRate',
        message: `with η = ${fmt(eta)} gradient descent is ${pct(estimate.relL2)} from gradient flow (${estimate.method}; tolerance ${pct(tolerance)}): differences from the PDE of that size are the time step's, not the network's`,
        value: estimate.relL2,
        limit: tolerance,
      });
    }
  }
  const steps = stepsFor(eta);
  if (!(steps <= maxSteps))
    findings.push({
      level: 'error',
      field: 'training.time',
      message: `training to t = ${fmt(end)} with η = ${fmt(eta)} takes ${fmt(steps)} steps, more than the limit of ${fmt(maxSteps)} (set by --max-steps)`,
      value: steps,
      limit: maxSteps,
    });
  return {
    learningRate: eta,
    lambdaMax,
    steps,
    ...(estimate ? { gradientFlow: { ...estimate, tolerance } } : {}),
    findings,
  };
}
