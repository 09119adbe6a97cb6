/**
 * `pnpm width-scan`: network-vs-PDE discrepancy of `gaussian-1d` against the width m, from 2^10 to
 * 2^20 (THEORY.md §5: finite-width noise falls like 1/√m). Writes out/width-scan/ with a CSV, a JSON
 * and a log-log plot with the fitted slope and a 1/√m reference line.
 *
 * Options: `--widths 1024,4096,…` (mirrored widths), `--experiment name`, `--replot` (redraw the
 * plot from out/width-scan/report.json without running anything).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadExperiment,
  renderPng,
  runExperiment,
  toCsv,
  type VegaLiteSpec,
  writeReportFolder,
} from '../packages/compare/src/index.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const widths = (arg('--widths') ?? '1024,4096,16384,65536,262144,1048576').split(',').map(Number);
if (widths.some((m) => !Number.isInteger(m) || m < 2 || m % 2 !== 0)) {
  console.error('width-scan: --widths must be even integers ≥ 2, comma-separated');
  process.exit(2);
}
const name = arg('--experiment') ?? 'gaussian-1d';

type Point = { width: number; nnVsPde: number; kernelVsPde: number; seconds: number };
const replot = process.argv.includes('--replot');
const points: Point[] = replot
  ? (JSON.parse(readFileSync(join('out', 'width-scan', 'report.json'), 'utf8')) as { points: Point[] }).points
  : [];
for (const width of replot ? [] : widths) {
  const { config, baseDir } = loadExperiment(name, { width });
  const engine =
    config.network.kind === 'twoLayer' ? { ...config.network, engine: 'auto' as const } : config.network;
  const { report } = await runExperiment({ ...config, network: engine }, { baseDir });
  const nnVsPde = report.metrics.nnVsPde?.max ?? Number.NaN;
  const kernelVsPde = report.metrics.kernelVsPde?.max ?? Number.NaN;
  points.push({ width, nnVsPde, kernelVsPde, seconds: report.timings.totalSeconds });
  console.log(
    `m = ${String(width).padStart(8)}  nnVsPde ${nnVsPde.toFixed(4)}  (${report.timings.totalSeconds.toFixed(1)} s)`,
  );
}

// least-squares slope of log relL2 against log m: −1/2 is the 1/√m law
const xs = points.map((p) => Math.log(p.width));
const ys = points.map((p) => Math.log(p.nnVsPde));
const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
const my = ys.reduce((a, b) => a + b, 0) / ys.length;
const slope =
  xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
const c = Math.exp(my + 0.5 * mx); // c/√m through the mean point
console.log(`fitted slope ${slope.toFixed(3)} (1/√m law: −0.5)`);

const series = ['network vs PDE (measured)', 'c/√m (fitted through the mean)', 'kernel vs PDE'];
const values = [
  ...points.map((p) => ({ width: p.width, relL2: p.nnVsPde, series: series[0] })),
  ...points.map((p) => ({ width: p.width, relL2: c / Math.sqrt(p.width), series: series[1] })),
  ...points.map((p) => ({ width: p.width, relL2: p.kernelVsPde, series: series[2] })),
];
const spec: VegaLiteSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: {
    text: `Network vs PDE against width (${name})`,
    subtitle: `max relative L2 over t; fitted slope ${slope.toFixed(2)}, the 1/√m law is −0.5`,
  },
  width: 520,
  height: 340,
  data: { values },
  mark: { type: 'line', point: true },
  encoding: {
    x: { field: 'width', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'width m (mirrored)' },
    y: { field: 'relL2', type: 'quantitative', scale: { type: 'log' }, title: 'max relL2' },
    color: {
      field: 'series',
      type: 'nominal',
      scale: { domain: series, range: ['#0072b2', '#555555', '#009e73'] },
      legend: { orient: 'bottom', direction: 'vertical', title: null, labelLimit: 400 },
    },
    strokeDash: {
      field: 'series',
      type: 'nominal',
      scale: {
        domain: series,
        range: [
          [1, 0],
          [6, 4],
          [1, 0],
        ],
      },
    },
  },
  config: { font: 'DejaVu Sans' },
};
const folder = await writeReportFolder(
  join('out', 'width-scan'),
  {
    'width-scan.png': await renderPng(spec),
    'width-scan.csv': toCsv(
      ['width', 'nnVsPde', 'kernelVsPde', 'seconds'],
      points.map((p) => [p.width, p.nnVsPde, p.kernelVsPde, p.seconds]),
    ),
    'report.json': `${JSON.stringify({ experiment: name, points, slope }, null, 2)}\n`,
  },
  { overwrite: true },
);
console.log(`wrote ${folder}`);
