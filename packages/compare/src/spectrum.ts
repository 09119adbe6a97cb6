import FFT from 'fft.js';

/**
 * The part of a uniform grid (THEORY.md §5.1) that spectra need. Structurally compatible with
 * `@freqbias/nn`'s `Grid`, so compare does not depend on nn: x_i = lower + i·h per axis; in 2D the
 * linear index of (i0, i1) is `i0 * n[1] + i1` (axis 0 slowest).
 */
export interface UniformGrid {
  readonly dim: 1 | 2;
  readonly n: readonly number[];
  readonly lower: readonly number[];
  readonly h: readonly number[];
}

/** Complex values as two parallel arrays, as functions accept them (plain arrays are fine). */
export interface ComplexLike {
  readonly re: ArrayLike<number>;
  readonly im: ArrayLike<number>;
}

/** Complex values stored as two parallel Float64Arrays, as functions return them. */
export interface ComplexArray extends ComplexLike {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/**
 * A spectrum on a tensor grid of frequencies. `frequencies[a]` is ascending along axis a; values are
 * stored with axis 0 slowest (2D index `k0 * L1 + k1`).
 */
export interface Spectrum extends ComplexArray {
  readonly dim: 1 | 2;
  readonly frequencies: readonly Float64Array[];
  /** Length L per axis (the padded FFT length). */
  readonly shape: readonly number[];
  /**
   * First grid point x_0 per axis. The sampled transform is periodic up to a phase:
   * û(ξ + 2π/h) = e^{−i 2π x_0/h} û(ξ); interpolation uses this to reach ξ = +π/h.
   */
  readonly origin: readonly number[];
}

export interface ErrorSpectrumOptions {
  /**
   * Zero-padding factor P ≥ 1 (default 1). fft.js needs powers of two, so the FFT length per axis is
   * L = the next power of two ≥ P·N; the frequency spacing is then 2π/(L h), not 2π/(P N h).
   */
  readonly pad?: number;
}

const ffts = new Map<number, FFT>();
function fftOfSize(size: number): FFT {
  let f = ffts.get(size);
  if (!f) {
    f = new FFT(size);
    ffts.set(size, f);
  }
  return f;
}

/** Smallest power of two ≥ max(n, 2) (fft.js rejects size 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/** Centred FFT frequencies 2πj/(L h), j = −L/2 .. L/2−1. */
function centredFrequencies(length: number, h: number): Float64Array {
  const xi = new Float64Array(length);
  const dxi = (2 * Math.PI) / (length * h);
  for (let j = 0; j < length; j++) xi[j] = (j - length / 2) * dxi;
  return xi;
}

/** In-place complex FFT of `count` interleaved sequences of length L with the given stride. */
function fftLines(buf: Float64Array, length: number, count: number, offsetStep: number, stride: number) {
  const f = fftOfSize(length);
  const input = f.createComplexArray() as number[];
  const output = f.createComplexArray() as number[];
  for (let c = 0; c < count; c++) {
    const base = c * offsetStep;
    for (let k = 0; k < length; k++) {
      const p = 2 * (base + k * stride);
      input[2 * k] = buf[p];
      input[2 * k + 1] = buf[p + 1];
    }
    f.transform(output, input);
    for (let k = 0; k < length; k++) {
      const p = 2 * (base + k * stride);
      buf[p] = output[2 * k];
      buf[p + 1] = output[2 * k + 1];
    }
  }
}

/**
 * The error spectrum of grid values u (THEORY.md §5.5): û(ξ_k) = h^d · FFT(u)[k] · e^{−iξ_k·x_0}
 * at ξ_k = 2πk/(L h), centred (k = −L/2 .. L/2−1 per axis), L = next power of two ≥ pad·N.
 *
 * @example
 * // u = exp(−x²/2) on [−8, 8): û(0) ≈ √(2π)
 * const grid = { dim: 1, n: [256], lower: [-8], h: [1 / 16] } as const;
 * const u = Float64Array.from({ length: 256 }, (_, i) => Math.exp(-((-8 + i / 16) ** 2) / 2));
 * const s = errorSpectrum(grid, u, { pad: 2 }); // s.frequencies[0].length === 512
 * s.re[256]; // ≈ 2.5066282746 (ξ = 0 sits at index L/2)
 */
export function errorSpectrum(
  grid: UniformGrid,
  u: ArrayLike<number>,
  options: ErrorSpectrumOptions = {},
): Spectrum {
  const pad = options.pad ?? 1;
  if (!(pad >= 1)) throw new RangeError(`errorSpectrum: pad must be ≥ 1, got ${pad}`);
  const size = grid.dim === 1 ? grid.n[0] : grid.n[0] * grid.n[1];
  if (u.length !== size) throw new RangeError(`errorSpectrum: expected ${size} values, got ${u.length}`);
  const shape = grid.n.map((n) => nextPowerOfTwo(Math.ceil(pad * n)));
  const frequencies = shape.map((L, a) => centredFrequencies(L, grid.h[a]));
  const cellVolume = grid.h.reduce((p, h) => p * h, 1);

  if (grid.dim === 1) {
    const L = shape[0];
    const buf = new Float64Array(2 * L);
    for (let i = 0; i < size; i++) buf[2 * i] = u[i];
    fftLines(buf, L, 1, 0, 1);
    return finish(buf, shape, frequencies, grid.lower, cellVolume);
  }
  const [L0, L1] = shape;
  const [n0, n1] = grid.n;
  const buf = new Float64Array(2 * L0 * L1);
  for (let i0 = 0; i0 < n0; i0++) for (let i1 = 0; i1 < n1; i1++) buf[2 * (i0 * L1 + i1)] = u[i0 * n1 + i1];
  fftLines(buf, L1, n0, L1, 1); // rows beyond n0 are zero and stay zero
  fftLines(buf, L0, L1, 1, L1);
  return finish(buf, shape, frequencies, grid.lower, cellVolume);
}

/** Reorders FFT output to centred order, scales by h^d and applies the phase e^{−iξ·x_0}. */
function finish(
  buf: Float64Array,
  shape: number[],
  frequencies: Float64Array[],
  origin: readonly number[],
  cellVolume: number,
): Spectrum {
  const phases = shape.map((L, a) => {
    const c = new Float64Array(L);
    const s = new Float64Array(L);
    for (let j = 0; j < L; j++) {
      c[j] = Math.cos(frequencies[a][j] * origin[a]);
      s[j] = -Math.sin(frequencies[a][j] * origin[a]);
    }
    return { c, s };
  });
  const total = shape.reduce((p, L) => p * L, 1);
  const re = new Float64Array(total);
  const im = new Float64Array(total);
  const L0 = shape[0];
  const L1 = shape.length === 2 ? shape[1] : 1;
  for (let j0 = 0; j0 < L0; j0++) {
    const k0 = (j0 + L0 / 2) % L0;
    for (let j1 = 0; j1 < L1; j1++) {
      const k1 = shape.length === 2 ? (j1 + L1 / 2) % L1 : 0;
      let pr = phases[0].c[j0];
      let pi = phases[0].s[j0];
      if (shape.length === 2) {
        const qr = phases[1].c[j1];
        const qi = phases[1].s[j1];
        [pr, pi] = [pr * qr - pi * qi, pr * qi + pi * qr];
      }
      const p = 2 * (k0 * L1 + k1);
      const out = j0 * L1 + j1;
      re[out] = cellVolume * (buf[p] * pr - buf[p + 1] * pi);
      im[out] = cellVolume * (buf[p] * pi + buf[p + 1] * pr);
    }
  }
  return { dim: shape.length as 1 | 2, frequencies, shape, origin: [...origin], re, im };
}

/** How often the angle-addition recurrence is re-seeded with exact trig, to bound round-off growth. */
const RESEED = 32;

/** Fills c[i] + i s[i] = e^{−iξ(x0 + i h)} for i < n by recurrence, re-seeding every RESEED steps. */
function phasors(xi: number, x0: number, h: number, c: Float64Array, s: Float64Array, n: number) {
  const dc = Math.cos(xi * h);
  const ds = -Math.sin(xi * h);
  for (let i = 0; i < n; i++) {
    if (i % RESEED === 0) {
      const angle = xi * (x0 + i * h);
      c[i] = Math.cos(angle);
      s[i] = -Math.sin(angle);
    } else {
      c[i] = c[i - 1] * dc - s[i - 1] * ds;
      s[i] = c[i - 1] * ds + s[i - 1] * dc;
    }
  }
}

/**
 * The sampled transform û(ξ) = h^d Σ_i u(x_i) e^{−iξ·x_i} (THEORY.md §5.5) at arbitrary frequencies,
 * by direct summation: the PDE's initial condition at mesh nodes (§5.6). `xi` is flat and
 * point-major (`[ξ1, ξ2, ξ1', ξ2', …]` in 2D). Cost O(#ξ · N^d) multiply-adds, with the phases
 * generated by angle-addition recurrences along each grid axis.
 *
 * @example
 * const grid = { dim: 1, n: [256], lower: [-8], h: [1 / 16] } as const;
 * const u = Float64Array.from({ length: 256 }, (_, i) => Math.exp(-((-8 + i / 16) ** 2) / 2));
 * spectrumAt(grid, u, [0, 1]).re; // ≈ [2.5066, 1.5203] = √(2π)·e^{−ξ²/2}
 */
export function spectrumAt(grid: UniformGrid, u: ArrayLike<number>, xi: ArrayLike<number>): ComplexArray {
  const d = grid.dim;
  if (xi.length % d !== 0)
    throw new RangeError(`spectrumAt: ${xi.length} coordinates is not a multiple of ${d}`);
  const count = xi.length / d;
  const re = new Float64Array(count);
  const im = new Float64Array(count);
  const cellVolume = grid.h.reduce((p, h) => p * h, 1);
  const n0 = grid.n[0];
  const n1 = d === 2 ? grid.n[1] : 1;
  if (u.length !== n0 * n1) throw new RangeError(`spectrumAt: expected ${n0 * n1} values, got ${u.length}`);
  const c0 = new Float64Array(n0);
  const s0 = new Float64Array(n0);
  const c1 = new Float64Array(n1);
  const s1 = new Float64Array(n1);
  for (let q = 0; q < count; q++) {
    phasors(xi[q * d], grid.lower[0], grid.h[0], c0, s0, n0);
    let sr = 0;
    let si = 0;
    if (d === 1) {
      for (let i = 0; i < n0; i++) {
        sr += u[i] * c0[i];
        si += u[i] * s0[i];
      }
    } else {
      phasors(xi[q * d + 1], grid.lower[1], grid.h[1], c1, s1, n1);
      for (let i0 = 0; i0 < n0; i0++) {
        let rr = 0;
        let ri = 0;
        const row = i0 * n1;
        for (let i1 = 0; i1 < n1; i1++) {
          rr += u[row + i1] * c1[i1];
          ri += u[row + i1] * s1[i1];
        }
        sr += rr * c0[i0] - ri * s0[i0];
        si += rr * s0[i0] + ri * c0[i0];
      }
    }
    re[q] = cellVolume * sr;
    im[q] = cellVolume * si;
  }
  return { re, im };
}

/**
 * Flat, point-major coordinates of a tensor grid given by its axes (axis 0 slowest).
 *
 * @example
 * tensorPoints([[0, 1], [5, 6]]); // Float64Array [0, 5, 0, 6, 1, 5, 1, 6]
 */
export function tensorPoints(axes: readonly ArrayLike<number>[]): Float64Array {
  const [f0, f1] = axes;
  if (axes.length === 1) return Float64Array.from(f0);
  const out = new Float64Array(2 * f0.length * f1.length);
  let p = 0;
  for (let j0 = 0; j0 < f0.length; j0++)
    for (let j1 = 0; j1 < f1.length; j1++) {
      out[p++] = f0[j0];
      out[p++] = f1[j1];
    }
  return out;
}

/**
 * Flat, point-major coordinates of every frequency of a spectrum, in its storage order.
 *
 * @example
 * spectrumPoints(errorSpectrum(grid2d, u)); // [ξ1_0, ξ2_0, ξ1_0, ξ2_1, …]
 */
export function spectrumPoints(spectrum: Spectrum): Float64Array {
  return tensorPoints(spectrum.frequencies);
}
