import { type DistributionSpec, distributionFromSpec } from '@freqbias/nn';
import { reportFiles } from '../report/build.js';
import type { ReportFiles } from '../report/folder/write.js';
import { reportHtml } from '../report/html.js';
import { renderPng, type VegaLiteSpec } from '../report/render.js';
import { chartConfig } from '../report/style.js';
import { packageVersions } from '../report/versions.js';
import type { DesignResult, TrainedDesign } from './design.js';
import type { GoalValue } from './goals.js';
import type { Prediction } from './predict.js';
import type { DesignFamily } from './spec.js';

/*
 * The design folder (issue 12): design.json (the designed distribution block, usable as-is in a
 * config, its predicted loss curve and learning times, the search, the verification), design.html
 * with its pictures, and the verification runs' own report folders in designed/ and start/.
 */

const COLOURS = { designed: '#0072B2', start: '#E69F00' } as const;
const finite = (x: number) => (Number.isFinite(x) ? x : null);

function goalJson(g: GoalValue) {
  return { value: finite(g.value), reached: g.reached, meaning: g.text };
}

function predictedJson(result: DesignResult, p: Prediction) {
  return {
    goal: goalJson(p.goal),
    loss: p.times.map((time, k) => ({ time, value: p.loss[k] })),
    learningTimes: result.spec.band.map((frequency, q) => ({
      frequency,
      pde: finite(p.learningTimes[q]),
    })),
  };
}

function trainedJson(t: TrainedDesign, folder: string) {
  return {
    goal: goalJson(t.goal),
    pdeGoal: goalJson(t.pdeGoal),
    loss: t.loss,
    learningTimes: t.learningTimes,
    nnVsPdeMax: t.nnVsPdeMax,
    engine: t.result.report.network.engine,
    learningRate: t.result.report.network.learningRate,
    seconds: t.seconds,
    report: `${folder}/report.json`,
  };
}

/**
 * The content of design.json: what was designed (the `distribution` block to paste into a config),
 * predicted and, unless skipped, measured by training.
 *
 * @example
 * designJson(result).distribution; // { kind: 'gaussian', sigma: 20.5 }
 */
export function designJson(result: DesignResult): Record<string, unknown> {
  const { spec } = result;
  const named = (values: readonly number[]) =>
    Object.fromEntries(result.parameterNames.map((n, i) => [n, values[i]]));
  const v = result.verification;
  return {
    freqbias: 'design',
    versions: packageVersions(),
    name: spec.name,
    description: (spec.configJson.description as string | undefined) ?? '',
    source: spec.source,
    createdAt: new Date().toISOString(),
    goal: spec.goal,
    family: spec.family,
    search: spec.search,
    distribution: result.designed.prediction.distribution,
    parameters: named(result.designed.parameters),
    predicted: predictedJson(result, result.designed.prediction),
    start: {
      distribution: result.start.prediction.distribution,
      parameters: named(result.start.parameters),
      predicted: predictedJson(result, result.start.prediction),
    },
    candidates: result.candidates.map((c) => ({
      parameters: named(c.parameters),
      value: finite(c.value),
      reached: c.reached,
      ...(c.infeasible ? { infeasible: c.infeasible } : {}),
      seconds: c.seconds,
    })),
    ...(result.descent ? { descent: result.descent } : {}),
    refinement: (result.refinement ?? []).map((r) => ({
      parameters: named(r.parameters),
      network: finite(r.value),
      pde: finite(r.pdeValue),
    })),
    searchSeconds: result.searchSeconds,
    ...(v
      ? {
          verification: {
            improved: v.improved,
            designed: trainedJson(v.designed, 'designed'),
            start: trainedJson(v.start, 'start'),
          },
        }
      : {}),
  };
}

/**
 * The encodings shared by the design's line charts: colour by ρ_w (designed, start), solid for the
 * trained network and dashed for the PDE's prediction, one line per series.
 */
function whoAndKind(dashLegend: boolean): Record<string, unknown> {
  return {
    color: {
      field: 'who',
      type: 'nominal',
      title: 'ρ_w',
      scale: { domain: ['designed', 'start'], range: [COLOURS.designed, COLOURS.start] },
      legend: { orient: 'right' },
    },
    strokeDash: {
      field: 'kind',
      type: 'nominal',
      title: null,
      scale: {
        domain: ['trained (network)', 'predicted (PDE)'],
        range: [
          [1, 0],
          [6, 3],
        ],
      },
      // with point marks vega draws these symbols empty: the subtitle says it instead
      legend: dashLegend ? { orient: 'right' } : null,
    },
    detail: { field: 'series' },
  };
}

