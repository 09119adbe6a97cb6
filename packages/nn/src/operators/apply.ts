import type { Grid } from '../grid.js';
import { checkGrid } from '../numeric/checks.js';
import { checkOperator, type DifferentialOperator, symbolsAt } from './operator.js';

/**
 * L g on a uniform grid from the values of g, spectrally: the discrete Fourier series of g on the
 * grid's box (periodic extension), each mode e^{iξ·x} times p(ξ), ξ_a = 2πk/(n_a h_a) with
 * −n_a/2 < k ≤ n_a/2 (at the Nyquist mode of an even axis, Re p: the mode is its own mirror).
 * Exact for trigonometric polynomials periodic on the box and spectrally accurate for smooth g that
 * vanish towards its edges (windowed targets); for a source s = L g from a solution g given on the
 * grid. The network's L f never goes this way: it is exact ({@link operatorEngine}). Direct
 * separable DFTs: O(N · Σ n_a), any n.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 256 });
 * const g = grid.points.map((x) => Math.exp(-x * x / 2));
 * const s = applyOperator(grid, helmholtz(1), g); // (2 − x²) e^{−x²/2}, to about 1e-13
 */
export function applyOperator(
  grid: Grid,
  operator: DifferentialOperator,
  values: ArrayLike<number>,
): Float64Array {
  checkGrid(grid);
  checkOperator('operator', operator, grid.dim);
  const N = grid.size;
  if (!values || values.length !== N)
    throw new Error(`values: expected ${N} values (one per grid point), got ${values?.length}`);
  for (let i = 0; i < N; i++)
    if (!Number.isFinite(values[i])) throw new Error(`values: value ${i} is not finite (${values[i]})`);
  const d = grid.dim;
  const n0 = grid.n[0];
  const n1 = d === 2 ? grid.n[1] : 1;
  const re = Float64Array.from(values);
  const im = new Float64Array(N);
  // Forward DFT along each axis (the phase of the box's lower corner is restored by the inverse).
  dftAxis(re, im, n0, n1, 0, -1);
  if (d === 2) dftAxis(re, im, n0, n1, 1, -1);
  const xi = new Float64Array(d);
  const pr = new Float64Array(1);
  const pi = new Float64Array(1);
  for (let k0 = 0; k0 < n0; k0++) {
    for (let k1 = 0; k1 < n1; k1++) {
      const c0 = centred(k0, n0);
      xi[0] = (2 * Math.PI * c0) / (n0 * grid.h[0]);
      let nyquist = 2 * c0 === n0;
      if (d === 2) {
        const c1 = centred(k1, n1);
        xi[1] = (2 * Math.PI * c1) / (n1 * grid.h[1]);
        nyquist ||= 2 * c1 === n1;
      }
      symbolsAt(operator, xi, d, pr, pi);
      const i = k0 * n1 + k1;
      const a = re[i];
      const b = im[i];
      const q = nyquist ? 0 : pi[0];
      re[i] = pr[0] * a - q * b;
      im[i] = pr[0] * b + q * a;
    }
  }
  dftAxis(re, im, n0, n1, 0, 1);
  if (d === 2) dftAxis(re, im, n0, n1, 1, 1);
  return re;
}

/** k ∈ [0, n) as the centred mode in (−n/2, n/2]. */
function centred(k: number, n: number): number {
  return k > n / 2 ? k - n : k;
}

/** In-place DFT along one axis of the row-major n0 × n1 array (sign −1 forward, +1 inverse with 1/n). */
function dftAxis(
  re: Float64Array,
  im: Float64Array,
  n0: number,
  n1: number,
  axis: 0 | 1,
  sign: -1 | 1,
): void {
  const n = axis === 0 ? n0 : n1;
  const lines = axis === 0 ? n1 : n0;
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    cos[j] = Math.cos((2 * Math.PI * j) / n);
    sin[j] = sign * Math.sin((2 * Math.PI * j) / n);
  }
  const inRe = new Float64Array(n);
  const inIm = new Float64Array(n);
  const scale = sign === 1 ? 1 / n : 1;
  for (let line = 0; line < lines; line++) {
    const at = (j: number) => (axis === 0 ? j * n1 + line : line * n1 + j);
    for (let j = 0; j < n; j++) {
      inRe[j] = re[at(j)];
      inIm[j] = im[at(j)];
    }
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let j = 0, t = 0; j < n; j++, t = (t + k) % n) {
        sr += inRe[j] * cos[t] - inIm[j] * sin[t];
        si += inRe[j] * sin[t] + inIm[j] * cos[t];
      }
      re[at(k)] = scale * sr;
      im[at(k)] = scale * si;
    }
  }
}
