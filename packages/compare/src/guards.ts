import { totalmem } from 'node:os';
import { cellCount, cellLocator, type Mesh, pointCount } from '@freqbias/fem';
import { createRng, type FrequencyDistribution, type Grid, kernelDynamics } from '@freqbias/nn';
import type { Box } from './analysis/band.js';
import { relL2 } from './analysis/metrics.js';
import type { ExperimentConfig } from './config.js';
import type { Spectrum } from './spectrum/types.js';

/*
 * Physics guards (issue 8): checks, before the long work, that a run can mean what its numbers say.
 * Each finding names the config field, the measured figure and the limit; errors stop the run, and
 * warnings are printed and kept in report.json under `warnings`.
 */

/** 'error' stops the run; 'warning' is printed and kept in the report; 'note' is informational. */
export type FindingLevel = 'error' | 'warning' | 'note';

/** One result of a check: the field it is about, what was found, the figure and its limit. */
export interface Finding {
  readonly level: FindingLevel;
  readonly field: string;
  readonly message: string;
  readonly value?: number;
  readonly limit?: number;
}

/** A run refused by a check; the message is one line naming the field. */
export class PreflightError extends Error {
  constructor(readonly finding: Finding) {
    super(`${finding.field}: ${finding.message}`);
    this.name = 'PreflightError';
  }
}

/** Throws the first error among `findings`; returns the rest. */
export function raiseErrors(findings: readonly Finding[]): Finding[] {
  const error = findings.find((f) => f.level === 'error');
  if (error) throw new PreflightError(error);
  return [...findings];
}

/** What a run may use; beyond either the run is refused with the estimate and the limit. */
export interface Limits {
  /** Bytes of memory the run may hold at once (default: 75% of this machine's memory). */
  readonly memoryBytes: number;
  /** Time steps of training, the kernel baseline or the PDE (default 10^7). */
  readonly steps: number;
}

/**
 * The default limits on this machine.
 *
 * @example
 * defaultLimits().steps; // 10_000_000
 */
export function defaultLimits(): Limits {
  return { memoryBytes: Math.floor(0.75 * totalmem()), steps: 10_000_000 };
}

/** The thresholds of the checks (relative figures). */
export const THRESHOLDS = {
  /** Mass of ρ_w beyond the grid's Nyquist frequency: warning, error. */
  aliasedMass: [1e-3, 0.05],
  /** Energy of the target's spectrum outside the PDE's box: warning, error. */
  energyOutsideBox: [1e-4, 0.1],
  /** Relative L2 error of the initial error spectrum interpolated on the PDE mesh: warning, error. */
  meshInitial: [0.01, 0.1],
  /** Largest error of ρ_s interpolated linearly across a PDE cell, relative to max ρ_s: warning, error. */
  meshDensity: [1e-2, 0.2],
  /** Fraction of the initial error's energy inside the comparison band: error below. */
  bandEnergy: 1e-6,
  /** Fraction of the initial loss that the run removes (no diffusion): warning below. */
  learned: 1e-3,
} as const;

const fmt = (x: number) =>
  x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5)
    ? String(Number(x.toPrecision(3)))
    : x.toExponential(2);
const pct = (x: number) => `${(100 * x).toPrecision(2)}%`;
const gib = (bytes: number) => `${fmt(bytes / 2 ** 30)} GiB`;

/** The grid's Nyquist frequency π/h per axis. */
export function nyquist(grid: Grid): number[] {
  return grid.h.map((h) => Math.PI / h);
}

function graded(level: readonly [number, number], value: number): FindingLevel | undefined {
  return value > level[1] ? 'error' : value > level[0] ? 'warning' : undefined;
}