/** Loss against time: predicted (PDE, dashed) and trained (network, solid), designed and start. */
function lossChart(result: DesignResult): VegaLiteSpec {
  const rows: Record<string, unknown>[] = [];
  const add = (who: 'designed' | 'start', kind: string, points: { time: number; value: number }[]) => {
    for (const p of points)
      if (p.value > 0 && Number.isFinite(p.value)) rows.push({ who, kind, series: `${who}, ${kind}`, ...p });
  };
  for (const who of ['designed', 'start'] as const) {
    const p = result[who].prediction;
    add(
      who,
      'predicted (PDE)',
      p.times.map((time, k) => ({ time, value: p.loss[k] })),
    );
    const trained = result.verification?.[who];
    if (trained) add(who, 'trained (network)', trained.loss.nn);
  }
  const goal = result.spec.goal;
  const level =
    goal.kind === 'fastest' ? [{ level: goal.lossFraction * result.designed.prediction.loss[0] }] : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `${result.spec.name}: loss, predicted and trained`,
      subtitle:
        goal.kind === 'fastest'
          ? `solid: the trained network, dashed: the PDE's prediction; grey: ${goal.lossFraction} of the initial loss, to be reached first`
          : 'solid: the trained network, dashed: the PDE’s prediction',
    },
    config: chartConfig,
    width: 560,
    height: 320,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'time', type: 'quantitative', title: 'training time t' },
          y: { field: 'value', type: 'quantitative', title: '½∫|u|² dx', scale: { type: 'log' } },
          ...whoAndKind(true),
        },
      },
      ...(level.length
        ? [
            {
              data: { values: level },
              mark: { type: 'rule', color: '#888888', strokeWidth: 1 },
              encoding: { y: { field: 'level', type: 'quantitative' } },
            },
          ]
        : []),
    ],
  } as unknown as VegaLiteSpec;
}

/** The range of a one-parameter family's parameter. */
function familyRange(f: DesignFamily): [number, number] {
  if (f.kind === 'gaussian') return f.sigma;
  if (f.kind === 'uniformBox') return f.B;
  if (f.kind === 'laplace') return f.scale;
  throw new Error(`family: a ${f.kind} has no single parameter`);
}

/** The goal at every evaluation of a gradient-based descent, and the best so far. */
function descentChart(result: DesignResult): VegaLiteSpec {
  let best = Infinity;
  const rows = result.candidates.flatMap((c, k) => {
    if (!Number.isFinite(c.value)) return [];
    best = Math.min(best, c.value);
    return [
      { evaluation: k + 1, value: c.value, series: 'each evaluation' },
      { evaluation: k + 1, value: best, series: 'best so far' },
    ];
  });
  const d = result.descent;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'The descent on the PDE',
      subtitle: `${result.designed.prediction.goal.text}; L-BFGS with adjoint gradients${d ? `, ${d.iterations} steps (${d.stopped})` : ''}`,
    },
    config: chartConfig,
    width: 560,
    height: 280,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'evaluation', type: 'quantitative', title: 'PDE solve (forward + adjoint)' },
      y: { field: 'value', type: 'quantitative', title: 'goal', scale: { type: 'log' } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: ['each evaluation', 'best so far'], range: ['#bbbbbb', COLOURS.designed] },
        legend: { orient: 'right' },
      },
    },
  } as unknown as VegaLiteSpec;
}

/** ρ_s of the designed and the starting ρ_w along each axis of frequency space. */
function densityChart(result: DesignResult): VegaLiteSpec {
  const dim = result.spec.config.grid.dim;
  const xi = result.spec.config.pde.band;
  const rows: Record<string, unknown>[] = [];
  const count = 400;
  for (const who of ['designed', 'start'] as const) {
    const rho = distributionFromSpec(result[who].prediction.distribution as DistributionSpec, { dim });
    for (let a = 0; a < dim; a++)
      for (let k = 0; k <= count; k++) {
        const x = -xi + (2 * xi * k) / count;
        const point = new Float64Array(dim);
        point[a] = x;
        rows.push({
          who,
          axis: dim === 1 ? 'ξ' : `ξ${a + 1} (ξ${2 - a} = 0)`,
          x,
          rho: rho.symmetricDensity(point),
        });
      }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'The designed ρ_w',
      subtitle: 'ρ_s(ξ) = ½(ρ_w(ξ) + ρ_w(−ξ)), the density the PDE sees, against the starting guess',
    },
    config: chartConfig,
    data: { values: rows },
    ...(dim === 2
      ? { facet: { column: { field: 'axis', type: 'nominal', title: null } }, spec: densityLayer(dim, 300) }
      : densityLayer(dim, 560)),
  } as unknown as VegaLiteSpec;
}

