import type { VegaLiteSpec } from '../report/render.js';
import { chartConfig } from '../report/style.js';
import { SEED } from './config-path.js';
import { metricOf } from './metrics.js';
import { isWidthAxis } from './plot-specs.js';
import type { PlotSpec } from './schema.js';
import type { StudyAxis, StudyRow } from './types.js';

/*
 * Study plots (issue 11): a metric against a numeric axis, one line per combination of the other
 * axes, the seeds as their mean with a band (min–max or ±1 s.d.); on log–log axes (a width) the
 * least-squares slope of log metric against log x, fitted per seed and given as mean ± s.d. over the
 * seeds (the 1/√m law is a slope of −1/2).
 */

const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

/** A fitted slope of one line of a log–log plot. */
export interface SlopeFit {
  readonly plot: number;
  readonly metric: string;
  readonly x: string;
  /** The line: the metric and the values of the other axes ('' for the only line). */
  readonly series: string;
  /** The slope of the seeds' mean. */
  readonly slope: number;
  /** One slope per seed (with at least two x values), their mean and standard deviation. */
  readonly seeds: readonly number[];
  readonly mean: number;
  readonly sd: number;
}

/** One drawn study plot. */
export interface StudyPlot {
  readonly file: string;
  readonly caption: string;
  readonly spec: VegaLiteSpec;
  readonly slopes: readonly SlopeFit[];
}

/**
 * Least-squares slope of y against x (NaN with fewer than two distinct x).
 *
 * @example
 * leastSquaresSlope([0, 1, 2], [1, 3, 5]); // 2
 */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

/** Mean and sample standard deviation (0 for one value). */
function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd =
    values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}

