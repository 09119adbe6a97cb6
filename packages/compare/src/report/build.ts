import { nearestFrequency } from '../analysis/nearest.js';
import type { ReportMetrics } from '../analysis/report-metrics.js';
import { tensorPoints } from '../spectrum/points.js';
import type { ComplexLike } from '../spectrum/types.js';
import { discrepancySpec, learningTimeSpec, lossSpec } from './charts.js';
import { learningTimesCsv, spectraCsv, toCsv } from './csv.js';
import type { ReportFiles } from './folder/index.js';
import { spectrumHeatmapSpec } from './heatmap.js';
import { type ReportTable, reportHtml } from './html.js';
import { renderPng } from './render.js';
import { labelOf, short } from './style.js';

// a domain type, at home in analysis/; re-exported here, where it used to live
export type { ReportMetrics };

/** Everything a report folder is made from. */
export interface ReportData {
  readonly title: string;
  readonly description?: string;
  /** The resolved experiment config (shown in the page and stored in report.json). */
  readonly config: unknown;
  /** The content of report.json: at least `metrics` and `timings`, more fields welcome. */
  readonly report: { readonly metrics: ReportMetrics; readonly timings: Record<string, number> } & Record<
    string,
    unknown
  >;
  /** Spectra on a tensor frequency grid (e.g. the band's bounding box) for heatmaps and CSVs. */
  readonly spectra: {
    readonly dim: 1 | 2;
    readonly axes: readonly ArrayLike<number>[];
    readonly times: readonly number[];
    readonly nn: readonly ComplexLike[];
    readonly pde?: readonly ComplexLike[];
    readonly kernel?: readonly ComplexLike[];
  };
  /** 1/((2π)^d ρ_s(ξ)) for the learning-time chart. */
  readonly reference?: {
    readonly frequencies: readonly (readonly number[])[];
    readonly values: ArrayLike<number>;
  };
  /** Frequencies to mark and tabulate (config.comparison.frequencies). */
  readonly highlights?: readonly (readonly number[])[];
}

const pairs = ['nnVsPde', 'nnVsKernel', 'kernelVsPde'] as const;

/** The config's claims with the measured figures, when the report has any. */
function claimsTable(claims: unknown): ReportTable[] {
  if (!Array.isArray(claims) || claims.length === 0) return [];
  const rows = (claims as { claim: string; measured: string; pass: boolean }[]).map((c) => [
    c.claim,
    c.measured,
    c.pass ? 'pass' : 'FAIL',
  ]);
  return [{ title: 'Claims', columns: ['claim', 'measured', 'result'], rows }];
}

/** Summary tables: discrepancy max/final per pair, learning times at the highlighted frequencies. */
export function metricsTables(
  metrics: ReportMetrics,
  highlights: readonly (readonly number[])[] = [],
): ReportTable[] {
  const tables: ReportTable[] = [];
  const present = pairs.filter((p) => metrics[p]);
  if (present.length)
    tables.push({
      title: 'Discrepancy (relative L2 over the band)',
      columns: ['pair', 'max over snapshots', 'at final time'],
      rows: present.map((p) => [labelOf(p), metrics[p]!.max, metrics[p]!.perSnapshot.at(-1)?.relL2 ?? null]),
    });
  const lt = metrics.learningTimes;
  const series = (['nn', 'pde', 'kernel'] as const).filter((s) => lt[s]);
  if (highlights.length && lt.frequencies.length)
    tables.push({
      title: 'Learning times at selected frequencies',
      columns: ['ξ', ...series.map(labelOf)],
      rows: highlights.map((f) => {
        const q = nearestFrequency(lt.frequencies, f);
        return [lt.frequencies[q].map(short).join(', '), ...series.map((s) => lt[s]![q])];
      }),
      note: 'At the nearest compared frequency; — means not reached within the run.',
    });
  return tables;
}

/**
 * All files of a report folder, ready for {@link writeReportFolder}: report.json, report.html,
 * heatmap.png, discrepancy.png (when a pair is present), loss.png and loss.csv, learning-times.png, spectra-<series>.csv,
 * learning-times.csv and discrepancy.csv. In 2D the spectra CSVs hold only the heatmap's snapshots
 * (first, last and two between) to keep them small.
 *
 * @example
 * await writeReportFolder(out, await reportFiles(data), { overwrite: true });
 */
