import {
  dofPoints,
  frequencyDynamics,
  intervalMesh,
  type Mesh,
  rectangleMesh,
  solveReactionDiffusion,
} from '@freqbias/fem';
import {
  DeepFF,
  deepLambdaMax,
  distributionFromSpec,
  evaluateTarget,
  type FrequencyDistribution,
  type Grid,
  kernelDynamics,
  TwoLayerFF,
  targetFromSpec,
  train,
  twoLayerLambdaMax,
  uniformGrid,
} from '@freqbias/nn';
import { type BandSelection, type Box, pick, selectBand, tensorBand } from './analysis/band.js';
import { type ClaimResult, evaluateClaims } from './analysis/claims.js';
import { dampingRate } from './analysis/damping.js';
import { learningTimes } from './analysis/learning-times.js';
import { type Discrepancy, discrepancy, ensembleMean } from './analysis/metrics.js';
import { nearestFrequency } from './analysis/nearest.js';
import type { ReportMetrics } from './analysis/report-metrics.js';
import { type ExperimentConfig, loadPdeMesh } from './config.js';
import {
  checkBand,
  checkClaims,
  checkCoverage,
  checkDistribution,
  checkFrequencies,
  checkLearning,
  checkMesh,
  checkResources,
  checkTarget,
  defaultLimits,
  type Finding,
  gradientFlowDistance,
  type LearningRatePlan,
  type Limits,
  planLearningRate,
  raiseErrors,
} from './guards.js';
import type { ReportData } from './report/build.js';
import { errorSpectrum } from './spectrum/error-spectrum.js';
import { tensorPoints } from './spectrum/points.js';
import { spectrumAt } from './spectrum/spectrum-at.js';
import type { ComplexArray, Spectrum } from './spectrum/types.js';
import { packageVersions } from './versions.js';

/** Where a run reports progress: one phase at a time ('training seed 0', 'PDE', 'kernel'). */
export interface ProgressSink {
  start(phase: string, total: number): void;
  update(value: number): void;
  stop(): void;
  /** The phase failed: clear it without reporting it done (default: {@link stop}). */
  abort?(): void;
}

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

/** The PDE's domain [−Ξ, Ξ]^d. */
function pdeBox(config: ExperimentConfig): Box {
  // with pde.mesh, band is the mesh's extent max |ξ_a| (the band is then checked against the mesh)
  const xi = config.pde.band;
  return { lower: Array(config.grid.dim).fill(-xi), upper: Array(config.grid.dim).fill(xi) };
}

/**
 * The PDE mesh over [−Ξ, Ξ]^d (issue 4): nodes on the jumps of ρ_s inside the box, cells graded
 * towards a single peak of ρ_s (e.g. ξ = 0 for a Gaussian), uniform otherwise.
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

interface NetworkRun {
  times: number[];
  snapshots: Float64Array[];
  learningRate: number;
  lambdaMax: number;
  engine: string;
  backend: string;
  timeAxis: string;
  seconds: number;
}

type Model = TwoLayerFF | DeepFF;

function makeModel(config: ExperimentConfig, distribution: FrequencyDistribution, seed: number): Model {
  const net = config.network;
  return net.kind === 'twoLayer'
    ? new TwoLayerFF({
        width: net.width,
        distribution,
        sigmaA: net.sigmaA,
        seed,
        mirrored: net.mirrored,
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
        trainable: { w: net.trainW },
      });
}

/** λ_max of h^d·J Jᵀ for the model at initialisation (THEORY.md §2). */
async function lambdaMaxOf(model: Model, grid: Grid): Promise<number> {
  if (model.kind === 'two-layer')
    return twoLayerLambdaMax(
      await model.engineFor(grid),
      model.parameters,
      grid.cellVolume,
      model.trainable.w,
    );
  return deepLambdaMax(model, grid);
}

/**
 * The learning rate of the run (see {@link planLearningRate}): for two-layer networks trained by GD
 * it keeps GD within `training.flowTolerance` of gradient flow in the kernel regime.
 */
async function learningRatePlan(
  config: ExperimentConfig,
  grid: Grid,
  distribution: FrequencyDistribution,
  u0: Float64Array,
  times: number[],
  model: Model,
  limits: Limits,
): Promise<LearningRatePlan> {
  const { learningRate, optimizer } = config.training;
  const lambdaMax = learningRate === 'auto' ? await lambdaMaxOf(model, grid) : Number.NaN;
  const sigmaA = effectiveSigmaA(config);
  return planLearningRate({
    learningRate,
    lambdaMax,
    times,
    tolerance: config.training.flowTolerance,
    maxSteps: limits.steps,
    flowDistance:
      config.network.kind === 'twoLayer' && optimizer === 'gd'
        ? (eta) => gradientFlowDistance({ grid, distribution, sigmaA, u0, eta, times })
        : undefined,
  });
}

