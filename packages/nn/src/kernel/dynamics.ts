import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { FrequencyDistribution } from '../distributions/types.js';
import type { Grid } from '../grid.js';
import { type PowerIterationOptions, powerIterationSync } from '../numeric/power-iteration.js';
import { checkOperator, type DifferentialOperator, isIdentity } from '../operators/operator.js';
import { checkStable } from '../training/learning-rate.js';
import { riemannLoss } from '../training/loss.js';
import { checkRunInputs } from '../training/options.js';
import { schedule } from '../training/schedule.js';
import { type KernelOperator, kernelMatrix, kernelOperator } from './operator.js';
import {
  crossKernelMatrix,
  crossKernelOperator,
  type OperatorKernelOptions,
  operatorKernelMatrix,
  operatorKernelOperator,
} from './operator-kernel.js';

/** Options of {@link kernelDynamics}. */
export interface KernelDynamicsOptions {
  readonly grid: Grid;
  readonly distribution: FrequencyDistribution;
  /** σ_a ≥ 0: weight of the x·y term (the gradient in w), THEORY.md §3. */
  readonly sigmaA: number;
  /**
   * The initial error u₀ = f₀ − g on the grid (−g with mirrored initialisation); with an operator,
   * the initial residual r₀ = L f₀ − s (−s with mirrored initialisation).
   */
  readonly u0: ArrayLike<number>;
  /**
   * Train on L f ≈ s (THEORY.md §7): the kernel is then K_L, the NTK of the L-applied network, and
   * the snapshots are residuals r_{k+1} = r_k − η h^d K_L r_k (default: the identity, K).
   */
  readonly operator?: DifferentialOperator;
  /**
   * With an operator: the initial solution error e₀ = f₀ − g (−g with mirrored initialisation), for
   * a solution g of L g = s. The kernel regime then also moves it, e_{k+1} = e_k − η h^d K_× r_k
   * (K_× = ∇_θ f·∇_θ(L f), {@link crossKernelOperator}), and the result has `solutionErrors`.
   */
  readonly solutionU0?: ArrayLike<number>;
  /** The quadrature over w behind K_L (operators of order ≥ 1 only). */
  readonly operatorQuadrature?: OperatorKernelOptions;
  /** η > 0, or 'auto' for η = 1/λ_max of h^d K (THEORY.md §2). */
  readonly learningRate: number | 'auto';
  /** Times t ≥ 0 of the snapshots, rounded to steps round(t/η). */
  readonly times: readonly number[];
  /**
   * 'fft' (default): matrix-free K u by FFT, any grid. 'matrix': an explicit dense K (8N² bytes).
   * 'eigen': exact, by symmetric eigendecomposition of h^d K (grids up to 2048 points).
   */
  readonly method?: 'fft' | 'matrix' | 'eigen';
  /** With method 'eigen' only: 'descent' (default, the GD map) or 'flow' (exact exp(−t h^d K)). */
  readonly dynamics?: 'descent' | 'flow';
  /** Options of the power iteration that finds λ_max ('fft' and 'matrix'). */
  readonly powerIteration?: PowerIterationOptions;
  /** Called about a hundred times over the run, and at the end. */
  readonly onProgress?: (progress: { step: number; steps: number; time: number }) => void;
}

/** Result of {@link kernelDynamics}. */
export interface KernelDynamicsResult {
  /** Actual times t = η·steps (for 'flow', the requested times). */
  readonly times: number[];
  /** Step counts round(t/η) (for 'flow', the unrounded t/η). */
  readonly steps: number[];
  /** u at each time, in the order of the requested times (with an operator, the residual). */
  readonly snapshots: Float64Array[];
  /** With `solutionU0`: the solution error f − g at each time. */
  readonly solutionErrors?: Float64Array[];
  /** The loss ½ h^d Σ u_i² of each snapshot (THEORY.md §2). */
  readonly losses: number[];
  readonly learningRate: number;
  /** Largest eigenvalue of h^d K (power iteration; exact with 'eigen'). */
  readonly lambdaMax: number;
  /**
   * false when the power iteration stopped at `powerIteration.maxIterations` unconverged: λ_max is
   * then an estimate from below, and η = 1/λ_max ('auto') may be somewhat above the stable 1/λ_max
   * (as in `TrainResult.lambdaMaxConverged`); true otherwise, and always with 'eigen'.
   */
  readonly lambdaMaxConverged: boolean;
  readonly method: 'fft' | 'matrix' | 'eigen';
}

