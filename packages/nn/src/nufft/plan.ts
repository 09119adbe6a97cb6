import { type EsKernel, esFourier, esKernelFor, UPSAMPLING } from './es-kernel.js';
import { FineFft } from './fine-fft.js';
import { buildKernelTable, type KernelTable } from './kernel-table.js';
import { interp1d, interp2d, spread1d, spread2d } from './spread.js';
import { axisWeights } from './weights.js';

/** Sign of the exponent in e^{±ikθ}. */
export type NufftSign = 1 | -1;

export interface NufftPlanOptions {
  /** Requested relative accuracy ε (default 1e-12); sets the kernel width w ≈ log10(1/ε) + 1. */
  readonly tolerance?: number;
  /** Overrides the kernel chosen from the tolerance (for experiments). */
  readonly kernel?: EsKernel;
}

/**
 * A reusable plan for 1D or 2D non-uniform FFTs with n modes per axis (FINUFFT conventions):
 *
 *     type 1:  F_k = Σ_j c_j e^{±i k·θ_j}      (non-uniform points → modes)
 *     type 2:  c_j = Σ_k F_k e^{±i k·θ_j}      (modes → non-uniform points)
 *
 * with k_d = −⌊n_d/2⌋ … ⌈n_d/2⌉ − 1, stored at index k_d + ⌊n_d/2⌋ (row-major in 2D: axis 0
 * slowest), and θ_j ∈ R^d any real angles (taken mod 2π, so frequencies beyond Nyquist alias
 * exactly as the direct sum does). Complex arrays are interleaved (re, im).
 *
 * Method: spread with the ES kernel onto a fine grid of M_d ≥ 2n_d points (a power of two),
 * FFT, and divide by the kernel's Fourier transform (type 1); the reverse for type 2. The plan
 * allocates its buffers once; `setPoints` computes the per-point kernel weights, which every
 * later transform reuses until the next `setPoints`.
 *
 * @example
 * const plan = createNufftPlan([8]);
 * plan.setPoints(Float64Array.of(0.3, -2.0));
 * const modes = plan.type1(Float64Array.of(1, 0, 0, 1)); // F_k = e^{0.3ik} + i e^{−2ik}
 * modes.length; // 16 (8 complex modes, k = −4..3)
 */
export class NufftPlan {
  readonly dim: 1 | 2;
  readonly n: readonly number[];
  /** Fine grid size per axis. */
  readonly fine: readonly number[];
  readonly kernel: EsKernel;
  readonly tolerance: number;
  /** Number of points set by the last `setPoints`. */
  count = 0;
  private readonly table: KernelTable;
  private readonly modeIndex: Int32Array[];
  private readonly correction: Float64Array[];
  private readonly wrap: Int32Array[];
  private readonly fft: FineFft;
  private readonly fineBuffers: Float64Array[] = [];
  private readonly pads = new Map<number, Float64Array>();
  private base: Int32Array[] = [];
  private weights: Float64Array[] = [];

  constructor(n: readonly number[], options: NufftPlanOptions = {}) {
    if (n.length !== 1 && n.length !== 2) throw new Error(`n: expected 1 or 2 axes, got ${n.length}`);
    for (const nd of n) {
      if (!Number.isInteger(nd) || nd < 1) throw new Error(`n: expected positive integers, got ${n}`);
    }
    this.dim = n.length as 1 | 2;
    this.n = [...n];
    this.tolerance = options.tolerance ?? 1e-12;
    this.kernel = options.kernel ?? esKernelFor(this.tolerance);
    const w = this.kernel.width;
    this.table = buildKernelTable(this.kernel, Math.max(this.tolerance * 1e-2, 1e-14), 64);
    this.fine = n.map((nd) => nextPowerOfTwo(Math.max(UPSAMPLING * nd, 2 * w)));
    this.modeIndex = n.map((nd, d) => {
      const s = Math.floor(nd / 2);
      const m = this.fine[d];
      return Int32Array.from({ length: nd }, (_, i) => (i - s + m) % m);
    });
    this.correction = n.map((nd, d) => {
      const s = Math.floor(nd / 2);
      const xi = Float64Array.from({ length: nd }, (_, i) => (2 * Math.PI * (i - s)) / this.fine[d]);
      return esFourier(this.kernel, xi).map((v) => 1 / v);
    });
    this.wrap = this.fine.map((m) => Int32Array.from({ length: m + 2 * w }, (_, p) => (p - w + 2 * m) % m));
    this.fft = new FineFft(this.fine);
  }

  /**
   * Sets the non-uniform points: θ flat and point-major (θ_j = theta[j·d … j·d + d − 1]), count
   * points (default theta.length / d). Computes and keeps the per-point kernel weights.
   */
  setPoints(theta: Float64Array, count = theta.length / this.dim): void {
    if (!Number.isInteger(count) || count < 0 || count * this.dim > theta.length) {
      throw new Error(`count: expected an integer in [0, ${theta.length / this.dim}], got ${count}`);
    }
    const w = this.kernel.width;
    if (this.base.length === 0 || this.base[0].length < count) {
      this.base = this.n.map(() => new Int32Array(count));
      this.weights = this.n.map(() => new Float64Array(count * w));
    }
    const { intervals, degree, coeffs } = this.table;
    for (let d = 0; d < this.dim; d++) {
      axisWeights(
        0,
        count,
        theta,
        this.dim,
        d,
        this.fine[d],
        w,
        intervals,
        degree,
        coeffs,
        this.base[d],
        this.weights[d],
      );
    }
    this.count = count;
  }