/** Σ|û|² inside and outside a box, over a spectrum's frequency grid. */
function energySplit(spectrum: Spectrum, inside: (xi: readonly number[]) => boolean): [number, number] {
  const { dim, frequencies } = spectrum;
  const L1 = dim === 2 ? frequencies[1].length : 1;
  const xi = [0, 0].slice(0, dim);
  let inE = 0;
  let outE = 0;
  for (let k = 0; k < spectrum.re.length; k++) {
    xi[0] = frequencies[0][Math.floor(k / L1)];
    if (dim === 2) xi[1] = frequencies[1][k % L1];
    const e = spectrum.re[k] ** 2 + spectrum.im[k] ** 2;
    if (inside(xi)) inE += e;
    else outE += e;
  }
  return [inE, outE];
}

const inBox = (box: Box) => (xi: readonly number[]) =>
  xi.every((v, a) => v >= box.lower[a] && v <= box.upper[a]);

/**
 * Checks of the target: not zero on the grid; representable by the grid (a sine at or beyond the
 * Nyquist frequency aliases); its spectrum inside the PDE's box [−Ξ, Ξ]^d.
 */
export function checkTarget(
  config: ExperimentConfig,
  grid: Grid,
  target: Float64Array,
  spectrum: Spectrum,
): Finding[] {
  const findings: Finding[] = [];
  let max = 0;
  for (const v of target) max = Math.max(max, Math.abs(v));
  if (!(max > 0))
    return [
      {
        level: 'error',
        field: 'target',
        message:
          'the target is zero on every grid point, so there is no error to learn and every metric would be 0',
        value: max,
      },
    ];
  const ny = nyquist(grid);
  const t = config.target as { kind: string; frequencies?: unknown };
  if (t.kind === 'sines' && Array.isArray(t.frequencies)) {
    t.frequencies.forEach((f, k) => {
      const v = (Array.isArray(f) ? f : [f]) as number[];
      const a = v.findIndex((x, axis) => Math.abs(x) >= ny[axis]);
      if (a >= 0)
        findings.push({
          level: 'error',
          field: `target.frequencies[${k}]`,
          message: `${fmt(v[a])} is at or beyond the grid's Nyquist frequency π/h = ${fmt(ny[a])}${grid.dim === 2 ? ` on axis ${a + 1}` : ''}: the grid cannot represent it (aliasing); raise grid.n or lower the frequency`,
          value: Math.abs(v[a]),
          limit: ny[a],
        });
    });
  }
  const xi = config.pde.band;
  if (config.pde.enabled && xi < Math.min(...ny)) {
    const box = { lower: Array(grid.dim).fill(-xi), upper: Array(grid.dim).fill(xi) };
    const [inside, outside] = energySplit(spectrum, inBox(box));
    const fraction = outside / (inside + outside);
    const level = graded(THRESHOLDS.energyOutsideBox, fraction);
    if (level)
      findings.push({
        level,
        field: 'pde.band',
        message: `${pct(fraction)} of the target's spectral energy lies outside the PDE's box [−${fmt(xi)}, ${fmt(xi)}]^${grid.dim} (limit ${pct(THRESHOLDS.energyOutsideBox[level === 'error' ? 1 : 0])}); raise pde.band`,
        value: fraction,
        limit: THRESHOLDS.energyOutsideBox[level === 'error' ? 1 : 0],
      });
  }
  return findings;
}

/**
 * Mass of ρ_w beyond the grid's Nyquist frequency (on any axis), by Monte Carlo with 2^17 seeded
 * samples: those features alias on the grid, so the network and kernel no longer follow the PDE.
 */
export function checkDistribution(grid: Grid, distribution: FrequencyDistribution): Finding[] {
  const ny = nyquist(grid);
  const n = 2 ** 17;
  const w = distribution.sample(n, createRng(12345));
  let beyond = 0;
  for (let j = 0; j < n; j++) {
    for (let a = 0; a < grid.dim; a++) {
      if (Math.abs(w[j * grid.dim + a]) > ny[a]) {
        beyond++;
        break;
      }
    }
  }
  const fraction = beyond / n;
  const level = graded(THRESHOLDS.aliasedMass, fraction);
  if (!level) return [];
  const limit = THRESHOLDS.aliasedMass[level === 'error' ? 1 : 0];
  return [
    {
      level,
      field: 'distribution',
      message: `${pct(fraction)} of ρ_w's mass lies beyond the grid's Nyquist frequency π/h = ${fmt(Math.min(...ny))} (limit ${pct(limit)}): those frequencies alias on the grid; raise grid.n or narrow ρ_w`,
      value: fraction,
      limit,
    },
  ];
}

