import { GridFft, type FftSign as NufftSign } from '../numeric/fft.js';
import { nextPowerOfTwo } from '../numeric/power-of-two.js';
import { type EsKernel, esFourier } from './es-kernel.js';

/**
 * The uniform side of a plan: a fine grid of M_d points per axis (a power of two ≥ 2n_d, ≥ 2w),
 * its padded form (w extra points on each side, where spreading writes without wrap-around), the
 * kept modes k_d = −⌊n_d/2⌋ … ⌈n_d/2⌉ − 1 and the deconvolution factors 1/φ̂(2πk/M).
 *
 * @example
 * const g = new FineGrid([100], { width: 14, beta: 32.2 });
 * g.fine; // [256]
 */
export class FineGrid {
  readonly dim: 1 | 2;
  readonly fine: readonly number[];
  /** Fine index (k mod M) of each kept mode, per axis. */
  readonly modeIndex: Int32Array[];
  /** 1/φ̂(2πk/M) for each kept mode, per axis. */
  readonly correction: Float64Array[];
  /** Padded index → fine index, per axis. */
  readonly wrap: Int32Array[];
  /** Points of the padded grid. */
  readonly paddedSize: number;
  private readonly fft: GridFft;
  private readonly buffers: Float64Array[] = [];

  constructor(
    readonly n: readonly number[],
    kernel: EsKernel,
  ) {
    const w = kernel.width;
    this.dim = n.length as 1 | 2;
    const sigma = kernel.upsampling ?? 2;
    this.fine = n.map((nd) => nextPowerOfTwo(Math.max(Math.ceil(sigma * nd), 2 * w)));
    this.modeIndex = n.map((nd, d) => {
      const s = Math.floor(nd / 2);
      const m = this.fine[d];
      return Int32Array.from({ length: nd }, (_, i) => (i - s + m) % m);
    });
    this.correction = n.map((nd, d) => {
      const s = Math.floor(nd / 2);
      const xi = Float64Array.from({ length: nd }, (_, i) => (2 * Math.PI * (i - s)) / this.fine[d]);
      return esFourier(kernel, xi).map((v) => 1 / v);
    });
    this.wrap = this.fine.map((m) => Int32Array.from({ length: m + 2 * w }, (_, p) => (p - w + 2 * m) % m));
    this.paddedSize = this.fine.reduce((p, m) => p * (m + 2 * w), 1);
    this.fft = new GridFft(this.fine);
  }

  /** Scratch fine grid number q (complex, interleaved), allocated once. */
  buffer(q: number): Float64Array {
    while (this.buffers.length <= q)
      this.buffers.push(new Float64Array(2 * this.fine.reduce((p, m) => p * m, 1)));
    return this.buffers[q];
  }

  /** Type 1: padded component q → kept modes, out_k = FFT(fold(pad))_k / φ̂(2πk/M). */
  toModes(pad: Float64Array, kk: number, q: number, sign: NufftSign, out: Float64Array): void {
    const buf = this.buffer(q);
    this.fold(pad, kk, q, buf);
    this.fft.transform(buf, sign, this.modeIndex[this.dim - 1], false);
    this.extract(buf, sign, out);
  }

  /** Type 2: modes → padded component q, the periodic extension of FFT(F/φ̂). */
  fromModes(modes: Float64Array, sign: NufftSign, pad: Float64Array, kk: number, q: number): void {
    const buf = this.buffer(q);
    this.place(modes, sign, buf);
    this.fft.transform(buf, sign, this.modeIndex[this.dim - 1], true);
    this.unfold(buf, kk, q, pad);
  }

  /** buf = the periodic fold of component q of the padded grid. */
  fold(pad: Float64Array, kk: number, q: number, buf: Float64Array): void {
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
  unfold(buf: Float64Array, kk: number, q: number, pad: Float64Array): void {
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
  extract(buf: Float64Array, sign: NufftSign, out: Float64Array): void {
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
  place(modes: Float64Array, sign: NufftSign, buf: Float64Array): void {
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