async function trainNetworks(
  config: ExperimentConfig,
  grid: Grid,
  distribution: FrequencyDistribution,
  target: Float64Array,
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
        // every seed with the same η, so that all snapshots are at the same times
        learningRate,
        times,
        optimizer: config.training.optimizer,
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
function snapshotTimes(config: ExperimentConfig): { times: number[]; findings: Finding[] } {
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
function meanOf(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays[0].length);
  for (const a of arrays) for (let i = 0; i < a.length; i++) out[i] += a[i] / arrays.length;
  return out;
}

/**
 * The initial error spectrum (of u₀) at the PDE mesh's dofs, read back at the comparison band's
 * frequencies, beside its exact values there: how well the mesh represents the PDE's initial condition.
 */
function initialReadBack(
  config: ExperimentConfig,
  grid: Grid,
  mesh: Mesh,
  u0: Float64Array,
  points: Float64Array,
) {
  const solution = solveReactionDiffusion({
    mesh,
    degree: config.pde.degree,
    diffusion: 0,
    reaction: 0,
    initial: spectrumAt(grid, u0, dofPoints(mesh, config.pde.degree)),
    times: [0],
    dt: 1,
  });
  return { exact: spectrumAt(grid, u0, points), readBack: solution.evaluate(0, points) };
}

/** σ_a as the dynamics see it: with w frozen the x·y term of the kernel is absent (THEORY.md §3). */
function effectiveSigmaA(config: ExperimentConfig): number {
  const net = config.network;
  return net.kind === 'twoLayer' && net.trainW ? net.sigmaA : 0;
}

/** Runs `work` as one progress phase. */
function phase<T>(progress: ProgressSink | undefined, name: string, total: number, work: () => T): T {
  progress?.start(name, total);
  try {
    return work();
  } finally {
    progress?.stop();
  }
}

/**
 * Solves the frequency-dynamics PDE (THEORY.md §4) on the mesh over [−Ξ, Ξ]^d, from the spectrum
 * of the network's initial error u0 at the mesh's dofs, to the snapshot times.
 */
function solvePde(
  config: ExperimentConfig,
  grid: Grid,
  distribution: FrequencyDistribution,
  mesh: Mesh,
  u0: Float64Array,
  times: number[],
  progress: ProgressSink | undefined,
) {
  const t0 = performance.now();
  const { degree } = config.pde;
  const problem = frequencyDynamics({
    dim: config.grid.dim,
    density: (xi) => distribution.symmetricDensity(xi),
    sigmaA: effectiveSigmaA(config),
  });
  const finalTime = times[times.length - 1];
  const dt = config.pde.dt ?? Math.min(config.grid.dim === 1 ? 0.01 : 0.02, finalTime / 200 || 0.01);
  const schemes = { crankNicolson: 'crank-nicolson', backwardEuler: 'backward-euler', bdf2: 'bdf2' } as const;
  const solution = phase(progress, 'PDE', 1000, () =>
    solveReactionDiffusion({
      mesh,
      degree,
      ...problem,
      initial: spectrumAt(grid, u0, dofPoints(mesh, degree)),
      times,
      dt,
      scheme: schemes[config.pde.scheme],
      onProgress: (fraction) => progress?.update(Math.round(fraction * 1000)),
    }),
  );
  return {
    at: (points: Float64Array): ComplexArray[] => times.map((_, k) => solution.evaluate(k, points)),
    seconds: (performance.now() - t0) / 1000,
    info: {
      dofs: solution.size,
      steps: solution.steps,
      dt,
      degree,
      cellsPerAxis: config.pde.cellsPerAxis,
      band: config.pde.band,
    },
  };
}

/** The kernel-regime baseline (THEORY.md §3): the network's GD steps, with its η, at infinite width. */
function runKernelBaseline(
  config: ExperimentConfig,
  grid: Grid,
  distribution: FrequencyDistribution,
  network: NetworkRun,
  u0: Float64Array,
  progress: ProgressSink | undefined,
) {
  const t0 = performance.now();
  const run = phase(progress, 'kernel', 100, () =>
    kernelDynamics({
      grid,
      distribution,
      sigmaA: effectiveSigmaA(config),
      u0,
      learningRate: network.learningRate,
      times: network.times,
      onProgress: ({ step, steps }) => progress?.update(steps > 0 ? Math.round((100 * step) / steps) : 100),
    }),
  );
  return {
    snapshots: run.snapshots,
    seconds: (performance.now() - t0) / 1000,
    info: { lambdaMax: run.lambdaMax, method: run.method, times: run.times },
  };
}

/**
 * Runs one experiment (issue 4): trains the network(s), solves the frequency-dynamics PDE from the
 * network's initial error spectrum (two-layer only), runs the kernel-regime baseline with the same η,
 * and compares the three on a common frequency band at the snapshot times.
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
  const { dim } = config.grid;
  const warnings: Finding[] = [];
  const keep = (findings: readonly Finding[]) => {
    for (const f of raiseErrors(findings)) {
      warnings.push(f);
      options.onFinding?.(f);
    }
  };
  // 0. the checks that the config alone decides, before anything is allocated
  keep(checkResources(config, limits));
  keep(checkClaims(config));
  const grid = uniformGrid({ dim, halfWidth: config.grid.halfWidth, n: config.grid.n });
  const distribution = distributionFromSpec(config.distribution as never, { dim });
  const target = evaluateTarget(targetFromSpec(config.target as never, { baseDir: options.baseDir }), grid);
  const pad = options.pad ?? (dim === 1 ? 4 : 2);
  const spectrum = (u: Float64Array) => errorSpectrum(grid, u, { pad });
  const snaps = snapshotTimes(config);
  keep(snaps.findings);
  keep(checkTarget(config, grid, target, spectrum(target)));
  keep(checkDistribution(grid, distribution));

  // 1. the network(s), with an η that keeps GD near gradient flow and every snapshot on its own step
  const model = makeModel(config, distribution, config.training.seeds[0]);
  let plan: LearningRatePlan;
  let mesh: Mesh | undefined;
  progress?.start('checks', 1);
  try {
    // the first seed's initial error u₀ = f₀ − g (−g with mirrored initialisation) stands for the run's
    const f0 = model.kind === 'two-layer' ? await model.evaluate(grid) : new Float64Array(grid.size);
    const initialError = Float64Array.from(target, (g, i) => f0[i] - g);
    const initialSpectrum = spectrum(initialError);
    keep(checkBand(config, grid, initialSpectrum));
    keep(checkFrequencies(config, grid));
    if (config.network.kind === 'twoLayer') keep(checkLearning(config, distribution, initialSpectrum));
    mesh = config.pde.enabled ? pdeMesh(config, distribution) : undefined;
    if (mesh) {
      const { points } = selectBand(initialSpectrum, config.comparison.band, {
        threshold: config.comparison.threshold,
        within: pdeBox(config),
      });
      keep(checkCoverage(mesh, points));
      keep(checkMesh(config, mesh, distribution, initialReadBack(config, grid, mesh, initialError, points)));
    }
    plan = await learningRatePlan(config, grid, distribution, initialError, snaps.times, model, limits);
    keep(plan.findings);
  } catch (error) {
    if (progress) (progress.abort ?? progress.stop).call(progress);
    await model.dispose();
    throw error;
  }
  progress?.stop();
  const runs = await trainNetworks(
    config,
    grid,
    distribution,
    target,
    snaps.times,
    plan.learningRate,
    model,
    progress,
  );
  const trainingSeconds = (performance.now() - started) / 1000;
  const first = runs[0];
  const times = first.times;
  if (times.some((t, j) => j > 0 && !(t > times[j - 1])))
    throw new Error(`internal: snapshot times ${JSON.stringify(times)} are not increasing`);
  const nnSpectra = runs.map((r) => r.snapshots.map(spectrum));
  // the ensemble's initial error: the PDE and the kernel start from it
  const u0 = meanOf(runs.map((r) => r.snapshots[0]));

  // the band: where the initial error spectrum matters, inside the PDE's domain
  const within = config.pde.enabled ? pdeBox(config) : undefined;
  const initialSpectrum = runs.length > 1 ? spectrum(u0) : nnSpectra[0][0];
  const band: BandSelection = selectBand(initialSpectrum, config.comparison.band, {
    threshold: config.comparison.threshold,
    within,
  });
  if (band.indices.length === 0)
    throw new Error('comparison.band: no frequency of the error spectrum lies in the band');
  const heat = tensorBand(initialSpectrum, band.box);
  const heatPoints = tensorPoints(heat.axes);
  const pickAll = (spectra: Spectrum[], indices: Int32Array) => spectra.map((s) => pick(s, indices));
  const nnBandRuns = nnSpectra.map((spectra) => pickAll(spectra, band.indices));
  const nnBand = nnBandRuns.length > 1 ? ensembleMean(nnBandRuns) : nnBandRuns[0];
  const nnHeatRuns = nnSpectra.map((spectra) => pickAll(spectra, heat.indices));
  const nnHeat = nnHeatRuns.length > 1 ? ensembleMean(nnHeatRuns) : nnHeatRuns[0];

  // 2. the PDE (THEORY.md §4), from the spectrum of the ensemble's initial error
  const pde = mesh ? solvePde(config, grid, distribution, mesh, u0, times, progress) : undefined;
  const pdeBand = pde?.at(band.points);
  const pdeHeat = pde?.at(heatPoints);

  // 3. the kernel-regime baseline with the network's η (THEORY.md §3)
  const kernel =
    config.kernel.enabled && config.network.kind === 'twoLayer'
      ? runKernelBaseline(config, grid, distribution, first, u0, progress)
      : undefined;
  const kernelSpectra = kernel?.snapshots.map(spectrum);
  const kernelBand = kernelSpectra && pickAll(kernelSpectra, band.indices);
  const kernelHeat = kernelSpectra && pickAll(kernelSpectra, heat.indices);

  // 4. the comparison
  const w = band.weights;
  const pairs: { nnVsPde?: Discrepancy; nnVsKernel?: Discrepancy; kernelVsPde?: Discrepancy } = {};
  if (pdeBand) pairs.nnVsPde = discrepancy(times, nnBand, pdeBand, w);
  if (kernelBand) pairs.nnVsKernel = discrepancy(times, nnBand, kernelBand, w);
  if (kernelBand && pdeBand) pairs.kernelVsPde = discrepancy(times, kernelBand, pdeBand, w);
  const perSeed =
    runs.length > 1 && pdeBand ? nnBandRuns.map((r) => discrepancy(times, r, pdeBand, w).max) : undefined;
  const frequencies = Array.from({ length: band.indices.length }, (_, q) =>
    Array.from(band.points.subarray(q * dim, q * dim + dim)),
  );
  const lt = {
    frequencies,
    nn: learningTimes(times, nnBand),
    ...(pdeBand ? { pde: learningTimes(times, pdeBand) } : {}),
    ...(kernelBand ? { kernel: learningTimes(times, kernelBand) } : {}),
  };
  const spacing = initialSpectrum.frequencies.map((f) => (f.length > 1 ? Math.abs(f[1] - f[0]) : 0));
  const highlights = config.comparison.frequencies.map((f, j) => {
    const q = nearestFrequency(frequencies, f);
    const off = f.map((x, a) => Math.abs(x - frequencies[q][a]));
    if (off.some((d, a) => d > spacing[a]))
      keep([
        {
          level: 'warning',
          field: `comparison.frequencies[${j}]`,
          message: `ξ = ${JSON.stringify(f.length === 1 ? f[0] : f)} is not in the compared band (where the initial error is above comparison.threshold); its learning times are those at the nearest compared ξ = ${JSON.stringify(frequencies[q].length === 1 ? frequencies[q][0] : frequencies[q])}`,
        },
      ]);
    return {
      frequency: f,
      nearest: frequencies[q],
      nn: lt.nn[q],
      pde: lt.pde?.[q] ?? null,
      kernel: lt.kernel?.[q] ?? null,
      inverseDamping: 1 / dampingRate(distribution, frequencies[q]),
    };
  });
  const metrics: ReportMetrics = {
    ...pairs,
    ...(perSeed ? { nnVsPdePerSeed: perSeed } : {}),
    learningTimes: lt,
    highlights,
  };
  const claims = evaluateClaims(config.claims, metrics, times[times.length - 1]);
  const totalSeconds = (performance.now() - started) / 1000;
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
    times,
    band: { points: band.indices.length, box: band.box },
    pde: pde?.info,
    kernel: kernel?.info,
    metrics,
    claims,
    warnings,
    timings: {
      trainingSeconds,
      pdeSeconds: pde?.seconds ?? 0,
      kernelSeconds: kernel?.seconds ?? 0,
      totalSeconds,
    },
    config,
  };
  // 1/((2π)^d ρ_s): the learning time without diffusion (THEORY.md §4). In 1D on a fine grid over
  // the band's box, so the curve does not jump across the band's gaps.
  const { lower, upper } = band.box;
  const referencePoints =
    dim === 1
      ? Array.from({ length: 401 }, (_, j) => [lower[0] + ((upper[0] - lower[0]) * j) / 400])
      : frequencies;
  const reference = {
    frequencies: referencePoints,
    values: Float64Array.from(referencePoints, (f) => 1 / dampingRate(distribution, f)),
  };
  const reportData: ReportData = {
    title: config.name,
    description: config.description,
    config,
    report,
    spectra: { dim, axes: heat.axes, times, nn: nnHeat, pde: pdeHeat, kernel: kernelHeat },
    reference,
    highlights: config.comparison.frequencies,
  };
  return { config, report, reportData };
}
