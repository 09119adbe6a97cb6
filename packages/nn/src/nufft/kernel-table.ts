import { type EsKernel, esValue } from './es-kernel.js';

/**
 * A piecewise-polynomial table of the ES kernel's w tap values as functions of a point's offset,
 * so that per-point weights cost a short Horner loop instead of w exponentials (FINUFFT's
 * "Horner" evaluation, here on `intervals` sub-intervals of low degree).
 *
 * For a point at fine-grid position t the taps sit at z_k = k − w/2 + δ, k = 0..w−1, with
 * δ = ⌈t − w/2⌉ − (t − w/2) ∈ [0, 1). On sub-interval s = ⌊δS⌋, with u = 2(δS − s) − 1 ∈ [−1, 1),
 * φ(z_k) ≈ Σ_d coeffs[(s(D+1) + d)w + k] u^d.
 */
export interface KernelTable {
  readonly width: number;
  readonly degree: number;
  readonly intervals: number;
  readonly coeffs: Float64Array;
  /** Largest absolute error against φ found on a dense check (φ's maximum is 1). */
  readonly maxError: number;
}

/**
 * Builds the table with the lowest degree (at `intervals` sub-intervals) whose error is below
 * `accuracy`, or the best one tried.
 *
 * @example
 * const table = buildKernelTable({ width: 13, beta: 29.9 }, 1e-14);
 * table.maxError < 1e-14; // true
 */
export function buildKernelTable(kernel: EsKernel, accuracy: number, intervals = 128): KernelTable {
  let best: KernelTable | undefined;
  for (let degree = 3; degree <= 12; degree++) {
    const table = fitTable(kernel, degree, intervals);
    if (!best || table.maxError < best.maxError) best = table;
    if (table.maxError <= accuracy) return table;
  }
  return best!;
}

function fitTable(kernel: EsKernel, degree: number, intervals: number): KernelTable {
  const w = kernel.width;
  const n = degree + 1;
  const coeffs = new Float64Array(intervals * n * w);
  const vander = new Float64Array(n * n);
  const rhs = new Float64Array(n * w);
  for (let s = 0; s < intervals; s++) {
    for (let i = 0; i < n; i++) {
      const u = Math.cos((Math.PI * (2 * i + 1)) / (2 * n));
      const delta = (s + (u + 1) / 2) / intervals;
      let p = 1;
      for (let d = 0; d < n; d++) {
        vander[i * n + d] = p;
        p *= u;
      }
      for (let k = 0; k < w; k++) rhs[i * w + k] = esValue(kernel, k - w / 2 + delta);
    }
    solveInPlace(vander, rhs, n, w);
    coeffs.set(rhs, s * n * w);
  }
  const table = { width: w, degree, intervals, coeffs, maxError: 0 };
  const taps = new Float64Array(w);
  let maxError = 0;
  const checks = intervals * 16;
  for (let i = 0; i < checks; i++) {
    const delta = (i + 0.5) / checks;
    evaluateTable(table, delta, taps);
    for (let k = 0; k < w; k++) {
      maxError = Math.max(maxError, Math.abs(taps[k] - esValue(kernel, k - w / 2 + delta)));
    }
  }
  return { ...table, maxError };
}

/** The w tap values at offset δ ∈ [0, 1) (reference form of the Horner evaluation the generated loops of codegen.ts inline). */
export function evaluateTable(table: KernelTable, delta: number, out: Float64Array): void {
  const { width: w, degree: dg, intervals, coeffs } = table;
  const x = delta * intervals;
  let s = Math.floor(x);
  if (s >= intervals) s = intervals - 1;
  const u = 2 * (x - s) - 1;
  const o = s * (dg + 1) * w;
  for (let k = 0; k < w; k++) out[k] = coeffs[o + dg * w + k];
  for (let d = dg - 1; d >= 0; d--) {
    const od = o + d * w;
    for (let k = 0; k < w; k++) out[k] = out[k] * u + coeffs[od + k];
  }
}

/** Gaussian elimination with partial pivoting: A X = B for `cols` right-hand sides; X overwrites B. */
function solveInPlace(a: Float64Array, b: Float64Array, n: number, cols: number): void {
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[piv * n + c])) piv = r;
    if (piv !== c) {
      for (let k = 0; k < n; k++) swap(a, c * n + k, piv * n + k);
      for (let k = 0; k < cols; k++) swap(b, c * cols + k, piv * cols + k);
    }
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / a[c * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
      for (let k = 0; k < cols; k++) b[r * cols + k] -= f * b[c * cols + k];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    const diag = a[c * n + c];
    for (let k = 0; k < cols; k++) {
      let v = b[c * cols + k];
      for (let r = c + 1; r < n; r++) v -= a[c * n + r] * b[r * cols + k];
      b[c * cols + k] = v / diag;
    }
  }
}

function swap(x: Float64Array, i: number, j: number): void {
  const t = x[i];
  x[i] = x[j];
  x[j] = t;
}