/**
 * The kernel-regime baseline: the network's gradient-descent steps with its infinite-width kernel
 * (THEORY.md §2–3),
 *
 *     u_{k+1} = u_k − η h^d K u_k,   K(x, y) = (1 + σ_a² x·y) k(x − y),
 *
 * snapshotted at t = η k. With `method: 'eigen'` the same map is evaluated exactly as
 * u_k = V (1 − η λ)^k Vᵀ u₀ from h^d K = V diag(λ) Vᵀ — exact for the discrete GD map, not an
 * approximation of it — or, with `dynamics: 'flow'`, the gradient flow u(t) = V e^{−λ t} Vᵀ u₀.
 * A learning rate at or above 2/λ_max (unstable) is an error. With `operator`, K is K_L, the kernel
 * of the L-applied network (THEORY.md §7, {@link operatorKernelOperator}), and u the residual.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 512 });
 * const g = windowedSines({ frequencies: [3, 10, 25] }).evaluate(grid);
 * const run = kernelDynamics({
 *   grid, distribution: gaussian(10), sigmaA: 1, u0: g.map((v) => -v),
 *   learningRate: 'auto', times: [0, 5, 20],
 * });
 * run.losses; // decreasing
 * // trained on L f ≈ s (THEORY.md §7): the residual under K_L
 * const pinn = kernelDynamics({
 *   grid, distribution: gaussian(6), sigmaA: 1, operator: helmholtz(2), u0: s.map((v) => -v),
 *   learningRate: 'auto', times: [0, 0.01],
 * });
 */