function densityLayer(dim: 1 | 2, width: number): Record<string, unknown> {
  return {
    width,
    height: 260,
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: dim === 1 ? 'angular frequency ξ' : 'ξ along the axis' },
      y: { field: 'rho', type: 'quantitative', title: 'ρ_s' },
      color: {
        field: 'who',
        type: 'nominal',
        title: 'ρ_w',
        scale: { domain: ['designed', 'start'], range: [COLOURS.designed, COLOURS.start] },
        legend: { orient: 'right' },
      },
    },
  };
}

/** The goal's predicted value at every candidate the search solved, against its parameter. */
function searchChart(result: DesignResult): VegaLiteSpec {
  if (result.descent) return descentChart(result);
  const names = result.parameterNames;
  const rows = result.candidates
    .filter((c) => Number.isFinite(c.value))
    .map((c) => ({ x: c.parameters[0], y: c.parameters[1] ?? null, value: c.value, reached: c.reached }));
  const marks = [
    { x: result.designed.parameters[0], y: result.designed.parameters[1] ?? null, label: 'designed' },
    { x: result.start.parameters[0], y: result.start.parameters[1] ?? null, label: 'start' },
  ];
  const goalTitle = result.designed.prediction.goal.text;
  if (names.length === 1) {
    const sorted = [...rows].sort((a, b) => a.x - b.x);
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: {
        text: 'The search on the PDE',
        subtitle: `${goalTitle}. Line: the PDE at each candidate; diamonds: trainings of the refinement`,
      },
      config: chartConfig,
      width: 560,
      height: 280,
      layer: [
        {
          data: { values: sorted },
          mark: { type: 'line', point: true, color: '#555555' },
          encoding: {
            x: {
              field: 'x',
              type: 'quantitative',
              title: names[0],
              scale: { type: 'log', domain: familyRange(result.spec.family), nice: false },
            },
            y: { field: 'value', type: 'quantitative', title: goalTitle, scale: { type: 'log' } },
          },
        },
        ...((result.refinement ?? []).length
          ? [
              {
                data: {
                  values: (result.refinement ?? [])
                    .filter((r) => Number.isFinite(r.value))
                    .map((r) => ({ x: r.parameters[0], value: r.value, label: 'trained (refinement)' })),
                },
                mark: { type: 'point', shape: 'diamond', filled: true, size: 90 },
                encoding: {
                  x: { field: 'x', type: 'quantitative' },
                  y: { field: 'value', type: 'quantitative' },
                  color: { field: 'label', type: 'nominal' },
                },
              },
            ]
          : []),
        {
          data: { values: marks },
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            color: {
              field: 'label',
              type: 'nominal',
              title: null,
              scale: {
                domain: ['designed', 'start', 'trained (refinement)'],
                range: [COLOURS.designed, COLOURS.start, '#009E73'],
              },
              legend: { orient: 'right', labelLimit: 300 },
            },
          },
        },
      ],
    } as unknown as VegaLiteSpec;
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'The search on the PDE', subtitle: `${goalTitle}, at each candidate solved` },
    config: chartConfig,
    width: 420,
    height: 420,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: names[0], scale: { type: 'log' } },
          y: { field: 'y', type: 'quantitative', title: names[1], scale: { type: 'log' } },
          color: {
            field: 'value',
            type: 'quantitative',
            title: 'goal (log)',
            scale: { type: 'log', scheme: 'viridis', reverse: true },
          },
        },
      },
      {
        data: { values: marks },
        mark: { type: 'point', shape: 'cross', size: 250, strokeWidth: 3 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          stroke: {
            field: 'label',
            type: 'nominal',
            title: null,
            scale: { domain: ['designed', 'start'], range: [COLOURS.designed, COLOURS.start] },
          },
        },
      },
    ],
  } as unknown as VegaLiteSpec;
}

