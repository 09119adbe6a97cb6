import type { LossCurves } from '../analysis/loss.js';
import type { Discrepancy } from '../analysis/metrics.js';
import type { VegaLiteSpec } from './render.js';
import { chartConfig, colourOf, labelOf, short } from './style.js';

const schema = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * Discrepancy (relative L2, THEORY.md §5.7) against training time for several pairs, log scale.
 * Values ≤ 0 (e.g. at t = 0, where both start from the same spectrum) cannot be drawn on a log axis
 * and are left out.
 *
 * @example
 * discrepancySpec({ series: { nnVsPde: metrics.nnVsPde, kernelVsPde: metrics.kernelVsPde } });
 */
export function discrepancySpec(input: {
  readonly series: Readonly<Record<string, Discrepancy | undefined>>;
  readonly title?: string;
}): VegaLiteSpec {
  const keys = Object.keys(input.series).filter((k) => input.series[k]);
  const rows = keys.flatMap((key) =>
    input.series[key]!.perSnapshot.filter((s) => s.relL2 > 0 && Number.isFinite(s.relL2)).map((s) => ({
      series: labelOf(key),
      time: s.time,
      relL2: s.relL2,
    })),
  );
  return {
    $schema: schema,
    title: {
      text: input.title ?? 'Discrepancy against training time',
      subtitle: 'relative L2 of the complex difference of spectra over the comparison band',
    },
    config: chartConfig,
    width: 520,
    height: 300,
    data: { values: rows },
    mark: { type: 'line', point: { size: 30 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'training time t' },
      y: {
        field: 'relL2',
        type: 'quantitative',
        title: '‖A − B‖ / ‖B‖',
        scale: { type: 'log' },
        axis: { format: '~%' },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: keys.map(labelOf), range: keys.map((k) => colourOf(k)) },
        legend: { orient: 'bottom' },
      },
    },
  } as unknown as VegaLiteSpec;
}

/**
 * The loss ½∫|u|² dx against training time for the network, the PDE and the kernel baseline
 * (report.json's `metrics.loss`), log scale; values ≤ 0 are left out. `residual`: the error is the
 * residual r = L f − s of operator training (THEORY.md §7), and the labels say so.
 *
 * @example
 * lossSpec({ curves: report.metrics.loss });
 */
export function lossSpec(input: {
  readonly curves: LossCurves;
  readonly title?: string;
  readonly residual?: boolean;
}): VegaLiteSpec {
  const u = input.residual ? 'r' : 'u';
  const keys = (['nn', 'pde', 'kernel'] as const).filter((k) => input.curves[k]);
  const rows = keys.flatMap((key) =>
    input.curves[key]!.filter((p) => p.value > 0 && Number.isFinite(p.value)).map((p) => ({
      series: labelOf(key),
      time: p.time,
      loss: p.value,
    })),
  );
  return {
    $schema: schema,
    title: {
      text: input.title ?? 'Loss against training time',
      subtitle: `${input.residual ? 'r = L f − s; ' : ''}network: ½ h^d Σ ${u}²; PDE and kernel regime: ½ (2π)^−d ∫|${u}̂|² dξ (Parseval)`,
    },
    config: chartConfig,
    width: 520,
    height: 300,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'training time t' },
      y: { field: 'loss', type: 'quantitative', title: `½∫|${u}|² dx`, scale: { type: 'log' } },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        scale: {
          domain: keys.map(labelOf),
          range: [
            [1, 0],
            [6, 3],
            [2, 2],
          ],
        },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: keys.map(labelOf), range: keys.map((k) => colourOf(k)) },
        legend: { orient: 'bottom' },
      },
    },
  } as unknown as VegaLiteSpec;
}

/** Learning times per frequency for several series, with the σ_a = 0 prediction as a reference. */
export interface LearningTimeInput {
  /** One entry per frequency: [ξ] or [ξ1, ξ2]. */
  readonly frequencies: readonly (readonly number[])[];
  /** Learning times per series key ('nn', 'pde', 'kernel'); null where not reached. */
  readonly series: Readonly<Record<string, readonly (number | null)[] | undefined>>;
  /** 1/((2π)^d ρ_s(ξ)) (THEORY.md §4, no diffusion) or any other curve, drawn dashed. */
  readonly reference?: {
    readonly frequencies: readonly (readonly number[])[];
    readonly values: ArrayLike<number>;
    readonly label?: string;
  };
  /** The run's final time: times not reached are drawn as open triangles there. */
  readonly runTime?: number;
  /** Frequencies to mark with vertical rules (e.g. the target's κ). */
  readonly highlights?: readonly (readonly number[])[];
  /** Frequencies drawn at most (evenly thinned beyond; default 1500). */
  readonly maxPoints?: number;
  readonly title?: string;
}