/** The comparison band: inside the grid's and the PDE's range, and holding the initial error. */
export function checkBand(config: ExperimentConfig, grid: Grid, spectrum: Spectrum): Finding[] {
  const findings: Finding[] = [];
  const ny = Math.min(...nyquist(grid));
  const xi = config.pde.band;
  if (config.pde.enabled && xi > ny * (1 + 1e-9))
    return [
      {
        level: 'error',
        field: 'pde.band',
        message: `Ξ = ${fmt(xi)} is beyond the grid's Nyquist frequency π/h = ${fmt(ny)}: the network's spectrum is periodic there; use Ξ ≤ ${fmt(ny)}`,
        value: xi,
        limit: ny,
      },
    ];
  const band = config.comparison.band;
  const limit = config.pde.enabled ? xi : ny;
  if (band !== 'auto') {
    const box = typeof band === 'number' ? { lower: [-band, -band], upper: [band, band] } : band;
    const outside = box.upper.slice(0, grid.dim).some((u, a) => u > limit || box.lower[a] < -limit);
    if (outside)
      findings.push({
        level: 'warning',
        field: 'comparison.band',
        message: `reaches beyond ${config.pde.enabled ? 'the PDE box' : 'the Nyquist frequency'} ±${fmt(limit)}; compared only inside it`,
      });
    const inside = (v: readonly number[]) =>
      v.every((x, a) => x >= box.lower[a] && x <= box.upper[a] && Math.abs(x) <= limit);
    const [inE, outE] = energySplit(spectrum, inside);
    const points = countPoints(spectrum, inside);
    const fraction = inE / (inE + outE);
    if (points < 3 || fraction < THRESHOLDS.bandEnergy)
      findings.push({
        level: 'error',
        field: 'comparison.band',
        message: `the band holds ${points} ${points === 1 ? 'frequency' : 'frequencies'} of the spectrum and ${fraction.toExponential(1)} of the initial error's energy: a discrepancy over it would be meaningless; widen it (or use "auto")`,
        value: fraction,
        limit: THRESHOLDS.bandEnergy,
      });
  }
  return findings;
}

function countPoints(spectrum: Spectrum, inside: (xi: readonly number[]) => boolean): number {
  const { dim, frequencies } = spectrum;
  if (dim === 1) return Array.from(frequencies[0]).filter((f) => inside([f])).length;
  let count = 0;
  for (const f0 of frequencies[0]) for (const f1 of frequencies[1]) if (inside([f0, f1])) count++;
  return count;
}

/** Frequencies named by claims and highlights must lie inside the compared range. */
export function checkFrequencies(config: ExperimentConfig, grid: Grid): Finding[] {
  const limit = config.pde.enabled ? config.pde.band : Math.min(...nyquist(grid));
  const band = config.comparison.band;
  const box =
    band === 'auto'
      ? undefined
      : typeof band === 'number'
        ? { lower: [-band, -band], upper: [band, band] }
        : band;
  const findings: Finding[] = [];
  const check = (field: string, f: readonly number[]) => {
    const outside = f.some((x, a) => Math.abs(x) > limit || (box && (x < box.lower[a] || x > box.upper[a])));
    if (outside)
      findings.push({
        level: 'error',
        field,
        message: `ξ = ${JSON.stringify(f.length === 1 ? f[0] : f)} lies outside the compared frequencies (${box ? 'comparison.band' : `|ξ| ≤ ${fmt(limit)}`}); it would be measured at the band's edge`,
      });
  };
  config.comparison.frequencies.forEach((f, j) => {
    check(`comparison.frequencies[${j}]`, f);
  });
  config.claims.forEach((c, j) => {
    if (c.kind === 'learningTimeRatio') {
      check(`claims[${j}].numerator`, c.numerator);
      check(`claims[${j}].denominator`, c.denominator);
    } else if (c.kind === 'learningTimesWithin')
      c.frequencies.forEach((f, k) => {
        check(`claims[${j}].frequencies[${k}]`, f);
      });
    else if (c.kind === 'learningOrder') {
      check(`claims[${j}].first`, c.first);
      check(`claims[${j}].then`, c.then);
    }
  });
  return findings;
}

