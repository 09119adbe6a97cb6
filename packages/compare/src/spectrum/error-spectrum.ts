import { nextPowerOfTwo } from '@freqbias/nn';
import FFT from 'fft.js';
import type { Spectrum, SpectrumGrid } from './types.js';

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

/**
 * The zero-padding factor of a run's error spectra unless one is given: 4 in 1D, 2 in 2D (THEORY.md
 * §5.5), fine enough in ξ for learning times and cheap enough in 2D.
 *
 * @example
 * defaultPad(1); // 4
 */
export function defaultPad(dim: 1 | 2): number {
  return dim === 1 ? 4 : 2;
}

/** Smallest power of two ≥ max(n, 2) (fft.js rejects size 1): @freqbias/nn's, re-exported as compare's public API. */
export { nextPowerOfTwo };

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
  grid: SpectrumGrid,
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
