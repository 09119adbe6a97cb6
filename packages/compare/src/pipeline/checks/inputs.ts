import { createRng, type DifferentialOperator, type FrequencyDistribution, type Grid } from '@freqbias/nn';
import { inBox } from '../../analysis/band.js';
import { dampingRate } from '../../analysis/damping.js';
import type { ExperimentConfig } from '../../config/index.js';
import { forEachFrequency } from '../../spectrum/points.js';
import type { Spectrum } from '../../spectrum/types.js';
import { type Finding, fmt, graded, pct, THRESHOLDS } from './findings.js';

/*
 * Checks of the inputs (issue 8): the target, ρ_w, the comparison band, the frequencies that claims and
 * highlights name, whether the run learns anything, and the claims' metrics and series.
 */

/** The grid's Nyquist frequency π/h per axis. */
export function nyquist(grid: Grid): number[] {
  return grid.h.map((h) => Math.PI / h);
}

/**
 * Σ|û|² over a spectrum's frequencies inside a region and outside it, and how many frequencies lie
 * inside.
 */
function energySplit(
  spectrum: Spectrum,
  inside: (xi: readonly number[]) => boolean,
): { inside: number; outside: number; points: number } {
  const split = { inside: 0, outside: 0, points: 0 };
  forEachFrequency(spectrum, (k, xi) => {
    const e = spectrum.re[k] ** 2 + spectrum.im[k] ** 2;
    if (inside(xi)) {
      split.inside += e;
      split.points++;
    } else split.outside += e;
  });
  return split;
}

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
  // the loss ½ h^d Σ g² and every spectrum's energy must be representable in double precision
  let sum = 0;
  for (const v of target) sum += v * v;
  const loss = 0.5 * grid.cellVolume * sum;
  if (!(loss >= 1e-200 && loss <= 1e200))
    return [
      {
        level: 'error',
        field: 'target',
        message: `the initial loss ½ h^d Σ g² = ${loss} (max |g| = ${max.toExponential(2)}) ${loss > 1 ? 'overflows' : 'underflows'} double precision; rescale the target (amplitudes)`,
        value: loss,
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
    const { inside, outside } = energySplit(spectrum, (v) => inBox(box, v));
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
    const { inside: inE, outside: outE, points } = energySplit(spectrum, inside);
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
 * Does the run learn anything? Without diffusion each frequency decays like e^{−(2π)^d ρ_s t}
 * (THEORY.md §4; with an operator e^{−(2π)^d ρ_s |p|² t}, §7); when the loss would fall by less than 0.1% by the final time, the comparison
 * tests nothing and claims pass trivially.
 */
export function checkLearning(
  config: ExperimentConfig,
  distribution: FrequencyDistribution,
  spectrum: Spectrum,
  operator?: DifferentialOperator,
): Finding[] {
  const t = config.training.time;
  let before = 0;
  let after = 0;
  forEachFrequency(spectrum, (k, xi) => {
    const e = spectrum.re[k] ** 2 + spectrum.im[k] ** 2;
    if (e === 0) return;
    before += e;
    after += e * Math.exp(-2 * dampingRate(distribution, xi, operator) * t);
  });
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

/** The discrepancy figures a metric claim may name (see `discrepancy` in analysis/metrics.ts). */
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
      const perSnapshot = /^(\w+)\.perSnapshot\.(0|[1-9]\d*)\.(relL2|relL2Initial|time)$/.exec(c.metric);
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