export function kernelDynamics(options: KernelDynamicsOptions): KernelDynamicsResult {
  const { grid, distribution, sigmaA, u0, learningRate, times, onProgress } = options;
  const method = options.method ?? 'fft';
  const dynamics = options.dynamics ?? 'descent';
  if (!['fft', 'matrix', 'eigen'].includes(method)) {
    throw new Error(`method: expected 'fft', 'matrix' or 'eigen', got ${JSON.stringify(method)}`);
  }
  if (dynamics !== 'descent' && dynamics !== 'flow') {
    throw new Error(`dynamics: expected 'descent' or 'flow', got ${JSON.stringify(dynamics)}`);
  }
  if (dynamics === 'flow' && method !== 'eigen') throw new Error("dynamics: 'flow' needs method 'eigen'");
  checkRunInputs(grid, 'u0', u0, learningRate, times);
  if (options.operator !== undefined) checkOperator('operator', options.operator, grid.dim);
  const solutionU0 = options.solutionU0;
  if (solutionU0 !== undefined) {
    if (options.operator === undefined)
      throw new Error('solutionU0: needs an operator (without one u0 is the solution error)');
    checkRunInputs(grid, 'solutionU0', solutionU0, learningRate, times);
  }
  if (method === 'eigen' && grid.size > 2048) {
    throw new Error(`method: 'eigen' is for grids of at most 2048 points, this one has ${grid.size}`);
  }
  const n = grid.size;
  const hd = grid.cellVolume;
  const loss = (u: Float64Array) => riemannLoss(u, hd);
  const operator = options.operator && !isIdentity(options.operator) ? options.operator : undefined;
  const denseKernel = () =>
    operator
      ? operatorKernelMatrix(grid, distribution, sigmaA, operator, options.operatorQuadrature)
      : kernelMatrix(grid, distribution, sigmaA);
  const kernelName = operator ? 'h^d K_L' : 'h^d K';
  /** K_× = ∇_θ f·∇_θ(L f), dense or matrix-free (for L = c·I it is c K, in closed form). */
  const crossProduct = (dense: boolean): ((r: Float64Array, out: Float64Array) => void) => {
    const quadrature = options.operatorQuadrature;
    const op = options.operator as DifferentialOperator;
    if (dense) return denseProduct(grid, () => crossKernelMatrix(grid, distribution, sigmaA, op, quadrature));
    const x = crossKernelOperator(grid, distribution, sigmaA, op, quadrature);
    return (r, out) => x.apply(r, out);
  };

  if (method === 'eigen') {
    const a = Matrix.from1DArray(n, n, denseKernel()).mul(hd);
    const eig = new EigenvalueDecomposition(a, { assumeSymmetric: true });
    const lambda = eig.realEigenvalues;
    const v = eig.eigenvectorMatrix;
    const lambdaMax = Math.max(...lambda);
    const eta = learningRate === 'auto' ? 1 / lambdaMax : learningRate;
    checkStable(eta, lambdaMax, kernelName);
    const coefficients = v
      .transpose()
      .mmul(Matrix.columnVector(Array.from(u0)))
      .getColumn(0);
    const steps = dynamics === 'flow' ? times.map((t) => t / eta) : schedule(times, eta).steps;
    const snapshots = steps.map((k, s) => {
      const factor = lambda.map((l, j) =>
        dynamics === 'flow'
          ? Math.exp(-l * times[s]) * coefficients[j]
          : (1 - eta * l) ** k * coefficients[j],
      );
      return Float64Array.from(v.mmul(Matrix.columnVector(factor)).getColumn(0));
    });
    // e_k = e₀ − h^d K_× Σ_{j<k} η r_j: per eigenvalue η Σ_{j<k} (1 − ηλ)^j, or ∫₀^t e^{−λs} ds.
    let solutionErrors: Float64Array[] | undefined;
    if (solutionU0) {
      const cross = crossProduct(true);
      const out = new Float64Array(n);
      solutionErrors = steps.map((k, s) => {
        const t = dynamics === 'flow' ? times[s] : k * eta;
        const factor = lambda.map((l, j) => {
          let sum: number;
          if (Math.abs(l * t) < 1e-12) sum = t;
          else if (dynamics === 'flow') sum = -Math.expm1(-l * t) / l;
          else sum = (1 - (1 - eta * l) ** k) / l;
          return sum * coefficients[j];
        });
        cross(Float64Array.from(v.mmul(Matrix.columnVector(factor)).getColumn(0)), out);
        return Float64Array.from(solutionU0, (e0, i) => e0 - hd * out[i]);
      });
    }
    onProgress?.({ step: Math.max(0, ...steps), steps: Math.max(0, ...steps), time: Math.max(0, ...times) });
    return {
      times: dynamics === 'flow' ? [...times] : steps.map((k) => k * eta),
      steps,
      snapshots,
      losses: snapshots.map(loss),
      learningRate: eta,
      lambdaMax,
      lambdaMaxConverged: true,
      method,
      ...(solutionErrors ? { solutionErrors } : {}),
    };
  }

  const apply = productOf(method, grid, denseKernel, () =>
    operator
      ? operatorKernelOperator(grid, distribution, sigmaA, operator, options.operatorQuadrature)
      : kernelOperator(grid, distribution, sigmaA),
  );
  const { lambdaMax, converged } = powerIterationSync(
    (x, out) => {
      apply(x, out);
      for (let i = 0; i < n; i++) out[i] *= hd;
    },
    n,
    options.powerIteration,
  );
  const eta = learningRate === 'auto' ? 1 / lambdaMax : learningRate;
  checkStable(eta, lambdaMax, kernelName);
  const plan = schedule(times, eta);
  const total = plan.total;
  const snapshots: Float64Array[] = new Array(plan.steps.length);
  const u = Float64Array.from(u0);
  const ku = new Float64Array(n);
  const e = solutionU0 ? Float64Array.from(solutionU0) : undefined;
  const cross = e ? crossProduct(method === 'matrix') : undefined;
  const solutionErrors: Float64Array[] | undefined = e ? new Array(plan.steps.length) : undefined;
  const every = Math.max(1, Math.floor(total / 100));
  for (let k = 0; ; k++) {
    for (const s of plan.at.get(k) ?? []) {
      snapshots[s] = u.slice();
      if (e && solutionErrors) solutionErrors[s] = e.slice();
    }
    if (k >= total) break;
    if (e && cross) {
      cross(u, ku);
      for (let i = 0; i < n; i++) e[i] -= eta * hd * ku[i];
    }
    apply(u, ku);
    for (let i = 0; i < n; i++) u[i] -= eta * hd * ku[i];
    if ((k + 1) % every === 0 && onProgress) onProgress({ step: k + 1, steps: total, time: (k + 1) * eta });
  }
  if (onProgress && total % every !== 0) onProgress({ step: total, steps: total, time: total * eta });
  return {
    times: plan.times,
    steps: plan.steps,
    snapshots,
    losses: snapshots.map(loss),
    learningRate: eta,
    lambdaMax,
    lambdaMaxConverged: converged,
    method,
    ...(solutionErrors ? { solutionErrors } : {}),
  };
}

function productOf(
  method: 'fft' | 'matrix',
  grid: Grid,
  matrix: () => Float64Array,
  operator: () => KernelOperator,
): (u: Float64Array, out: Float64Array) => void {
  if (method === 'fft') {
    const op = operator();
    return (u, out) => op.apply(u, out);
  }
  return denseProduct(grid, matrix);
}

/** out = K u for a dense row-major N×N matrix. */
function denseProduct(grid: Grid, matrix: () => Float64Array): (u: Float64Array, out: Float64Array) => void {
  const k = matrix();
  const n = grid.size;
  return (u, out) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += k[row + j] * u[j];
      out[i] = s;
    }
  };
}
