import { type BandSelection, pick, selectBand, tensorBand } from '../analysis/band.js';
import { dampingRate } from '../analysis/damping.js';
import { learningTimes } from '../analysis/learning-times.js';
import { type Discrepancy, discrepancy, ensembleMean } from '../analysis/metrics.js';
import { nearestFrequency } from '../analysis/nearest.js';
import type { ReportMetrics } from '../analysis/report-metrics.js';
import { tensorPoints } from '../spectrum/points.js';
import type { ComplexArray, Spectrum } from '../spectrum/types.js';
import type { Finding } from './checks/findings.js';
import type { RunContext } from './context.js';
import { pdeBox } from './pde.js';

/**
 * Where a run is compared: the band (THEORY.md §5.7) on the frequency grid of the initial error
 * spectrum, inside the PDE's domain, and the tensor grid over the band's box that the heatmap shows.
 */
export interface ComparisonGrid {
  readonly initialSpectrum: Spectrum;
  readonly band: BandSelection;
  /** The heatmap's grid: its axes and the storage indices of its points. */
  readonly heat: { readonly axes: Float64Array[]; readonly indices: Int32Array };
  /** The heatmap's points, flat and point-major. */
  readonly heatPoints: Float64Array;
}

/** The band of the initial error spectrum where it matters (see {@link ComparisonGrid}). */
export function comparisonGrid({ config }: RunContext, initialSpectrum: Spectrum): ComparisonGrid {
  const band = selectBand(initialSpectrum, config.comparison.band, {
    threshold: config.comparison.threshold,
    within: config.pde.enabled ? pdeBox(config) : undefined,
  });
  if (band.indices.length === 0)
    throw new Error('comparison.band: no frequency of the error spectrum lies in the band');
  const heat = tensorBand(initialSpectrum, band.box);
  return { initialSpectrum, band, heat, heatPoints: tensorPoints(heat.axes) };
}

/** A series (network, PDE or kernel) on the band's points and the heatmap's, snapshot by snapshot. */
export interface Sampled {
  readonly band: ComplexArray[];
  readonly heat: ComplexArray[];
}

/** Spectra of one or more runs (`runs[s][j]`: seed s, snapshot j) on the grid; the ensemble mean of several. */
export function sample(
  grid: ComparisonGrid,
  runs: readonly Spectrum[][],
): Sampled & { readonly bandRuns: ComplexArray[][] } {
  const at = (indices: Int32Array) => runs.map((spectra) => spectra.map((s) => pick(s, indices)));
  const mean = (values: ComplexArray[][]) => (values.length > 1 ? ensembleMean(values) : values[0]);
  const bandRuns = at(grid.band.indices);
  return { band: mean(bandRuns), heat: mean(at(grid.heat.indices)), bandRuns };
}

/**
 * The metrics block of report.json: the discrepancy of each pair of series over the band, per seed
 * for several seeds, the learning times at every compared frequency, and at the highlighted ones
 * (`comparison.frequencies`) beside 1/((2π)^d ρ_s). A highlight outside the band is a warning to `keep`.
 */
export function comparisonMetrics(
  { config, distribution, operator }: RunContext,
  times: number[],
  grid: ComparisonGrid,
  series: { nn: ReturnType<typeof sample>; pde?: ComplexArray[]; kernel?: ComplexArray[] },
  keep: (findings: readonly Finding[]) => void,
): ReportMetrics {
  const { dim } = config.grid;
  const { band } = grid;
  const w = band.weights;
  const nn = series.nn.band;
  const { pde, kernel } = series;
  const pairs: { nnVsPde?: Discrepancy; nnVsKernel?: Discrepancy; kernelVsPde?: Discrepancy } = {};
  if (pde) pairs.nnVsPde = discrepancy(times, nn, pde, w);
  if (kernel) pairs.nnVsKernel = discrepancy(times, nn, kernel, w);
  if (kernel && pde) pairs.kernelVsPde = discrepancy(times, kernel, pde, w);
  const runs = series.nn.bandRuns;
  const perSeed = runs.length > 1 && pde ? runs.map((r) => discrepancy(times, r, pde, w).max) : undefined;
  const frequencies = Array.from({ length: band.indices.length }, (_, q) =>
    Array.from(band.points.subarray(q * dim, q * dim + dim)),
  );
  const lt = {
    frequencies,
    nn: learningTimes(times, nn),
    ...(pde ? { pde: learningTimes(times, pde) } : {}),
    ...(kernel ? { kernel: learningTimes(times, kernel) } : {}),
  };
  const spacing = grid.initialSpectrum.frequencies.map((f) => (f.length > 1 ? Math.abs(f[1] - f[0]) : 0));
  const show = (f: readonly number[]) => JSON.stringify(f.length === 1 ? f[0] : f);
  const highlights = config.comparison.frequencies.map((f, j) => {
    const q = nearestFrequency(frequencies, f);
    const off = f.map((x, a) => Math.abs(x - frequencies[q][a]));
    if (off.some((d, a) => d > spacing[a]))
      keep([
        {
          level: 'warning',
          field: `comparison.frequencies[${j}]`,
          message: `ξ = ${show(f)} is not in the compared band (where the initial error is above comparison.threshold); its learning times are those at the nearest compared ξ = ${show(frequencies[q])}`,
        },
      ]);
    return {
      frequency: f,
      nearest: frequencies[q],
      nn: lt.nn[q],
      pde: lt.pde?.[q] ?? null,
      kernel: lt.kernel?.[q] ?? null,
      inverseDamping: 1 / dampingRate(distribution, frequencies[q], operator),
    };
  });
  return {
    ...pairs,
    ...(perSeed ? { nnVsPdePerSeed: perSeed } : {}),
    learningTimes: lt,
    highlights,
  };
}