/**
 * Is the PDE mesh fine enough? (a) the initial error spectrum interpolated at the mesh's dofs, read
 * back at the band's frequencies (`readBack`), against the spectrum itself; (b) ρ_s interpolated
 * linearly across each cell against its value at the cell's centre, relative to max ρ_s.
 */
export function checkMesh(
  config: ExperimentConfig,
  mesh: Mesh,
  distribution: FrequencyDistribution,
  initial: {
    exact: { re: ArrayLike<number>; im: ArrayLike<number> };
    readBack: { re: ArrayLike<number>; im: ArrayLike<number> };
  },
): Finding[] {
  const findings: Finding[] = [];
  const e = relL2(initial.readBack, initial.exact);
  const level = graded(THRESHOLDS.meshInitial, e);
  if (level)
    findings.push({
      level,
      field: 'pde.cellsPerAxis',
      message: `${config.pde.cellsPerAxis} cells per axis represent the initial error spectrum to relL2 ${fmt(e)} (limit ${fmt(THRESHOLDS.meshInitial[level === 'error' ? 1 : 0])}): the mesh is too coarse; raise pde.cellsPerAxis or pde.degree`,
      value: e,
      limit: THRESHOLDS.meshInitial[level === 'error' ? 1 : 0],
    });
  const { dim } = mesh;
  const nv = dim + 1;
  const xi = new Float64Array(dim);
  let rhoMax = 0;
  for (let p = 0; p < pointCount(mesh); p++) {
    for (let a = 0; a < dim; a++) xi[a] = mesh.points[p * dim + a];
    rhoMax = Math.max(rhoMax, distribution.symmetricDensity(xi));
  }
  // ρ_s may jump at cell boundaries (the mesh puts nodes there), so compare inside each cell: the
  // centre against the mean at the vertices pulled halfway to it; linear interpolation's error over the
  // whole cell is four times that (it grows with the square of the size)
  const pulled = new Float64Array(dim);
  let worst = 0;
  for (let c = 0; c < cellCount(mesh); c++) {
    xi.fill(0);
    for (let v = 0; v < nv; v++) {
      const p = mesh.cells[c * nv + v];
      for (let a = 0; a < dim; a++) xi[a] += mesh.points[p * dim + a] / nv;
    }
    let mean = 0;
    for (let v = 0; v < nv; v++) {
      const p = mesh.cells[c * nv + v];
      for (let a = 0; a < dim; a++) pulled[a] = 0.5 * (xi[a] + mesh.points[p * dim + a]);
      mean += distribution.symmetricDensity(pulled) / nv;
    }
    worst = Math.max(worst, 4 * Math.abs(distribution.symmetricDensity(xi) - mean));
  }
  const r = rhoMax > 0 ? worst / rhoMax : 0;
  const rLevel = graded(THRESHOLDS.meshDensity, r);
  if (rLevel)
    findings.push({
      level: rLevel,
      field: 'pde.cellsPerAxis',
      message: `ρ_s varies by ${pct(r)} of its maximum across one cell (limit ${pct(THRESHOLDS.meshDensity[rLevel === 'error' ? 1 : 0])}): the mesh does not resolve ρ_w's scale; raise pde.cellsPerAxis`,
      value: r,
      limit: THRESHOLDS.meshDensity[rLevel === 'error' ? 1 : 0],
    });
  return findings;
}