  /**
   * Type 1 for one strength vector c (complex, length 2·count).
   *
   * @example
   * plan.type1(c); // modes, complex, length 2·Π n
   */
  type1(strengths: Float64Array, sign: NufftSign = 1, out?: Float64Array): Float64Array {
    return this.type1Many([strengths], sign, out ? [out] : undefined)[0];
  }

  /**
   * Type 1 for several strength vectors at once: one spreading pass shares the kernel weights.
   *
   * @example
   * const [f, g] = plan.type1Many([c1, c2]);
   */
  type1Many(strengths: readonly Float64Array[], sign: NufftSign = 1, outs?: Float64Array[]): Float64Array[] {
    const kk = strengths.length;
    const size = this.modeCount;
    const result = outs ?? strengths.map(() => new Float64Array(2 * size));
    for (const c of strengths) checkLength('strengths', c, 2 * this.count);
    for (const o of result) checkLength('out', o, 2 * size);
    const pad = this.pad(kk);
    pad.fill(0);
    const w = this.kernel.width;
    if (this.dim === 1) {
      spread1d(0, this.count, strengths, this.base[0], this.weights[0], w, pad);
    } else {
      const cols = this.fine[1] + 2 * w;
      spread2d(
        0,
        this.count,
        strengths,
        this.base[0],
        this.weights[0],
        this.base[1],
        this.weights[1],
        w,
        cols,
        pad,
      );
    }
    for (let q = 0; q < kk; q++) {
      const buf = this.fineBuffer(q);
      this.fold(pad, kk, q, buf);
      this.fft.transform(buf, sign, this.modeIndex[this.dim - 1], false);
      this.extract(buf, sign, result[q]);
    }
    return result;
  }

  /**
   * Type 2 for one mode array F (complex, length 2·Π n).
   *
   * @example
   * plan.type2(modes, -1); // values at the points, complex, length 2·count
   */
  type2(modes: Float64Array, sign: NufftSign = 1, out?: Float64Array): Float64Array {
    return this.type2Many([modes], sign, out ? [out] : undefined)[0];
  }

  /**
   * Type 2 for several mode arrays at once: one interpolation pass shares the kernel weights.
   *
   * @example
   * const [u, v] = plan.type2Many([modesU, modesV], -1);
   */
  type2Many(modes: readonly Float64Array[], sign: NufftSign = 1, outs?: Float64Array[]): Float64Array[] {
    const kk = modes.length;
    const result = outs ?? modes.map(() => new Float64Array(2 * this.count));
    for (const f of modes) checkLength('modes', f, 2 * this.modeCount);
    for (const o of result) checkLength('out', o, 2 * this.count);
    const pad = this.pad(kk);
    for (let q = 0; q < kk; q++) {
      const buf = this.fineBuffer(q);
      this.place(modes[q], sign, buf);
      this.fft.transform(buf, sign, this.modeIndex[this.dim - 1], true);
      this.unfold(buf, kk, q, pad);
    }
    const w = this.kernel.width;
    if (this.dim === 1) {
      interp1d(0, this.count, pad, this.base[0], this.weights[0], w, result);
    } else {
      const cols = this.fine[1] + 2 * w;
      interp2d(
        0,
        this.count,
        pad,
        this.base[0],
        this.weights[0],
        this.base[1],
        this.weights[1],
        w,
        cols,
        result,
      );
    }
    return result;
  }

  /** Number of modes, Π n. */
  get modeCount(): number {
    return this.dim === 1 ? this.n[0] : this.n[0] * this.n[1];
  }

  private pad(kk: number): Float64Array {
    let pad = this.pads.get(kk);
    if (!pad) {
      const w = this.kernel.width;
      const points = this.fine.reduce((p, m) => p * (m + 2 * w), 1);
      pad = new Float64Array(2 * kk * points);
      this.pads.set(kk, pad);
    }
    return pad;
  }

  private fineBuffer(q: number): Float64Array {
    while (this.fineBuffers.length <= q) {
      this.fineBuffers.push(new Float64Array(2 * this.fine.reduce((p, m) => p * m, 1)));
    }
    return this.fineBuffers[q];
  }

