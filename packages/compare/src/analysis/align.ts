import type { ComplexArray, ComplexLike, Spectrum } from '../spectrum/types.js';

/**
 * Locates ξ on an ascending uniform axis: returns [j, j+1, weight of j+1]; j+1 may equal L, meaning
 * the periodic image of index 0 (one spacing past the end: ξ = +π/h for an unpadded spectrum).
 */
function locate(axis: Float64Array, xi: number): [number, number, number] {
  const L = axis.length;
  const d = axis[1] - axis[0];
  let s = (xi - axis[0]) / d;
  const tol = 1e-9;
  if (Math.abs(s - Math.round(s)) < tol) s = Math.round(s); // on a grid frequency: pick exactly
  if (s < -tol || s > L + tol)
    throw new RangeError(`frequency ${xi} is outside the spectrum [${axis[0]}, ${axis[0] + L * d}]`);
  const j = Math.min(Math.max(Math.floor(s), 0), L - 1);
  return [j, j + 1, Math.min(Math.max(s - j, 0), 1)];
}

/**
 * Linear (1D) or bilinear (2D) interpolation of re and im of an FFT spectrum at arbitrary frequencies
 * (flat, point-major). Frequencies up to one spacing past the last grid frequency are reached through
 * the periodicity of the sampled transform, û(ξ + 2π/h) = e^{−i2πx_0/h} û(ξ), so the whole box
 * [−π/h, π/h]^d is covered.
 *
 * @example
 * interpolateSpectrum(errorSpectrum(grid, u), [3, 10, 25]); // û at ξ = 3, 10, 25 (1D)
 */
export function interpolateSpectrum(spectrum: Spectrum, points: ArrayLike<number>): ComplexArray {
  const { dim, frequencies, origin } = spectrum;
  const count = points.length / dim;
  const re = new Float64Array(count);
  const im = new Float64Array(count);
  const L = frequencies.map((f) => f.length);
  const L1 = dim === 2 ? L[1] : 1;
  // Phase picked up when an index wraps past the end of axis a: e^{−i (2π/h) x_0}.
  const wrap = frequencies.map((f, a) => {
    const angle = -(f[1] - f[0]) * f.length * origin[a];
    return [Math.cos(angle), Math.sin(angle)];
  });
  const value = (j0: number, j1: number): [number, number] => {
    let pr = 1;
    let pi = 0;
    if (j0 === L[0]) {
      j0 = 0;
      [pr, pi] = wrap[0];
    }
    if (dim === 2 && j1 === L1) {
      j1 = 0;
      [pr, pi] = [pr * wrap[1][0] - pi * wrap[1][1], pr * wrap[1][1] + pi * wrap[1][0]];
    }
    const k = j0 * L1 + j1;
    const r = spectrum.re[k];
    const i = spectrum.im[k];
    return [r * pr - i * pi, r * pi + i * pr];
  };
  for (let q = 0; q < count; q++) {
    const [a0, b0, w0] = locate(frequencies[0], points[q * dim]);
    if (dim === 1) {
      const [ar, ai] = value(a0, 0);
      const [br, bi] = w0 > 0 ? value(b0, 0) : [0, 0];
      re[q] = (1 - w0) * ar + w0 * br;
      im[q] = (1 - w0) * ai + w0 * bi;
      continue;
    }
    const [a1, b1, w1] = locate(frequencies[1], points[q * dim + 1]);
    let sr = 0;
    let si = 0;
    for (const [j0, c0] of [
      [a0, 1 - w0],
      [b0, w0],
    ])
      for (const [j1, c1] of [
        [a1, 1 - w1],
        [b1, w1],
      ]) {
        if (c0 * c1 === 0) continue;
        const [vr, vi] = value(j0, j1);
        sr += c0 * c1 * vr;
        si += c0 * c1 * vi;
      }
    re[q] = sr;
    im[q] = si;
  }
  return { re, im };
}

/** Where a target time falls among source times: value = (1 − weight)·src[lower] + weight·src[upper]. */
export interface TimeMatch {
  readonly time: number;
  readonly lower: number;
  readonly upper: number;
  readonly weight: number;
}

/**
 * Matches target snapshot times to source snapshot times (ascending), either to the nearest source
 * snapshot or by linear interpolation between the two neighbours. Linear matching refuses targets
 * outside the source's time range (beyond a relative tolerance of 1e-9 of its span).
 *
 * @example
 * matchTimes([0, 1.5], [0, 1, 2]); // [{time:0, lower:0, upper:0, weight:0}, {time:1.5, lower:1, upper:2, weight:0.5}]
 * matchTimes([1.4], [0, 1, 2], 'nearest'); // [{time:1.4, lower:1, upper:1, weight:0}]
 */
export function matchTimes(
  targets: readonly number[],
  sources: readonly number[],
  mode: 'linear' | 'nearest' = 'linear',
): TimeMatch[] {
  if (sources.length === 0) throw new RangeError('matchTimes: no source times');
  for (let j = 1; j < sources.length; j++)
    if (!(sources[j] > sources[j - 1]))
      throw new RangeError('matchTimes: source times must be strictly increasing');
  const first = sources[0];
  const last = sources[sources.length - 1];
  const tol = 1e-9 * Math.max(last - first, Math.abs(last), 1e-300);
  return targets.map((time) => {
    let j = 0;
    while (j + 1 < sources.length && sources[j + 1] <= time) j++;
    if (mode === 'nearest') {
      const best = j + 1 < sources.length && sources[j + 1] - time < time - sources[j] ? j + 1 : j;
      return { time, lower: best, upper: best, weight: 0 };
    }
    if (time < first - tol || time > last + tol)
      throw new RangeError(`matchTimes: time ${time} is outside the snapshots [${first}, ${last}]`);
    if (time <= first) return { time, lower: 0, upper: 0, weight: 0 };
    if (j === sources.length - 1) return { time, lower: j, upper: j, weight: 0 };
    const weight = (time - sources[j]) / (sources[j + 1] - sources[j]);
    return weight === 0 ? { time, lower: j, upper: j, weight } : { time, lower: j, upper: j + 1, weight };
  });
}

/**
 * A trajectory's snapshots resampled at target times (see {@link matchTimes}).
 *
 * @example
 * resampleTrajectory([0, 2], [a0, a2], [1]); // [(a0 + a2)/2]
 */
export function resampleTrajectory(
  times: readonly number[],
  values: readonly ComplexLike[],
  targets: readonly number[],
  mode: 'linear' | 'nearest' = 'linear',
): ComplexArray[] {
  if (times.length !== values.length)
    throw new RangeError('resampleTrajectory: times and values differ in length');
  return matchTimes(targets, times, mode).map(({ lower, upper, weight }) => {
    const a = values[lower];
    const b = values[upper];
    const re = new Float64Array(a.re.length);
    const im = new Float64Array(a.re.length);
    for (let k = 0; k < re.length; k++) {
      re[k] = (1 - weight) * a.re[k] + weight * b.re[k];
      im[k] = (1 - weight) * a.im[k] + weight * b.im[k];
    }
    return { re, im };
  });
}