const slug = (text: string) =>
  text
    .replace(/\s*\/\s*/g, '-over-')
    .replace(/[^A-Za-z0-9.]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * A plot's PNG name: its metrics joined by `-and-`, against its x axis, cut to a length every file
 * system takes (collect numbers the plots whose names still clash).
 *
 * @example
 * plotFile(['nnVsPde.max', 'kernelVsPde.max'], 'network.width'); // 'nnVsPde.max-and-kernelVsPde.max-vs-network.width.png'
 * plotFile(['learningTime.nn.25 / learningTime.nn.3'], 'distribution.sigma'); // 'learningTime.nn.25-over-learningTime.nn.3-vs-distribution.sigma.png'
 */
export function plotFile(metrics: readonly string[], x: string): string {
  const cut = (text: string, max: number) =>
    text.length > max ? text.slice(0, max).replace(/-+$/, '') : text;
  return `${cut(metrics.map(slug).join('-and-'), 120)}-vs-${cut(slug(x), 60)}.png`;
}

/**
 * The study's plots from its table rows (finished points only), with the fitted slopes of the log–log
 * ones.
 *
 * @example
 * const plots = studyPlots(study.plots, study.axes, rows);
 * plots[0].slopes[0]; // { metric: 'nnVsPde.max', x: 'network.width', mean: -0.49, sd: 0.03, … }
 */
export function studyPlots(
  plots: readonly PlotSpec[],
  axes: readonly StudyAxis[],
  rows: readonly StudyRow[],
): StudyPlot[] {
  return plots.map((plot, k) => studyPlot(k, plot, axes, rows));
}

function studyPlot(
  k: number,
  plot: PlotSpec,
  axes: readonly StudyAxis[],
  rows: readonly StudyRow[],
): StudyPlot {
  const metrics = Array.isArray(plot.metric) ? plot.metric : [plot.metric];
  const others = axes.filter((a) => a.path !== plot.x && a.path !== SEED);
  const logX = plot.xScale === 'log' || (plot.xScale === 'auto' && isWidthAxis(plot.x));
  const logY = plot.yScale === 'log' || (plot.yScale === 'auto' && logX);
  const seriesOf = (row: StudyRow, metric: string) =>
    [...(metrics.length > 1 ? [metric] : []), ...others.map((a) => `${a.path} = ${row.labels[a.path]}`)].join(
      ', ',
    );

  // (series, x) → the seeds' values; (series, seed) → points for the per-seed slopes
  const cells = new Map<string, { series: string; x: number; values: number[] }>();
  const perSeed = new Map<string, { series: string; xs: number[]; ys: number[] }>();
  for (const row of rows) {
    if (row.status !== 'done') continue;
    const x = row.values[plot.x] as number;
    for (const metric of metrics) {
      const y = metricOf(row.metrics, metric);
      if (y === null || (logY && !(y > 0))) continue;
      const series = seriesOf(row, metric);
      const cell = cells.get(`${series}\u0000${x}`) ?? { series, x, values: [] };
      cell.values.push(y);
      cells.set(`${series}\u0000${x}`, cell);
      const seedKey = `${series}\u0000${JSON.stringify(row.values[SEED] ?? null)}`;
      const line = perSeed.get(seedKey) ?? { series, xs: [], ys: [] };
      line.xs.push(x);
      line.ys.push(y);
      perSeed.set(seedKey, line);
    }
  }
  const points = [...cells.values()]
    .sort((a, b) => a.series.localeCompare(b.series) || a.x - b.x)
    .map((c) => {
      const { mean, sd } = meanSd(c.values);
      const [lo, hi] =
        plot.band === 'sd' ? [mean - sd, mean + sd] : [Math.min(...c.values), Math.max(...c.values)];
      // a log axis cannot show a band below zero: cut it at the smallest value seen
      return {
        series: c.series,
        x: c.x,
        mean,
        lo: logY ? Math.max(lo, Math.min(...c.values)) : lo,
        hi,
        n: c.values.length,
      };
    });
  const seriesNames = [...new Set(points.map((p) => p.series))];

  const slopes: SlopeFit[] = [];
  const fits: { series: string; x: number; fit: number }[] = [];
  if (logX && logY)
    for (const series of seriesNames) {
      const line = points.filter((p) => p.series === series);
      if (line.length < 2) continue;
      const lx = line.map((p) => Math.log(p.x));
      const ly = line.map((p) => Math.log(p.mean));
      const slope = leastSquaresSlope(lx, ly);
      const seeds = [...perSeed.values()]
        .filter((l) => l.series === series && new Set(l.xs).size > 1)
        .map((l) =>
          leastSquaresSlope(
            l.xs.map(Math.log),
            l.ys.map((y) => Math.log(y)),
          ),
        );
      const { mean, sd } = seeds.length ? meanSd(seeds) : { mean: slope, sd: 0 };
      const metric = metrics.length > 1 ? series.split(', ')[0] : metrics[0];
      slopes.push({ plot: k, metric, x: plot.x, series, slope, seeds, mean, sd });
      // the fitted power law through the mean point, dashed
      const cx = lx.reduce((a, b) => a + b, 0) / lx.length;
      const cy = ly.reduce((a, b) => a + b, 0) / ly.length;
      for (const p of line) fits.push({ series, x: p.x, fit: Math.exp(cy + slope * (Math.log(p.x) - cx)) });
    }

  const metricText = metrics.join(', ');
  const slopeLines = slopes.map((s) => {
    const spread = s.seeds.length > 1 ? ` ± ${s.sd.toFixed(3)} over ${s.seeds.length} seeds` : '';
    return `${s.series ? `${s.series}: ` : ''}slope ${s.mean.toFixed(3)}${spread}`;
  });
  const slopeText = slopeLines.join('; ');
  const band = plot.band === 'sd' ? 'mean ± 1 s.d.' : 'min–max';
  const seeds = axes.find((a) => a.path === SEED);
  const caption = [
    `${metricText} against ${plot.x}${seeds ? ` (mean over ${seeds.values.length} seeds, band ${band})` : ''}.`,
    slopeText ? ` Fitted log–log ${slopeText}.` : '',
  ].join('');
  const colour = {
    field: 'series',
    type: 'nominal' as const,
    scale: { domain: seriesNames, range: COLOURS },
    legend:
      seriesNames.length > 1 || seriesNames[0]
        ? { orient: 'bottom' as const, direction: 'vertical' as const, title: null, labelLimit: 500 }
        : null,
  };
  // a log axis of powers of two is labelled at its values, as 2^k
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const powersOfTwo = logX && xs.length > 0 && xs.every((v) => Number.isInteger(Math.log2(v)));
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: plot.x,
    scale: logX ? { type: 'log' as const, base: powersOfTwo ? 2 : 10 } : { zero: false },
    ...(powersOfTwo
      ? { axis: { values: xs, labelExpr: "'2^' + format(log(datum.value) / log(2), 'd')" } }
      : {}),
  };
  // several metrics: named on the axis while they fit, else by the legend's lines
  const yTitle =
    metrics.length === 1 || metricText.length <= 60 ? metricText : 'value (lines: see the legend)';
  const y = {
    type: 'quantitative' as const,
    scale: logY ? { type: 'log' as const } : { zero: false },
    axis: { titleLimit: 300 },
  };
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // one slope per subtitle line: a long line would widen the chart past its plot (vega measures
    // text without the font, generously) and leave the right of the image empty
    title: {
      text: plot.title ?? `${metricText} against ${plot.x}`,
      subtitle: slopeLines.length ? slopeLines : ' ',
    },
    width: 520,
    height: 320,
    layer: [
      ...(plot.band !== 'none' && points.some((p) => p.n > 1)
        ? [
            {
              data: { values: points },
              mark: { type: 'area' as const, opacity: 0.18 },
              encoding: {
                x,
                y: { ...y, field: 'lo', title: yTitle },
                y2: { field: 'hi' },
                color: colour,
              },
            },
          ]
        : []),
      {
        data: { values: points },
        mark: { type: 'line' as const, point: true },
        encoding: {
          x,
          y: { ...y, field: 'mean', title: yTitle },
          color: colour,
          tooltip: [{ field: 'x' }, { field: 'mean' }, { field: 'lo' }, { field: 'hi' }, { field: 'n' }],
        },
      },
      ...(fits.length
        ? [
            {
              data: { values: fits },
              mark: { type: 'line' as const, strokeDash: [6, 4], strokeWidth: 1 },
              encoding: { x, y: { ...y, field: 'fit', title: yTitle }, color: colour },
            },
          ]
        : []),
    ],
    config: chartConfig,
  } as VegaLiteSpec;
  return { file: plotFile(metrics, plot.x), caption, spec, slopes };
}