/** Every compared frequency must lie in a cell of the PDE mesh (a `pde.mesh` need not fill its box). */
export function checkCoverage(mesh: Mesh, points: Float64Array): Finding[] {
  const locator = cellLocator(mesh);
  const { dim } = mesh;
  const X = new Float64Array(dim);
  let outside = 0;
  let first: number[] | undefined;
  for (let q = 0; q < points.length / dim; q++) {
    const xi = points.subarray(q * dim, q * dim + dim);
    if (locator.locate(xi, X) < 0) {
      outside++;
      first ??= Array.from(xi);
    }
  }
  if (outside === 0) return [];
  return [
    {
      level: 'error',
      field: 'pde.mesh',
      message: `${outside} of the band's ${points.length / dim} frequencies lie outside the mesh (e.g. ξ = ${JSON.stringify(first!.map((v) => Number(v.toPrecision(4))))}); the mesh must cover the comparison band (or set comparison.band inside it)`,
      value: outside,
    },
  ];
}

/** Bytes a run holds at once, by part (an estimate, within a small factor). */
export function memoryEstimate(config: ExperimentConfig): Record<string, number> {
  const { dim } = config.grid;
  const points = config.grid.n.reduce((p, n) => p * n, 1);
  const pad = dim === 1 ? 4 : 2;
  const spectrumPoints = config.grid.n.reduce((p, n) => p * 2 ** Math.ceil(Math.log2(pad * n)), 1);
  const snapshots = config.training.snapshots.length + 1;
  const seeds = config.training.seeds.length;
  const net = config.network;
  const parts: Record<string, number> = {};
  if (net.kind === 'twoLayer') {
    // parameters, gradients, the initial copy and the engine's buffers
    parts['network.width'] = 8 * 8 * net.width * (dim + 2);
  } else {
    const features = net.width * dim + 2 * net.width * net.hiddenWidth;
    const hidden = (net.hiddenLayers - 1) * net.hiddenWidth ** 2 + net.hiddenWidth;
    // float32 parameters, gradients and Adam moments; activations of every layer for the backward pass
    parts['network.width'] = 4 * 4 * features + 4 * 3 * points * 2 * net.width;
    parts['network.hiddenWidth'] = 4 * 4 * hidden + 4 * 3 * points * net.hiddenLayers * net.hiddenWidth;
  }
  parts.snapshots = 8 * snapshots * points * seeds;
  parts.spectra = 16 * snapshots * spectrumPoints * (seeds + 2);
  if (config.pde.enabled) {
    const dofs = (config.pde.degree * config.pde.cellsPerAxis + 1) ** dim;
    parts.pde = 16 * snapshots * dofs + 8 * (dim === 1 ? 10 : 60) * dofs;
  }
  if (config.kernel.enabled) parts.kernel = 16 * 4 * 2 ** dim * points + 8 * snapshots * points;
  return parts;
}

