import { checkCount, checkDimension, checkFinite } from '../numeric/checks.js';
import { compileExpression as compileMath } from '../numeric/expression.js';
import type { Rng } from '../random.js';
import { hatTransforms } from './hat-transform.js';
import { piecewiseLinear } from './piecewise-linear.js';
import type { FrequencyDistribution } from './types.js';
import { mirrored, symmetrize } from './validate.js';

/** Options of {@link expressionDensity}. */
export interface ExpressionDensityOptions {
  /** A mathjs expression in `xi` (1D) or `xi1`, `xi2` (2D), ≥ 0 on the support; need not be normalised. */
  readonly expression: string;
  /** Defaults to the length of the support's corners. */
  readonly dim?: 1 | 2;
  /** The bounded support as its lower and upper corners, e.g. `[[-40], [40]]`; ρ = 0 outside. */
  readonly support: readonly (readonly number[])[];
  /**
   * Intervals per axis of the tabulation, even (default 16384 in 1D, 256 in 2D; at most
   * {@link MAX_EXPRESSION_RESOLUTION}).
   */
  readonly resolution?: number;
  /** Extra points per axis where ρ jumps (the support's faces are always included). */
  readonly jumps?: readonly (readonly number[])[];
  /** Extra points per axis where ρ is peaked (the tabulated maximum is always included). */
  readonly peaks?: readonly (readonly number[])[];
}

/**
 * The largest `resolution` of an {@link expressionDensity}, per dimension. The table has (m + 1)^d
 * nodes, each a mathjs evaluation, and every kernel value sums over all of them: 2^22 in 1D and
 * 2048 per axis in 2D, about 4·10^6 nodes (32 MB) either way, keep both bounded (measured: 5 s and
 * 12 s to tabulate, 0.15 s per 2D kernel value). The defaults (16384, 256) cost milliseconds.
 */
export const MAX_EXPRESSION_RESOLUTION: { readonly 1: number; readonly 2: number } = { 1: 2 ** 22, 2: 2048 };

/**
 * A user density ρ(ξ) ∝ f(ξ) given as a mathjs expression on a bounded box. f is tabulated on a
 * uniform grid of the support (checked there for parse errors, negative or non-finite values).
 * `density` is f normalised by Simpson's rule on that grid. Sampling (inverse CDF in 1D, rejection
 * in 2D) and `kernel` (THEORY.md §3) use the piecewise-linear (2D: bilinear) interpolant of the
 * table, normalised by its exact integral and integrated exactly against cos(ξ·z), so k(0) = 1 and
 * no z aliases. The two differ by O(h²) (about 1e-5 relative at the default 2D resolution).
 *
 * @example
 * const rho = expressionDensity({ expression: '1 + cos(xi / 10)', support: [[-40], [40]] });
 * rho.density([0]); // 2/Z with Z = ∫(1 + cos(ξ/10)) dξ over [−40, 40] ≈ 64.86: ≈ 0.0308
 */
