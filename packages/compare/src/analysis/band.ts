import { forEachFrequency } from '../spectrum/points.js';
import type { ComplexArray, ComplexLike, Spectrum } from '../spectrum/types.js';

/** An axis-aligned frequency box [lower, upper] (one entry per axis). */
export interface Box {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/**
 * How the comparison band is chosen (THEORY.md §5.7): `'auto'` — the frequencies where
 * |û(ξ,0)| ≥ threshold · max|û(·,0)|; a number Ξ — the box [−Ξ, Ξ]^d; or an explicit box, either
 * `{ lower, upper }` or `[[lo…], [hi…]]`.
 */
export type BandSpec = 'auto' | number | Box | readonly [readonly number[], readonly number[]];

/** The frequencies of a spectrum that lie in a band. */
export interface BandSelection {
  readonly dim: 1 | 2;
  /** Indices into the spectrum's storage, ascending. */
  readonly indices: Int32Array;
  /** The selected frequencies, flat and point-major. */
  readonly points: Float64Array;
  /** Quadrature weight of each point (the FFT cell volume Δξ^d). */
  readonly weights: Float64Array;
  /** Bounding box of the selected points. */
  readonly box: Box;
}

export interface BandOptions {
  /** For `'auto'`: relative threshold on |û(ξ,0)| (default 1e-3). */
  readonly threshold?: number;
  /** Also restrict to this box (e.g. the PDE's domain [−Ξ, Ξ]^d). */
  readonly within?: Box;
}

/** Normalises a band spec that is not `'auto'` to a box. */
export function bandBox(spec: Exclude<BandSpec, 'auto'>, dim: 1 | 2): Box {
  if (typeof spec === 'number') {
    const xi = Math.abs(spec);
    return { lower: Array(dim).fill(-xi), upper: Array(dim).fill(xi) };
  }
  const box = Array.isArray(spec) ? { lower: spec[0], upper: spec[1] } : (spec as Box);
  if (box.lower.length !== dim || box.upper.length !== dim)
    throw new RangeError(`band box must have ${dim} coordinate(s) per corner`);
  return box;
}

/** Whether ξ lies in the box (every ξ when there is none). */
export function inBox(box: Box | undefined, xi: readonly number[]): boolean {
  if (!box) return true;
  for (let a = 0; a < xi.length; a++) if (xi[a] < box.lower[a] || xi[a] > box.upper[a]) return false;
  return true;
}

/**
 * Selects the comparison band on the frequency grid of `initial` (the spectrum at t = 0). For
 * `'auto'` the band is the set (not its bounding box) where |û(ξ,0)| ≥ threshold · max.
 *
 * @example
 * const band = selectBand(errorSpectrum(grid, u0), 'auto');
 * band.points; // the FFT frequencies where |û(ξ,0)| ≥ 1e-3 · max
 * selectBand(s0, 30).box; // { lower: [−30], upper: [30] } (or tighter: the selected points' extent)
 */
export function selectBand(initial: Spectrum, spec: BandSpec, options: BandOptions = {}): BandSelection {
  const { dim, frequencies } = initial;
  const box = spec === 'auto' ? undefined : bandBox(spec, dim);
  let cutoff = -1;
  if (spec === 'auto') {
    let max = 0;
    for (let k = 0; k < initial.re.length; k++) max = Math.max(max, Math.hypot(initial.re[k], initial.im[k]));
    cutoff = (options.threshold ?? 1e-3) * max;
  }
  const picked: number[] = [];
  const coordinates: number[] = [];
  const lower = Array(dim).fill(Number.POSITIVE_INFINITY);
  const upper = Array(dim).fill(Number.NEGATIVE_INFINITY);
  forEachFrequency(initial, (k, xi) => {
    if (!inBox(box, xi) || !inBox(options.within, xi)) return;
    if (cutoff >= 0 && Math.hypot(initial.re[k], initial.im[k]) < cutoff) return;
    picked.push(k);
    for (let a = 0; a < dim; a++) {
      coordinates.push(xi[a]);
      lower[a] = Math.min(lower[a], xi[a]);
      upper[a] = Math.max(upper[a], xi[a]);
    }
  });
  const indices = Int32Array.from(picked);
  const points = Float64Array.from(coordinates);
  const cell = frequencies.reduce((p, f) => p * (f.length > 1 ? f[1] - f[0] : 1), 1);
  return {
    dim,
    indices,
    points,
    weights: new Float64Array(indices.length).fill(cell),
    box: { lower, upper },
  };
}

/**
 * The values of a spectrum at the given storage indices (e.g. `band.indices`).
 *
 * @example
 * pick(errorSpectrum(grid, u), band.indices); // { re, im } on the band's points
 */
export function pick(spectrum: ComplexLike, indices: ArrayLike<number>): ComplexArray {
  const re = new Float64Array(indices.length);
  const im = new Float64Array(indices.length);
  for (let q = 0; q < indices.length; q++) {
    re[q] = spectrum.re[indices[q]];
    im[q] = spectrum.im[indices[q]];
  }
  return { re, im };
}

/**
 * The frequencies of `spectrum` inside `box` as a tensor grid: the axes (ascending) and the storage
 * indices of its points (axis 0 slowest), e.g. the heatmap's grid over a band's bounding box.
 *
 * @example
 * tensorBand(errorSpectrum(grid, u), { lower: [-10], upper: [10] }).axes[0]; // the FFT ξ in [−10, 10]
 */
export function tensorBand(spectrum: Spectrum, box: Box): { axes: Float64Array[]; indices: Int32Array } {
  const ranges = spectrum.frequencies.map((f, a) => {
    const ks: number[] = [];
    for (let k = 0; k < f.length; k++) if (f[k] >= box.lower[a] && f[k] <= box.upper[a]) ks.push(k);
    return ks;
  });
  const axes = ranges.map((ks, a) => Float64Array.from(ks, (k) => spectrum.frequencies[a][k]));
  const L1 = spectrum.dim === 2 ? spectrum.frequencies[1].length : 1;
  const indices =
    spectrum.dim === 1
      ? Int32Array.from(ranges[0])
      : Int32Array.from(ranges[0].flatMap((k0) => ranges[1].map((k1) => k0 * L1 + k1)));
  return { axes, indices };
}
