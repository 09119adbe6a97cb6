import * as vl from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../src/report/render.js';
import { parseStudy } from '../src/study/load.js';
import { studyPlots } from '../src/study/plots.js';
import type { PlotSpec } from '../src/study/schema.js';
import type { StudyAxis, StudyRow } from '../src/study/types.js';

// rows of a width scan with two seeds: nnVsPde.max = m^−1/2 (seed 0) and 1.2 m^−1/2 (seed 1)
const widths = [1024, 4096, 16384];
const axes: StudyAxis[] = [
  { path: 'network.width', values: widths, labels: widths.map(String) },
  { path: 'seed', values: [0, 1], labels: ['0', '1'] },
];
const rows = widths.flatMap((m, i) =>
  [0, 1].map(
    (seed) =>
      ({
        index: 2 * i + seed,
        id: `p${i}${seed}`,
        status: 'done',
        values: { 'network.width': m, seed },
        labels: { 'network.width': String(m), seed: String(seed) },
        metrics: { 'nnVsPde.max': (1 + 0.2 * seed) / Math.sqrt(m), 'kernelVsPde.max': 0.004 },
      }) as unknown as StudyRow,
  ),
);
const plot = (metric: string | string[]): PlotSpec => ({
  metric,
  x: 'network.width',
  band: 'minmax',
  xScale: 'auto',
  yScale: 'auto',
});

/** The warnings vega-lite logs while compiling `spec`. */
function compileWarnings(spec: vl.TopLevelSpec): string[] {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...m: unknown[]) => {
      warnings.push(m.join(' '));
      return logger;
    },
    warn: (...m: unknown[]) => {
      warnings.push(m.join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  vl.compile(spec, { logger: logger as never });
  return warnings;
}

describe('study plots (hidden studies)', () => {
  it('compile without vega-lite warnings, with one line or several', () => {
    for (const metric of ['nnVsPde.max', ['nnVsPde.max', 'kernelVsPde.max']]) {
      const [drawn] = studyPlots([plot(metric)], axes, rows);
      expect(compileWarnings(drawn.spec)).toEqual([]);
    }
  });

  it('use their width: the chart is not much wider than its plot area and its title', async () => {
    const [drawn] = studyPlots([plot(['nnVsPde.max', 'kernelVsPde.max'])], axes, rows);
    const svg = await renderSvg(drawn.spec);
    const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
    const plotWidth = (drawn.spec as { width: number }).width;
    // axis labels and title on the left, the legend to the right: at most 45% beyond the plot area
    expect(width).toBeLessThan(plotWidth * 1.45);
    expect(drawn.slopes.find((s) => s.metric === 'nnVsPde.max')!.mean).toBeCloseTo(-0.5, 10);
  });
});

describe('study files (hidden studies)', () => {
  const base = {
    grid: { dim: 1, halfWidth: 8, n: 64 },
    target: { kind: 'sines', frequencies: [3, 10] },
    distribution: { kind: 'gaussian', sigma: 5 },
    network: { kind: 'twoLayer', width: 64 },
    training: { time: 2 },
    pde: { cellsPerAxis: 64 },
  };

  it('take an inline base without a name (the study names it)', () => {
    const study = parseStudy(
      { name: 'inline', base, axes: [{ path: 'distribution.sigma', values: [5, 10] }] },
      'inline.json',
    );
    expect(study.points.map((p) => p.config.distribution)).toEqual([
      expect.objectContaining({ sigma: 5 }),
      expect.objectContaining({ sigma: 10 }),
    ]);
  });

  it('refuse two values with one label (their plot lines would merge)', () => {
    expect(() =>
      parseStudy(
        {
          name: 'labels',
          base,
          axes: [{ path: 'network.width', values: [64, 128], labels: ['small', 'small'] }],
        },
        'labels.json',
      ),
    ).toThrow(
      /^labels\.json: axes\[0\]\.labels: expected one distinct label per value, but "small" names values\[0\] and values\[1\]$/,
    );
  });

  it('label values alike in their first 40 characters apart (default labels are cut there)', () => {
    const mixture = (sigma: number) => ({
      kind: 'mixture',
      weights: [1, 1],
      components: [
        { kind: 'gaussian', sigma: 5 },
        { kind: 'gaussian', sigma },
      ],
    });
    const study = parseStudy(
      { name: 'mixtures', base, axes: [{ path: 'distribution', values: [mixture(10), mixture(20)] }] },
      'mixtures.json',
    );
    const [a, b] = study.axes[0].labels;
    expect(a).not.toBe(b);
    expect(JSON.parse(b)).toEqual(mixture(20));
  });
});
