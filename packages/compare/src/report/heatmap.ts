import type { ComplexLike } from '../spectrum/types.js';
import type { VegaLiteSpec } from './render.js';
import { chartConfig, labelOf, short } from './style.js';

/** Spectra of several series on one tensor frequency grid, over time. */
export interface HeatmapInput {
  readonly dim: 1 | 2;
  /** Ascending frequency axes: [ξ] or [ξ1, ξ2]; values are stored with axis 0 slowest. */
  readonly axes: readonly ArrayLike<number>[];
  readonly times: readonly number[];
  /** Series keys ('nn', 'pde', 'kernel' get readable labels) with one value array per snapshot. */
  readonly series: readonly { readonly key: string; readonly values: readonly ComplexLike[] }[];
  /** Add a panel |A − B| for the first two series (default: true when there are two or more). */
  readonly difference?: boolean;
  /** 2D: the snapshots that get a row of panels (default: up to 4, evenly spaced, last included). */
  readonly snapshots?: readonly number[];
  /** Cells per frequency axis after block averaging (default 200 in 1D, 64 in 2D) and time rows (200). */
  readonly maxCells?: number;
  /** Decades of log10|û| shown below the maximum (default 6); smaller values are clamped. */
  readonly decades?: number;
  readonly title?: string;
}

interface Block {
  readonly start: number;
  readonly end: number;
  readonly lo: number;
  readonly hi: number;
}

/** Blocks of consecutive grid indices (≤ maxCells of them) with their cell edges. */
function blocks(axis: ArrayLike<number>, maxCells: number): Block[] {
  const L = axis.length;
  const size = Math.ceil(L / maxCells);
  const half = L > 1 ? (axis[1] - axis[0]) / 2 : 0.5;
  const out: Block[] = [];
  for (let s = 0; s < L; s += size) {
    const e = Math.min(s + size, L);
    // Cells overlap their right neighbour by a fifth of a spacing: no anti-aliasing seams between them.
    out.push({ start: s, end: e, lo: axis[s] - half, hi: axis[e - 1] + 1.4 * half });
  }
  return out;
}

/** The span of an ascending grid axis including half a spacing on either side. */
function extent(axis: ArrayLike<number>): [number, number] {
  const half = axis.length > 1 ? (axis[1] - axis[0]) / 2 : 0.5;
  return [axis[0] - half, axis[axis.length - 1] + half];
}

/** Evenly spaced indices (first and last included), at most `count`. */
function spread(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, j) => j);
  return Array.from({ length: count }, (_, j) => Math.round((j * (length - 1)) / (count - 1)));
}

/** Snapshot magnitudes |û| (or |A − B|) as one Float64Array per snapshot. */
function magnitudes(a: readonly ComplexLike[], b?: readonly ComplexLike[]): (j: number) => Float64Array {
  return (j) => {
    const x = a[j];
    const y = b?.[j];
    const out = new Float64Array(x.re.length);
    for (let k = 0; k < out.length; k++)
      out[k] = y ? Math.hypot(x.re[k] - y.re[k], x.im[k] - y.im[k]) : Math.hypot(x.re[k], x.im[k]);
    return out;
  };
}