export function expressionDensity(options: ExpressionDensityOptions): FrequencyDistribution {
  const { expression, support } = options;
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new Error(`expression: expected a non-empty string, got ${JSON.stringify(expression)}`);
  }
  if (!Array.isArray(support) || support.length !== 2 || !support.every((c) => Array.isArray(c))) {
    throw new Error('support: expected [lower corner, upper corner], e.g. [[-40], [40]]');
  }
  const d = checkDimension('dim', options.dim ?? support[0].length);
  const lo = support[0].map((v, a) => checkFinite(`support[0][${a}]`, v));
  const hi = support[1].map((v, a) => checkFinite(`support[1][${a}]`, v));
  if (lo.length !== d || hi.length !== d) throw new Error(`support: expected corners with ${d} coordinates`);
  lo.forEach((l, a) => {
    if (!(hi[a] > l)) throw new Error(`support: upper corner must exceed lower on axis ${a}`);
  });
  const m = options.resolution ?? (d === 1 ? 16384 : 256);
  const max = MAX_EXPRESSION_RESOLUTION[d];
  if (!Number.isInteger(m) || m < 2 || m % 2 || m > max)
    throw new Error(`resolution: expected an even integer in [2, ${max}] for a ${d}D density, got ${m}`);

  const f = compileExpression(expression, d);
  const h = lo.map((l, a) => (hi[a] - l) / m);
  const nodes = m + 1;
  const values = new Float64Array(nodes ** d);
  const xi = new Float64Array(d);
  for (let i = 0; i < values.length; i++) {
    xi[0] = lo[0] + (d === 1 ? i : Math.floor(i / nodes)) * h[0];
    if (d === 2) xi[1] = lo[1] + (i % nodes) * h[1];
    const v = f(xi);
    if (!Number.isFinite(v)) throw new Error(`expression: not finite (${v}) at ξ = [${[...xi].join(', ')}]`);
    if (v < 0) throw new Error(`expression: negative (${v}) at ξ = [${[...xi].join(', ')}]`);
    values[i] = v;
  }
  // Z normalises the interpolant (trapezoid: sampling and kernel), zDensity the expression itself
  // (Simpson, O(h⁴)): each side is normalised as well as it can be.
  const trapezoid = (i: number) => (i === 0 || i === m ? 0.5 : 1);
  const simpson = (i: number) => (i === 0 || i === m ? 1 / 3 : i % 2 ? 4 / 3 : 2 / 3);
  let z = 0;
  let zDensity = 0;
  let maxValue = 0;
  let argmax = 0;
  for (let i = 0; i < values.length; i++) {
    const [i0, i1] = d === 1 ? [i, -1] : [Math.floor(i / nodes), i % nodes];
    z += (d === 1 ? trapezoid(i0) : trapezoid(i0) * trapezoid(i1)) * values[i];
    zDensity += (d === 1 ? simpson(i0) : simpson(i0) * simpson(i1)) * values[i];
    if (values[i] > maxValue) [maxValue, argmax] = [values[i], i];
  }
  const cell = h.reduce((p, v) => p * v, 1);
  z *= cell;
  zDensity *= cell;
  if (!(z > 0)) throw new Error('expression: integrates to 0 over the support');

  const inside = (x: ArrayLike<number>) => {
    for (let a = 0; a < d; a++) if (x[a] < lo[a] || x[a] > hi[a]) return false;
    return true;
  };
  const density = (x: ArrayLike<number>): number => (inside(x) ? Math.max(0, f(x)) / zDensity : 0);
  const characteristic = (zv: ArrayLike<number>): [number, number] => {
    const t = hatTransforms(lo, h, m, zv);
    let re = 0;
    let im = 0;
    if (d === 1) {
      for (let i = 0; i < nodes; i++) {
        re += values[i] * t[0].re[i];
        im += values[i] * t[0].im[i];
      }
    } else {
      for (let i = 0; i < nodes; i++) {
        let sr = 0;
        let si = 0;
        const row = i * nodes;
        for (let j = 0; j < nodes; j++) {
          sr += values[row + j] * t[1].re[j];
          si += values[row + j] * t[1].im[j];
        }
        re += t[0].re[i] * sr - t[0].im[i] * si;
        im += t[0].re[i] * si + t[0].im[i] * sr;
      }
    }
    return [re / z, im / z];
  };
  const peakAt =
    d === 1
      ? [lo[0] + argmax * h[0]]
      : [lo[0] + Math.floor(argmax / nodes) * h[0], lo[1] + (argmax % nodes) * h[1]];
  const sampler =
    d === 1 ? inverseCdfSampler(values, lo[0], h[0]) : rejectionSampler(values, lo, h, nodes, maxValue);
  // 1D: the interpolant's exact CDF and inverse CDF (the sampler's, for stratified initialisation)
  const table =
    d === 1
      ? piecewiseLinear(
          Float64Array.from({ length: nodes }, (_, i) => (i === m ? hi[0] : lo[0] + i * h[0])),
          values,
        )
      : undefined;
  return {
    dim: d,
    name: `expression(${expression})`,
    sample: (n: number, rng: Rng) => sampler(checkCount('n', n), rng),
    density,
    symmetricDensity: symmetrize(density, d),
    kernel: (zv) => characteristic(zv)[0],
    sineKernel: (zv) => characteristic(zv)[1],
    cdf: table ? (x) => table.cdf(x[0]) : undefined,
    inverseCdf: table
      ? (u, out, offset = 0) => {
          out[offset] = table.quantile(u[0]);
        }
      : undefined,
    jumps: mirrored(lo.map((l, a) => [l, hi[a], ...(options.jumps?.[a] ?? [])])),
    peaks: mirrored(peakAt.map((p, a) => [p, ...(options.peaks?.[a] ?? [])])),
  };
}