/** Learning times over the goal's band: predicted and trained, designed and start, with the profile. */
function learningTimesChart(result: DesignResult): VegaLiteSpec {
  const band = result.spec.band;
  const pos = (f: number[]) => (f.length === 1 ? f[0] : Math.hypot(f[0], f[1]));
  const rows: Record<string, unknown>[] = [];
  for (const who of ['designed', 'start'] as const) {
    const p = result[who].prediction;
    band.forEach((f, q) => {
      if (Number.isFinite(p.learningTimes[q]))
        rows.push({ who, kind: 'predicted (PDE)', series: `${who} p`, x: pos(f), t: p.learningTimes[q] });
    });
    const trained = result.verification?.[who];
    trained?.learningTimes.forEach((l) => {
      if (l.nn !== null)
        rows.push({ who, kind: 'trained (network)', series: `${who} n`, x: pos(l.frequency), t: l.nn });
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Learning times over the goal’s band',
      subtitle:
        'the first time |û(ξ, t)| falls below |û(ξ, 0)|/e; solid: the trained network, dashed: the PDE’s prediction',
    },
    config: chartConfig,
    width: 560,
    height: 300,
    data: { values: rows },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: band[0]?.length === 2 ? '|ξ|' : 'angular frequency ξ' },
      y: { field: 't', type: 'quantitative', title: 'learning time t', scale: { type: 'log' } },
      ...whoAndKind(false),
    },
  } as unknown as VegaLiteSpec;
}

const show = (d: unknown) => JSON.stringify(d);

/**
 * Every file of the design folder: design.json, design.html, loss.png, search.png (and
 * learning-times.png for a learning-time goal), and the verification runs' report folders
 * designed/ and start/.
 *
 * @example
 * await writeReportFolder(out, await designFiles(result), { overwrite: true });
 */
export async function designFiles(result: DesignResult): Promise<ReportFiles> {
  const files: Record<string, string | Uint8Array> = {};
  const json = designJson(result);
  files['design.json'] = `${JSON.stringify(json, null, 2)}\n`;
  const images: { file: string; caption: string }[] = [];
  files['loss.png'] = await renderPng(lossChart(result));
  images.push({
    file: 'loss.png',
    caption:
      'The loss ½∫|u|² dx: predicted by the PDE (dashed) and measured on the trained network (solid), for the designed ρ_w and the starting guess.',
  });
  if (result.spec.band.length > 0) {
    files['learning-times.png'] = await renderPng(learningTimesChart(result));
    images.push({ file: 'learning-times.png', caption: 'Learning times over the goal’s band.' });
  }
  files['search.png'] = await renderPng(searchChart(result));
  images.push({
    file: 'search.png',
    caption: result.descent
      ? 'The goal predicted by the PDE at every evaluation of the gradient-based descent.'
      : 'The goal predicted by the PDE at every candidate of the search.',
  });
  files['density.png'] = await renderPng(densityChart(result));
  images.push({ file: 'density.png', caption: 'The designed ρ_w against the starting guess.' });
  const v = result.verification;
  if (v)
    for (const [folder, trained] of [
      ['designed', v.designed],
      ['start', v.start],
    ] as const) {
      const sub = await reportFiles(trained.result.reportData);
      for (const [name, content] of Object.entries(sub)) files[`${folder}/${name}`] = content;
    }
  const row = (who: 'designed' | 'start') => {
    const trained = v?.[who];
    return [
      who,
      show(result[who].prediction.distribution),
      finite(result[who].prediction.goal.value),
      trained ? finite(trained.goal.value) : null,
      trained?.nnVsPdeMax ?? null,
    ];
  };
  files['design.html'] = reportHtml({
    title: `Design: ${result.spec.name}`,
    description:
      `${(result.spec.configJson.description as string | undefined) ?? ''} ` +
      (v
        ? v.improved
          ? 'The designed ρ_w beats the starting guess on the trained network.'
          : 'The designed ρ_w does NOT beat the starting guess on the trained network.'
        : 'Not verified by training (--no-verify).'),
    images,
    tables: [
      {
        title: 'Designed against the starting guess',
        columns: [
          'ρ_w',
          'distribution',
          'goal predicted (PDE)',
          'goal trained (network)',
          'network vs PDE (max relL2)',
        ],
        rows: [row('designed'), row('start')],
        note: `goal: ${result.designed.prediction.goal.text} (smaller is better). Search: ${result.candidates.length} PDE solves in ${result.searchSeconds.toFixed(1)} s.`,
      },
    ],
    config: { goal: result.spec.goal, family: result.spec.family, search: result.spec.search },
    links: ['design.json', ...(v ? ['designed/report.html', 'start/report.html'] : [])],
  });
  return files;
}