export async function reportFiles(data: ReportData): Promise<ReportFiles> {
  const { spectra, report } = data;
  const { metrics } = report;
  // trained on L f ≈ s (THEORY.md §7): every error shown is the residual r = L f − s
  const operatorName = (report.operator as { name?: string } | undefined)?.name;
  const files: Record<string, string | Uint8Array> = {};
  const images: { file: string; caption: string }[] = [];
  const series = (['nn', 'pde', 'kernel'] as const).filter((s) => spectra[s]);

  const heatSeries = series.filter((s) => s !== 'kernel').map((key) => ({ key, values: spectra[key]! }));
  files['heatmap.png'] = await renderPng(
    spectrumHeatmapSpec({ dim: spectra.dim, axes: spectra.axes, times: spectra.times, series: heatSeries }),
  );
  images.push({
    file: 'heatmap.png',
    caption: 'log₁₀|û| of the network and the PDE, and of their difference.',
  });

  const present = pairs.filter((p) => metrics[p]);
  if (present.length) {
    files['discrepancy.png'] = await renderPng(
      discrepancySpec({ series: Object.fromEntries(present.map((p) => [p, metrics[p]])) }),
    );
    images.push({
      file: 'discrepancy.png',
      caption: 'Relative L2 discrepancy between spectra against training time.',
    });
    const times = metrics[present[0]]!.perSnapshot.map((s) => s.time);
    files['discrepancy.csv'] = toCsv(
      ['time', ...present],
      times.map((t, j) => [t, ...present.map((p) => metrics[p]!.perSnapshot[j]?.relL2 ?? null)]),
    );
  }

  if (metrics.loss) {
    const loss = metrics.loss;
    const residual = operatorName !== undefined;
    files['loss.png'] = await renderPng(lossSpec({ curves: loss, residual }));
    const what = residual ? '½∫|r|² dx of the residual r = L f − s' : '½∫|u|² dx';
    images.push({
      file: 'loss.png',
      caption: `The loss ${what} against training time: the network on its grid, the PDE and the kernel regime by Parseval.`,
    });
    const keys = (['nn', 'pde', 'kernel'] as const).filter((k) => loss[k]);
    files['loss.csv'] = toCsv(
      ['time', ...keys],
      loss.nn.map((p, j) => [p.time, ...keys.map((k) => loss[k]![j]?.value ?? null)]),
    );
  }

  const lt = metrics.learningTimes;
  if (lt.frequencies.length) {
    const ltSeries = Object.fromEntries(
      (['nn', 'pde', 'kernel'] as const).filter((s) => lt[s]).map((s) => [s, lt[s]!]),
    );
    files['learning-times.png'] = await renderPng(
      learningTimeSpec({
        frequencies: lt.frequencies,
        series: ltSeries,
        reference: data.reference,
        runTime: spectra.times.at(-1),
        highlights: data.highlights,
      }),
    );
    images.push({
      file: 'learning-times.png',
      caption:
        'Learning time per frequency; dashed: 1/((2π)^d ρₛ(ξ)), the prediction without diffusion (σₐ = 0).',
    });
    files['learning-times.csv'] = learningTimesCsv(lt.frequencies, ltSeries);
  }

  const points = tensorPoints(spectra.axes);
  const keep =
    spectra.dim === 1
      ? spectra.times.map((_, j) => j)
      : [...new Set([0, 1, 2, 3].map((c) => Math.round((c * (spectra.times.length - 1)) / 3)))];
  for (const s of series)
    files[`spectra-${s}.csv`] = spectraCsv(
      spectra.dim,
      points,
      keep.map((j) => spectra.times[j]),
      keep.map((j) => spectra[s]![j]),
    );

  files['report.json'] =
    `${JSON.stringify({ title: data.title, config: data.config, ...report }, null, 2)}\n`;
  // with an operator (THEORY.md §7) the page says once that every error shown is a residual
  const residualNote = operatorName
    ? `Trained on L f ≈ s with L = ${operatorName}: every spectrum, metric, learning time and loss below is the residual r = L f − s's.`
    : undefined;
  files['report.html'] = reportHtml({
    title: data.title,
    description: residualNote ? [data.description, residualNote].filter(Boolean).join(' ') : data.description,
    images,
    tables: [...metricsTables(metrics, data.highlights), ...claimsTable(report.claims)],
    config: data.config,
    links: Object.keys(files).filter((f) => f.endsWith('.csv') || f === 'report.json'),
  });
  return files;
}
