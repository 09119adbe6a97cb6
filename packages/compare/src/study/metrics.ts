import { nearestFrequency } from '../analysis/nearest.js';
import type { ReportMetrics } from '../analysis/report-metrics.js';
import type { ExperimentConfig } from '../config/index.js';

/*
 * The metric columns of a study's table, named as in report.json: `<pair>.max`, `.final`,
 * `.maxInitial`, `.finalInitial` for the pairs nnVsPde, kernelVsPde, nnVsKernel, and
 * `learningTime.<series>.<ξ>` at each highlighted frequency (config.comparison.frequencies; in 2D
 * `ξ1_ξ2`), for series nn, pde, kernel. Plus the run's `seconds`, `learningRate` (η) and `lambdaMax`.
 */

const PAIRS = ['nnVsPde', 'kernelVsPde', 'nnVsKernel'] as const;
const STATS = ['max', 'final', 'maxInitial', 'finalInitial'] as const;
const SERIES = ['nn', 'pde', 'kernel'] as const;
/** Figures of the run itself, beside the metrics. */
export const RUN_COLUMNS = ['seconds', 'learningRate', 'lambdaMax'] as const;

/** A highlighted frequency as a column suffix: `25`, `3_-4`. */
export const frequencyKey = (f: readonly number[]) => f.join('_');

/**
 * The metric columns a config's report will have, in table order.
 *
 * @example
 * metricColumns(config); // ['nnVsPde.max', 'nnVsPde.final', …, 'learningTime.nn.3', …]
 */
export function metricColumns(config: ExperimentConfig): string[] {
  const pde = config.pde.enabled;
  const kernel = config.kernel.enabled;
  const pairs = PAIRS.filter((p) => (p === 'nnVsPde' ? pde : p === 'kernelVsPde' ? pde && kernel : kernel));
  const series = SERIES.filter((s) => s === 'nn' || (s === 'pde' ? pde : kernel));
  return [
    ...pairs.flatMap((p) => STATS.map((s) => `${p}.${s}`)),
    ...series.flatMap((s) =>
      config.comparison.frequencies.map((f) => `learningTime.${s}.${frequencyKey(f)}`),
    ),
  ];
}

/** What a point's table row takes from its report.json. */
export interface PointReport {
  readonly metrics: ReportMetrics;
  readonly network: { readonly engine: string; readonly learningRate: number; readonly lambdaMax: number };
  readonly timings: { readonly totalSeconds: number };
  readonly config: ExperimentConfig;
  readonly claims?: readonly { readonly pass: boolean }[];
}

/**
 * A point's metrics by column name (null: not reached, or not in this run), from its report.json.
 *
 * @example
 * metricValues(report)['nnVsPde.max']; // 0.0144
 * metricValues(report)['learningTime.nn.25']; // 52.6, or null when ξ = 25 was not learned in time
 */
export function metricValues(report: PointReport): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  const m = report.metrics;
  for (const p of PAIRS) {
    const d = m[p];
    if (d) for (const s of STATS) out[`${p}.${s}`] = finiteOrNull(d[s]);
  }
  const lt = m.learningTimes;
  for (const f of report.config.comparison.frequencies) {
    const q = nearestFrequency(lt.frequencies, f);
    for (const s of SERIES) {
      const values = lt[s];
      if (values) out[`learningTime.${s}.${frequencyKey(f)}`] = q >= 0 ? finiteOrNull(values[q]) : null;
    }
  }
  out.seconds = report.timings.totalSeconds;
  out.learningRate = report.network.learningRate;
  out.lambdaMax = finiteOrNull(report.network.lambdaMax);
  return out;
}

function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/**
 * A plot's metric: a column, or the ratio of two (`learningTime.nn.25 / learningTime.nn.3`).
 * Returns the column names it reads.
 *
 * @example
 * metricParts('learningTime.nn.25 / learningTime.nn.3'); // ['learningTime.nn.25', 'learningTime.nn.3']
 */
export function metricParts(metric: string): string[] {
  return metric.split('/').map((part) => part.trim());
}

/**
 * A plot metric's value in a row of metrics (null when a part is missing or the ratio is undefined).
 *
 * @example
 * metricOf({ a: 6, b: 3 }, 'a / b'); // 2
 */
export function metricOf(
  values: Readonly<Record<string, number | null | undefined>>,
  metric: string,
): number | null {
  const parts = metricParts(metric).map((p) => values[p] ?? null);
  if (parts.some((v) => v === null)) return null;
  const value = parts.length === 1 ? parts[0]! : parts[0]! / parts[1]!;
  return Number.isFinite(value) ? value : null;
}