  /** buf = the periodic fold of component q of the padded grid. */
  private fold(pad: Float64Array, kk: number, q: number, buf: Float64Array): void {
    buf.fill(0);
    if (this.dim === 1) {
      const wrap = this.wrap[0];
      for (let p = 0; p < wrap.length; p++) {
        const src = 2 * (p * kk + q);
        const dst = 2 * wrap[p];
        buf[dst] += pad[src];
        buf[dst + 1] += pad[src + 1];
      }
      return;
    }
    const [wrap0, wrap1] = this.wrap;
    const cols = wrap1.length;
    const m1 = this.fine[1];
    for (let p0 = 0; p0 < wrap0.length; p0++) {
      const rowDst = wrap0[p0] * m1;
      const rowSrc = p0 * cols;
      for (let p1 = 0; p1 < cols; p1++) {
        const src = 2 * ((rowSrc + p1) * kk + q);
        const dst = 2 * (rowDst + wrap1[p1]);
        buf[dst] += pad[src];
        buf[dst + 1] += pad[src + 1];
      }
    }
  }

  /** Component q of the padded grid = the periodic extension of buf. */
  private unfold(buf: Float64Array, kk: number, q: number, pad: Float64Array): void {
    if (this.dim === 1) {
      const wrap = this.wrap[0];
      for (let p = 0; p < wrap.length; p++) {
        const dst = 2 * (p * kk + q);
        const src = 2 * wrap[p];
        pad[dst] = buf[src];
        pad[dst + 1] = buf[src + 1];
      }
      return;
    }
    const [wrap0, wrap1] = this.wrap;
    const cols = wrap1.length;
    const m1 = this.fine[1];
    for (let p0 = 0; p0 < wrap0.length; p0++) {
      const rowSrc = wrap0[p0] * m1;
      const rowDst = p0 * cols;
      for (let p1 = 0; p1 < cols; p1++) {
        const dst = 2 * ((rowDst + p1) * kk + q);
        const src = 2 * (rowSrc + wrap1[p1]);
        pad[dst] = buf[src];
        pad[dst + 1] = buf[src + 1];
      }
    }
  }

  /** Deconvolution scale per axis; sign +1 undoes fft.js's 1/M normalisation. */
  private scale(d: number, sign: NufftSign): number {
    return sign > 0 ? this.fine[d] : 1;
  }

  /** out_k = buf[k mod M] / φ̂(2πk/M) (per axis) for the kept modes. */
  private extract(buf: Float64Array, sign: NufftSign, out: Float64Array): void {
    if (this.dim === 1) {
      const idx = this.modeIndex[0];
      const corr = this.correction[0];
      const s = this.scale(0, sign);
      for (let i = 0; i < idx.length; i++) {
        const c = corr[i] * s;
        out[2 * i] = buf[2 * idx[i]] * c;
        out[2 * i + 1] = buf[2 * idx[i] + 1] * c;
      }
      return;
    }
    const [idx0, idx1] = this.modeIndex;
    const [corr0, corr1] = this.correction;
    const s = this.scale(0, sign) * this.scale(1, sign);
    const m1 = this.fine[1];
    const n1 = this.n[1];
    for (let i0 = 0; i0 < idx0.length; i0++) {
      const c0 = corr0[i0] * s;
      const row = idx0[i0] * m1;
      for (let i1 = 0; i1 < n1; i1++) {
        const c = c0 * corr1[i1];
        const src = 2 * (row + idx1[i1]);
        const dst = 2 * (i0 * n1 + i1);
        out[dst] = buf[src] * c;
        out[dst + 1] = buf[src + 1] * c;
      }
    }
  }

  /** buf = zero except buf[k mod M] = F_k / φ̂(2πk/M) (per axis). */
  private place(modes: Float64Array, sign: NufftSign, buf: Float64Array): void {
    buf.fill(0);
    if (this.dim === 1) {
      const idx = this.modeIndex[0];
      const corr = this.correction[0];
      const s = this.scale(0, sign);
      for (let i = 0; i < idx.length; i++) {
        const c = corr[i] * s;
        buf[2 * idx[i]] = modes[2 * i] * c;
        buf[2 * idx[i] + 1] = modes[2 * i + 1] * c;
      }
      return;
    }
    const [idx0, idx1] = this.modeIndex;
    const [corr0, corr1] = this.correction;
    const s = this.scale(0, sign) * this.scale(1, sign);
    const m1 = this.fine[1];
    const n1 = this.n[1];
    for (let i0 = 0; i0 < idx0.length; i0++) {
      const c0 = corr0[i0] * s;
      const row = idx0[i0] * m1;
      for (let i1 = 0; i1 < n1; i1++) {
        const c = c0 * corr1[i1];
        const dst = 2 * (row + idx1[i1]);
        const src = 2 * (i0 * n1 + i1);
        buf[dst] = modes[src] * c;
        buf[dst + 1] = modes[src + 1] * c;
      }
    }
  }
}

/**
 * Creates a plan for n modes per axis (1D: [n], 2D: [n0, n1]).
 *
 * @example
 * const plan = createNufftPlan([128, 128], { tolerance: 1e-9 });
 * plan.fine; // [256, 256]
 */
export function createNufftPlan(n: readonly number[], options?: NufftPlanOptions): NufftPlan {
  return new NufftPlan(n, options);
}

function nextPowerOfTwo(x: number): number {
  let p = 2;
  while (p < x) p *= 2;
  return p;
}

function checkLength(name: string, a: Float64Array, expected: number): void {
  if (a.length < expected) throw new Error(`${name}: expected length ≥ ${expected}, got ${a.length}`);
}