/** The memory estimate and the PDE's step count against the limits. */
export function checkResources(config: ExperimentConfig, limits: Limits): Finding[] {
  const findings: Finding[] = [];
  const parts = memoryEstimate(config);
  const total = Object.values(parts).reduce((s, b) => s + b, 0);
  if (!(total <= limits.memoryBytes)) {
    const [part, bytes] = Object.entries(parts).sort((p, q) => q[1] - p[1])[0];
    // the field that sets the largest part
    const field =
      {
        snapshots: 'training.snapshots',
        spectra: 'training.snapshots',
        pde: 'pde.cellsPerAxis',
        kernel: 'grid.n',
      }[part] ?? part;
    findings.push({
      level: 'error',
      field,
      message: `the run would need about ${gib(total)} of memory (${part}: ${gib(bytes)}), more than the limit of ${gib(limits.memoryBytes)} (set by --max-memory)`,
      value: total,
      limit: limits.memoryBytes,
    });
  }
  if (config.pde.enabled && config.pde.dt !== undefined) {
    const steps = Math.ceil(config.training.time / config.pde.dt);
    if (!(steps <= limits.steps))
      findings.push({
        level: 'error',
        field: 'pde.dt',
        message: `dt = ${fmt(config.pde.dt)} over t = ${fmt(config.training.time)} is ${fmt(steps)} time steps, more than the limit of ${fmt(limits.steps)} (set by --max-steps)`,
        value: steps,
        limit: limits.steps,
      });
  }
  return findings;
}

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
}): FlowEstimate {
  const { grid, distribution, sigmaA, u0, eta } = options;
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
    kernelDynamics({ grid, distribution, sigmaA, u0, learningRate, times, method, dynamics }).snapshots;
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

/**
 * Does the run learn anything? Without diffusion each frequency decays like e^{−(2π)^d ρ_s t}
 * (THEORY.md §4); when the loss would fall by less than 0.1% by the final time, the comparison
 * tests nothing and claims pass trivially.
 */
export function checkLearning(
  config: ExperimentConfig,
  distribution: FrequencyDistribution,
  spectrum: Spectrum,
): Finding[] {
  const { dim, frequencies } = spectrum;
  const t = config.training.time;
  const L1 = dim === 2 ? frequencies[1].length : 1;
  const xi = new Float64Array(dim);
  let before = 0;
  let after = 0;
  for (let k = 0; k < spectrum.re.length; k++) {
    xi[0] = frequencies[0][Math.floor(k / L1)];
    if (dim === 2) xi[1] = frequencies[1][k % L1];
    const e = spectrum.re[k] ** 2 + spectrum.im[k] ** 2;
    if (e === 0) continue;
    before += e;
    after += e * Math.exp(-2 * (2 * Math.PI) ** dim * distribution.symmetricDensity(xi) * t);
  }
  const learned = before > 0 ? 1 - after / before : 0;
  if (learned >= THRESHOLDS.learned) return [];
  return [
    {
      level: 'warning',
      field: 'training.time',
      message: `by t = ${fmt(t)} the loss would fall by only ${pct(learned)} (no diffusion, THEORY.md §4): nothing is learned yet, so the metrics and claims test nothing`,
      value: learned,
      limit: THRESHOLDS.learned,
    },
  ];
}

/** The discrepancy figures a metric claim may name (see `discrepancy` in metrics.ts). */
export const DISCREPANCY_FIGURES = ['max', 'maxInitial', 'final', 'finalInitial'] as const;

/** Claims name metrics and series that this run will have. */
export function checkClaims(config: ExperimentConfig): Finding[] {
  const pde = config.pde.enabled;
  const kernel = config.kernel.enabled && config.network.kind === 'twoLayer';
  const pairs = [
    ...(pde ? ['nnVsPde'] : []),
    ...(kernel ? ['nnVsKernel'] : []),
    ...(pde && kernel ? ['kernelVsPde'] : []),
  ];
  const metrics = pairs.flatMap((p) => DISCREPANCY_FIGURES.map((f) => `${p}.${f}`));
  const series = ['nn', ...(pde ? ['pde'] : []), ...(kernel ? ['kernel'] : [])];
  const findings: Finding[] = [];
  config.claims.forEach((c, j) => {
    if (c.kind === 'metric') {
      const perSnapshot = /^(\w+)\.perSnapshot\.(\d+)\.(relL2|relL2Initial|time)$/.exec(c.metric);
      const snapshots = config.training.snapshots.length + (config.training.snapshots[0] === 0 ? 0 : 1);
      const known = perSnapshot
        ? pairs.includes(perSnapshot[1]) && Number(perSnapshot[2]) < snapshots
        : metrics.includes(c.metric);
      if (!known)
        findings.push({
          level: 'error',
          field: `claims[${j}].metric`,
          message: `${JSON.stringify(c.metric)} is not a metric of this run; expected one of ${metrics.join(', ') || '(none: the PDE and kernel are off)'}${pairs.length ? `, or <pair>.perSnapshot.<k>.relL2 with k < ${config.training.snapshots.length}` : ''}`,
        });
      return;
    }
    const missing = c.series.find((s) => !series.includes(s));
    if (missing)
      findings.push({
        level: 'error',
        field: `claims[${j}].series`,
        message: `${JSON.stringify(missing)} is not computed in this run (${missing === 'pde' ? 'pde.enabled is false' : 'the kernel baseline is off'}); expected some of ${series.map((s) => JSON.stringify(s)).join(', ')}`,
      });
  });
  return findings;
}