const position = (f: readonly number[]) => (f.length === 1 ? f[0] : Math.hypot(f[0], f[1]));

/**
 * Learning time against frequency (1D: ξ; 2D: |ξ|), log-scale time axis, one colour per series, the
 * reference curve dashed, not-reached frequencies as open triangles at the run's final time.
 *
 * @example
 * learningTimeSpec({ frequencies: band.map((x) => [x]), series: { nn, pde, kernel },
 *   reference: { frequencies, values: inverseRate }, runTime: 60, highlights: [[3], [10], [25]] });
 */
export function learningTimeSpec(input: LearningTimeInput): VegaLiteSpec {
  const dim = input.frequencies[0]?.length ?? 1;
  const keys = Object.keys(input.series).filter((k) => input.series[k]);
  const xs = input.frequencies.map(position);
  const spacing = xs.reduce((m, x, q) => (q > 0 && x > xs[q - 1] ? Math.min(m, x - xs[q - 1]) : m), Infinity);
  const measured: Record<string, unknown>[] = [];
  const missing: Record<string, unknown>[] = [];
  // Thousands of symbols make the SVG slow to rasterise: draw at most ~maxPoints frequencies (2D bands).
  const stride = Math.max(1, Math.ceil(xs.length / (input.maxPoints ?? 1500)));
  for (const key of keys) {
    let segment = 0;
    input.series[key]!.forEach((t, q) => {
      // A new line segment wherever the band has a gap or a time is missing, so lines never bridge them.
      if (q > 0 && xs[q] - xs[q - 1] > 1.5 * spacing) segment++;
      if (t === null || !Number.isFinite(t) || t <= 0) {
        segment++;
        if (input.runTime !== undefined && q % stride === 0)
          missing.push({ series: labelOf(key), x: xs[q], t: input.runTime });
      } else if (q % stride === 0)
        measured.push({ series: labelOf(key), x: xs[q], t, segment: `${key}-${segment}` });
    });
  }
  const times = measured.map((r) => r.t as number);
  const top = Math.max(...times, input.runTime ?? 0);
  const bottom = Math.min(...times, top);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const refLabel = input.reference?.label ?? `1/((2π)${dim === 2 ? '²' : ''} ρₛ(ξ))`;
  const reference = input.reference
    ? input.reference.frequencies
        .map((f, q) => ({ series: refLabel, x: position(f), t: input.reference!.values[q] }))
        .filter((r) => r.x >= xMin && r.x <= xMax && r.t > 0 && Number.isFinite(r.t))
        .sort((a, b) => a.x - b.x)
    : [];
  const yDomain = [bottom / 1.5, top * 2];
  const colourDomain = [...keys.map(labelOf), ...(reference.length ? [refLabel] : [])];
  const colourRange = [...keys.map((k) => colourOf(k)), ...(reference.length ? [colourOf('reference')] : [])];
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: colourDomain, range: colourRange },
    legend: { orient: 'bottom' },
  };
  const x = {
    field: 'x',
    type: 'quantitative',
    title: dim === 1 ? 'angular frequency ξ' : '|ξ|',
    scale: { domain: [xMin, xMax], nice: false },
  };
  const y = {
    field: 't',
    type: 'quantitative',
    title: 'learning time t',
    scale: { type: 'log', domain: yDomain },
  };
  const layers: Record<string, unknown>[] = [];
  if (input.highlights?.length)
    layers.push({
      data: { values: input.highlights.map((f) => ({ x: position(f), label: f.map(short).join(', ') })) },
      mark: { type: 'rule', color: '#bbbbbb', strokeDash: [2, 3] },
      encoding: { x: { field: 'x', type: 'quantitative' } },
    });
  if (reference.length)
    layers.push({
      data: { values: reference },
      mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.5, clip: true },
      encoding: { x, y, color },
    });
  layers.push({
    data: { values: measured },
    mark:
      dim === 1
        ? { type: 'line', point: { size: 14 }, strokeWidth: 1.5, clip: true }
        : { type: 'point', size: 18, filled: true, opacity: 0.7, clip: true },
    encoding: { x, y, color, ...(dim === 1 ? { detail: { field: 'segment' } } : {}) },
  });
  if (missing.length)
    layers.push({
      data: { values: missing },
      mark: { type: 'point', shape: 'triangle-up', filled: false, size: 40, clip: true },
      encoding: { x, y, color },
    });
  const runText = input.runTime !== undefined ? `; △ not reached by t = ${short(input.runTime)}` : '';
  return {
    $schema: schema,
    title: {
      text: input.title ?? 'Learning time against frequency',
      subtitle: `first t with |û(ξ, t)| < |û(ξ, 0)|/e${runText}${reference.length ? '; dashed: reference' : ''}`,
    },
    config: chartConfig,
    width: 520,
    height: 300,
    layer: layers,
  } as unknown as VegaLiteSpec;
}