/** log10 of the mean of finite values in a block (−∞ for 0); NaN when the block has no finite value. */
function blockLog(abs: Float64Array, L1: number, b0: Block, b1: Block | null): number {
  let sum = 0;
  let count = 0;
  for (let k0 = b0.start; k0 < b0.end; k0++)
    for (let k1 = b1 ? b1.start : 0; k1 < (b1 ? b1.end : 1); k1++) {
      const v = abs[k0 * L1 + k1];
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
  return count > 0 ? Math.log10(sum / count) : Number.NaN;
}

/**
 * A vega-lite heatmap of log10|û| for each series and their difference, side by side on one colour
 * scale: 1D as ξ × t, 2D as ξ1 × ξ2 with a row per chosen snapshot. Cells are block averages of |û|,
 * so a chart has at most maxCells² cells per panel whatever the spectrum's resolution.
 *
 * @example
 * const spec = spectrumHeatmapSpec({ dim: 1, axes: [xi], times, series: [
 *   { key: 'nn', values: nnSpectra }, { key: 'pde', values: pdeSpectra }] });
 * await renderPng(spec); // three panels: network, PDE, |network − PDE|
 */
export function spectrumHeatmapSpec(input: HeatmapInput): VegaLiteSpec {
  const { dim, axes, times, series } = input;
  const maxCells = input.maxCells ?? (dim === 1 ? 200 : 64);
  const decades = input.decades ?? 6;
  const panels = series.map((s) => ({ name: labelOf(s.key), abs: magnitudes(s.values) }));
  if ((input.difference ?? series.length >= 2) && series.length >= 2)
    panels.push({
      name: `|${labelOf(series[0].key)} − ${labelOf(series[1].key)}|`,
      abs: magnitudes(series[0].values, series[1].values),
    });
  const b0 = blocks(axes[0], maxCells);
  const b1 = dim === 2 ? blocks(axes[1], maxCells) : null;
  const L1 = dim === 2 ? axes[1].length : 1;
  const rows: Record<string, number | string>[] = [];

  if (dim === 1) {
    const chosen = spread(times.length, 200);
    for (const panel of panels)
      chosen.forEach((j, c) => {
        const abs = panel.abs(j);
        const y0 = c === 0 ? times[j] : (times[chosen[c - 1]] + times[j]) / 2;
        const next = times[chosen[c + 1]];
        const y1 = c === chosen.length - 1 ? times[j] : (times[j] + next) / 2 + 0.1 * (next - times[j]); // overlap: no seams
        for (const b of b0) {
          const v = blockLog(abs, 1, b, null);
          if (!Number.isNaN(v)) rows.push({ panel: panel.name, x0: b.lo, x1: b.hi, y0, y1, v });
        }
      });
  } else {
    const chosen = input.snapshots ?? spread(times.length, 4);
    for (const j of chosen)
      for (const panel of panels) {
        const abs = panel.abs(j);
        const time = `t = ${short(times[j])}`;
        for (const c0 of b0)
          for (const c1 of b1!) {
            const v = blockLog(abs, L1, c0, c1);
            if (!Number.isNaN(v))
              rows.push({ panel: panel.name, time, order: j, x0: c0.lo, x1: c0.hi, y0: c1.lo, y1: c1.hi, v });
          }
      }
  }

  const highest = Math.ceil(rows.reduce((m, r) => Math.max(m, r.v as number), Number.NEGATIVE_INFINITY));
  const top = Number.isFinite(highest) ? highest : 0;
  const domain = [top - decades, top];
  // Exact zeros (−∞) and anything below the range are drawn in the lowest colour.
  for (const r of rows) r.v = Math.max(r.v as number, domain[0]);
  const xDomain = extent(axes[0]);
  const yDomain = dim === 1 ? [times[0], times[times.length - 1]] : extent(axes[1]);
  const timeLabels =
    dim === 2 ? (input.snapshots ?? spread(times.length, 4)).map((j) => `t = ${short(times[j])}`) : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: input.title ?? 'Error spectrum log₁₀|û(ξ, t)|',
      subtitle:
        dim === 1
          ? 'angular frequency ξ against training time t; one colour scale for all panels'
          : 'ξ₁ × ξ₂ at selected training times; one colour scale for all panels',
    },
    config: chartConfig,
    data: { values: rows },
    facet: {
      column: { field: 'panel', type: 'nominal', sort: panels.map((p) => p.name), title: null },
      ...(dim === 2 ? { row: { field: 'time', type: 'nominal', sort: timeLabels, title: null } } : {}),
    },
    spec: {
      width: dim === 1 ? 280 : 200,
      height: dim === 1 ? 240 : 200,
      mark: { type: 'rect', strokeWidth: 0, clip: true },
      encoding: {
        x: {
          field: 'x0',
          type: 'quantitative',
          title: dim === 1 ? 'ξ' : 'ξ₁',
          scale: { domain: xDomain, nice: false, zero: false },
        },
        x2: { field: 'x1' },
        y: {
          field: 'y0',
          type: 'quantitative',
          title: dim === 1 ? 'training time t' : 'ξ₂',
          scale: { domain: yDomain, nice: false, zero: false },
        },
        y2: { field: 'y1' },
        color: {
          field: 'v',
          type: 'quantitative',
          title: 'log₁₀|û|',
          scale: { scheme: 'viridis', domain, clamp: true },
          legend: { type: 'gradient', gradientLength: 200 },
        },
      },
    },
    resolve: { scale: { x: 'shared', y: 'shared', color: 'shared' } },
  } as unknown as VegaLiteSpec;
}