function compileExpression(expression: string, d: 1 | 2): (xi: ArrayLike<number>) => number {
  const evaluate = compileMath(expression);
  const variables = d === 1 ? 'xi' : 'xi1, xi2';
  const scope: Record<string, number> = {};
  return (xi) => {
    if (d === 1) scope.xi = xi[0];
    else [scope.xi1, scope.xi2] = [xi[0], xi[1]];
    const v = evaluate(scope, variables);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v !== 'number') throw new Error(`expression: expected a real number, got ${String(v)}`);
    return v;
  };
}

/** Exact inverse CDF of the piecewise-linear interpolant of `values` on nodes lo + i h. */
function inverseCdfSampler(values: Float64Array, lo: number, h: number) {
  const m = values.length - 1;
  const cdf = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) cdf[i + 1] = cdf[i] + 0.5 * h * (values[i] + values[i + 1]);
  const total = cdf[m];
  return (n: number, rng: Rng): Float64Array => {
    const out = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const target = rng.uniform() * total;
      let a = 0;
      let b = m; // invariant: cdf[a] ≤ target < cdf[b]
      while (b - a > 1) {
        const mid = (a + b) >> 1;
        if (cdf[mid] <= target) a = mid;
        else b = mid;
      }
      // Within the cell ρ(t) = f0 + slope·t, so ∫₀ᵗ ρ = f0 t + slope t²/2 = r; the stable root:
      const r = target - cdf[a];
      const f0 = values[a];
      const slope = (values[a + 1] - f0) / h;
      const disc = Math.max(0, f0 * f0 + 2 * slope * r);
      const denom = f0 + Math.sqrt(disc);
      const t = denom > 0 ? (2 * r) / denom : 0;
      out[s] = lo + a * h + Math.min(h, Math.max(0, t));
    }
    return out;
  };
}

/** Rejection from the bilinear interpolant, uniform proposals on the support box; its max is a node value. */
function rejectionSampler(values: Float64Array, lo: number[], h: number[], nodes: number, maxValue: number) {
  const m = nodes - 1;
  return (n: number, rng: Rng): Float64Array => {
    const out = new Float64Array(2 * n);
    for (let s = 0; s < n; ) {
      const u0 = rng.uniform() * m;
      const u1 = rng.uniform() * m;
      const accept = rng.uniform() * maxValue;
      const i = Math.min(m - 1, Math.floor(u0));
      const j = Math.min(m - 1, Math.floor(u1));
      const p = u0 - i;
      const q = u1 - j;
      const v =
        (1 - p) * ((1 - q) * values[i * nodes + j] + q * values[i * nodes + j + 1]) +
        p * ((1 - q) * values[(i + 1) * nodes + j] + q * values[(i + 1) * nodes + j + 1]);
      if (accept < v) {
        out[2 * s] = lo[0] + u0 * h[0];
        out[2 * s + 1] = lo[1] + u1 * h[1];
        s++;
      }
    }
    return out;
  };
}
