import type { Grid } from '../grid.js';
import { GridFft } from '../numeric/fft.js';
import { nextPowerOfTwo } from '../numeric/power-of-two.js';
import type { KernelOperator } from './operator.js';

/**
 * One term s · x_out(x) κ(x − y) x_in(y) of a kernel on a uniform grid: κ given at every lattice
 * offset (index (δ₀ + n₀ − 1)·(2n₁ − 1) + (δ₁ + n₁ − 1), any real function, not necessarily even),
 * `input`/`output` an axis whose coordinate multiplies (−1: none).
 */
export interface LatticeTerm {
  readonly values: Float64Array;
  readonly input: number;
  readonly output: number;
  readonly scale: number;
}

/**
 * The kernel Σ_terms s x_out(x_i) κ(x_i − x_j) x_in(x_j) as a matrix-free product in O(N log N):
 * each κ embedded in a circulant (power-of-two size ≥ 2n − 1 per axis), one FFT per distinct input
 * and one inverse FFT per distinct output. Without the cell volume h^d.
 *
 * @example
 * const K = latticeOperator(grid, [{ values: kappa, input: -1, output: -1, scale: 1 }]);
 * K.apply(u, out); // out_i = Σ_j κ(x_i − x_j) u_j
 */
export function latticeOperator(grid: Grid, terms: readonly LatticeTerm[]): KernelOperator {
  const d = grid.dim;
  const n0 = grid.n[0];
  const n1 = d === 2 ? grid.n[1] : 1;
  const p0 = nextPowerOfTwo(2 * n0 - 1);
  const p1 = d === 2 ? nextPowerOfTwo(2 * n1 - 1) : 1;
  const total = p0 * p1;
  const fft = new GridFft(d === 2 ? [p0, p1] : [p0]);
  const columns = Int32Array.from({ length: p1 }, (_, c) => c);
  const s1 = d === 2 ? 2 * n1 - 1 : 1;
  const spectra = new Map<Float64Array, Float64Array>();
  const spectrum = (values: Float64Array): Float64Array => {
    let buf = spectra.get(values);
    if (buf) return buf;
    buf = new Float64Array(2 * total);
    for (let e0 = -(n0 - 1); e0 < n0; e0++) {
      for (let e1 = -(n1 - 1); e1 < n1; e1++) {
        buf[2 * (mod(e0, p0) * p1 + mod(e1, p1))] = values[(e0 + n0 - 1) * s1 + (e1 + n1 - 1)];
      }
    }
    fft.transform(buf, -1, columns, false);
    spectra.set(values, buf);
    return buf;
  };
  const live = terms.filter((t) => t.scale !== 0);
  const plan = live.map((t) => ({ ...t, spectrum: spectrum(t.values) }));
  const inputs = [...new Set(live.map((t) => t.input))];
  const outputs = [...new Set(live.map((t) => t.output))];
  const inBuf = new Map(inputs.map((a) => [a, new Float64Array(2 * total)]));
  const outBuf = new Map(outputs.map((a) => [a, new Float64Array(2 * total)]));
  return {
    grid,
    apply(u, out) {
      for (const [axis, buf] of inBuf) {
        buf.fill(0);
        for (let i0 = 0; i0 < n0; i0++) {
          for (let i1 = 0; i1 < n1; i1++) {
            const src = i0 * n1 + i1;
            buf[2 * (i0 * p1 + i1)] = axis < 0 ? u[src] : u[src] * grid.points[src * d + axis];
          }
        }
        fft.transform(buf, -1, columns, false);
      }
      for (const buf of outBuf.values()) buf.fill(0);
      for (const t of plan) {
        const x = t.spectrum;
        const y = inBuf.get(t.input) as Float64Array;
        const o = outBuf.get(t.output) as Float64Array;
        const s = t.scale;
        for (let i = 0; i < total; i++) {
          const xr = x[2 * i];
          const xi = x[2 * i + 1];
          const yr = y[2 * i];
          const yi = y[2 * i + 1];
          o[2 * i] += s * (xr * yr - xi * yi);
          o[2 * i + 1] += s * (xr * yi + xi * yr);
        }
      }
      out.fill(0);
      for (const [axis, buf] of outBuf) {
        fft.transform(buf, 1, columns, false);
        for (let i0 = 0; i0 < n0; i0++) {
          for (let i1 = 0; i1 < n1; i1++) {
            const i = i0 * n1 + i1;
            const v = buf[2 * (i0 * p1 + i1)];
            out[i] += axis < 0 ? v : grid.points[i * d + axis] * v;
          }
        }
      }
    },
  };
}

/**
 * The explicit N×N matrix of the same kernel, row-major (the reference for {@link latticeOperator}
 * and the input of an eigendecomposition). 8N² bytes: for small grids.
 *
 * @example
 * const K = latticeMatrix(grid, [{ values: kappa, input: -1, output: -1, scale: 1 }]); // K_ij = κ(x_i − x_j)
 */
export function latticeMatrix(grid: Grid, terms: readonly LatticeTerm[]): Float64Array {
  const d = grid.dim;
  const N = grid.size;
  const n1 = d === 2 ? grid.n[1] : 1;
  const s1 = d === 2 ? 2 * n1 - 1 : 1;
  const out = new Float64Array(N * N);
  const live = terms.filter((t) => t.scale !== 0);
  for (let i = 0; i < N; i++) {
    const i0 = Math.floor(i / n1);
    const i1 = i % n1;
    for (let j = 0; j < N; j++) {
      const at = (i0 - Math.floor(j / n1) + grid.n[0] - 1) * s1 + (d === 2 ? i1 - (j % n1) + n1 - 1 : 0);
      let v = 0;
      for (const t of live) {
        let w = t.scale * t.values[at];
        if (t.input >= 0) w *= grid.points[j * d + t.input];
        if (t.output >= 0) w *= grid.points[i * d + t.output];
        v += w;
      }
      out[i * N + j] = v;
    }
  }
  return out;
}

function mod(i: number, p: number): number {
  return ((i % p) + p) % p;
}
