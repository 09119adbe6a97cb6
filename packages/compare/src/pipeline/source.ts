import type { DifferentialOperator, Grid } from '@freqbias/nn';
import FFT from 'fft.js';

/*
 * s = L g on the grid, spectrally (the config's `targetIs: "solution"`, THEORY.md §7). Each monomial
 * c ∂^α of L is a product of one-dimensional derivatives, and each of those is exact on the grid's
 * periodic trigonometric interpolant: DFT along the axis, times (iξ_k)^{α_a} with ξ_k = 2πk/(N h),
 * k = −N/2 … N/2 − 1, inverse DFT. For a g that vanishes at the grid's edge and whose spectrum lies
 * below the Nyquist frequency π/h (the targets the checks accept), this is L g to rounding error,
 * as the network's own L f is (its features' derivatives are closed form).
 */

/**
 * s = L g at the grid's points (see the file's comment): g is the solution, s the source the
 * network is trained on.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 256 });
 * const g = Float64Array.from(grid.points, (x) => Math.exp(-x * x / 2));
 * const s = applyOnGrid(grid, helmholtz(2), g); // (−g'' + 4g) = (5 − x²) e^{−x²/2}
 */
export function applyOnGrid(grid: Grid, operator: DifferentialOperator, g: ArrayLike<number>): Float64Array {
  if (g.length !== grid.size)
    throw new Error(`g: expected ${grid.size} values (one per grid point), got ${g.length}`);
  const d = grid.dim;
  const out = new Float64Array(grid.size);
  for (const term of operator.terms) {
    if (d === 1 && term.alpha[1] !== 0) continue; // ∂₂ of a function of x₁ alone
    let v: Float64Array = Float64Array.from(g);
    for (let a = 0; a < d; a++) if (term.alpha[a] > 0) v = derivativeAlong(grid, v, a, term.alpha[a]);
    for (let i = 0; i < v.length; i++) out[i] += term.coefficient * v[i];
  }
  return out;
}

/** ∂^order along `axis` of grid values (index i0·n1 + i1 in 2D), by the periodic DFT of each line. */
function derivativeAlong(grid: Grid, values: Float64Array, axis: number, order: number): Float64Array {
  const n = grid.n[axis];
  const lines = grid.size / n;
  // stride between neighbours along the axis, and the offset of line ℓ's first point
  const stride = grid.dim === 2 && axis === 0 ? grid.n[1] : 1;
  const offset = (l: number) => (grid.dim === 2 && axis === 0 ? l : l * n);
  const dft = lineTransform(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  // (iξ)^order for each DFT index j (frequency ξ_j, aliased into −N/2 … N/2 − 1)
  const fr = new Float64Array(n);
  const fi = new Float64Array(n);
  const dxi = (2 * Math.PI) / (n * grid.h[axis]);
  for (let j = 0; j < n; j++) {
    const k = j < n / 2 ? j : j - n;
    // the Nyquist mode of an even N is its own mirror: an odd derivative of it is not real
    const xi = n % 2 === 0 && j === n / 2 && order % 2 === 1 ? 0 : k * dxi;
    const mag = xi ** order;
    const phase = (order % 4) * (Math.PI / 2); // i^order
    fr[j] = mag * Math.round(Math.cos(phase));
    fi[j] = mag * Math.round(Math.sin(phase));
  }
  const out = new Float64Array(values.length);
  for (let l = 0; l < lines; l++) {
    const o = offset(l);
    for (let i = 0; i < n; i++) {
      re[i] = values[o + i * stride];
      im[i] = 0;
    }
    dft(re, im, -1);
    for (let j = 0; j < n; j++) {
      const a = re[j] * fr[j] - im[j] * fi[j];
      im[j] = re[j] * fi[j] + im[j] * fr[j];
      re[j] = a;
    }
    dft(re, im, 1);
    for (let i = 0; i < n; i++) out[o + i * stride] = re[i] / n;
  }
  return out;
}

/** An in-place complex DFT of length n, sign −1 (forward) or +1 (inverse, unscaled). */
function lineTransform(n: number): (re: Float64Array, im: Float64Array, sign: -1 | 1) => void {
  if (n >= 2 && (n & (n - 1)) === 0) {
    const f = new FFT(n);
    const input = f.createComplexArray() as number[];
    const output = f.createComplexArray() as number[];
    return (re, im, sign) => {
      for (let i = 0; i < n; i++) {
        input[2 * i] = re[i];
        input[2 * i + 1] = sign < 0 ? im[i] : -im[i]; // inverse = conj(FFT(conj))
      }
      f.transform(output, input);
      for (let i = 0; i < n; i++) {
        re[i] = output[2 * i];
        im[i] = sign < 0 ? output[2 * i + 1] : -output[2 * i + 1];
      }
    };
  }
  // any other length: the direct sum with a table of e^{−2πi m/n}, O(n²) per line
  const cos = Float64Array.from({ length: n }, (_, m) => Math.cos((2 * Math.PI * m) / n));
  const sin = Float64Array.from({ length: n }, (_, m) => Math.sin((2 * Math.PI * m) / n));
  const tr = new Float64Array(n);
  const ti = new Float64Array(n);
  return (re, im, sign) => {
    for (let j = 0; j < n; j++) {
      let sr = 0;
      let si = 0;
      for (let i = 0, m = 0; i < n; i++, m = (m + j) % n) {
        const c = cos[m];
        const s = sign * sin[m];
        sr += re[i] * c - im[i] * s;
        si += re[i] * s + im[i] * c;
      }
      tr[j] = sr;
      ti[j] = si;
    }
    re.set(tr);
    im.set(ti);
  };
}
