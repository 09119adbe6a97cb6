import type { Spectrum } from './types.js';

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

/**
 * Visits every frequency of a spectrum in storage order (axis 0 slowest): `visit(k, xi)` with k the
 * storage index and xi its frequency [ξ] or [ξ1, ξ2]. `xi` is one array reused for every k (copy
 * it to keep it), so the loop allocates nothing.
 *
 * @example
 * let energy = 0;
 * forEachFrequency(s, (k, xi) => { if (Math.abs(xi[0]) < 10) energy += s.re[k] ** 2 + s.im[k] ** 2; });
 */
export function forEachFrequency(
  spectrum: Spectrum,
  visit: (k: number, xi: readonly number[]) => void,
): void {
  const { dim, frequencies } = spectrum;
  const L1 = dim === 2 ? frequencies[1].length : 1;
  const xi = [0, 0].slice(0, dim);
  for (let k = 0; k < spectrum.re.length; k++) {
    xi[0] = frequencies[0][Math.floor(k / L1)];
    if (dim === 2) xi[1] = frequencies[1][k % L1];
    visit(k, xi);
  }
}
