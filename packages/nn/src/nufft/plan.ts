import type { FftSign } from '../numeric/fft.js';
import { type LoopTask, splitThreads, WorkerPool } from '../parallel/pool.js';
import { allocate, slices } from '../parallel/shared.js';
import { compiledLoop, generatedLoop, loopSource } from './codegen.js';
import { type EsKernel, esKernelFor } from './es-kernel.js';
import { FineGrid } from './fine-grid.js';
import { buildKernelTable, type KernelTable } from './kernel-table.js';
import { PointLocation } from './points.js';
import { upsamplingFor } from './upsampling.js';

/** Sign of the exponent in e^{±ikθ}. */
export type NufftSign = FftSign;

export interface NufftPlanOptions {
  /** Requested relative accuracy ε (default 1e-12); sets the kernel width (see esKernelFor). */
  readonly tolerance?: number;
  /** Upsampling σ of the fine grid (default {@link upsamplingFor}(n): 4 in 1D, 2 in 2D). */
  readonly upsampling?: 2 | 4;
  /** Overrides the kernel chosen from the tolerance (for experiments). */
  readonly kernel?: EsKernel;
  /**
   * Worker threads for the async transforms, the caller's: they split the points over the caller
   * plus pool.size workers (the plan never disposes it). Default: none, one thread.
   */
  readonly pool?: WorkerPool;
  /**
   * @deprecated Pass a `pool` (threads are the caller's resource). threads > 1 without a pool makes
   * the plan start a pool of threads − 1 workers of its own, stopped by dispose().
   */
  readonly threads?: number;
  /** Split over threads only from this many points on (default 2^15). */
  readonly minParallelPoints?: number;
  /**
   * Sort the points into bins of 16 fine points per axis before spreading and interpolation
   * (default false); results agree with the unsorted ones to rounding. Measured 2026-12-02 at
   * 128×128, m = 2^18 (fine grid 512×512, w = 12): no gain, within the noise, on one thread and on
   * two. The scalar JS tap loops (~2 ns per complex tap) are bound by arithmetic, not by the cache
   * misses sorting removes; it is kept, tested, for loops fast enough to be memory-bound.
   */
  readonly sortPoints?: boolean;
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
 * allocates its buffers once; `setPoints` locates the points on the fine grid, which every
 * later transform reuses until the next `setPoints`. With a `pool` (the caller's threads) the async
 * transforms split the points over its workers (spreading into one padded grid per thread, summed
 * after); the plan itself is no thread pool.
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
  readonly kernel: EsKernel;
  readonly tolerance: number;
  readonly threads: number;
  private readonly grid: FineGrid;
  private readonly table: KernelTable;
  private readonly coeffs: Float64Array;
  private readonly minParallelPoints: number;
  private pool: WorkerPool | undefined;
  /** Whether the plan started `pool` itself (deprecated `threads`) and so stops it. */
  private readonly ownsPool: boolean;
  /** Padded grids per batch size K: one per thread (thread 0 = the caller's, the one transformed). */
  private readonly pads = new Map<number, Float64Array[]>();
  private readonly row0: Float64Array[];
  private readonly points: PointLocation;

  constructor(n: readonly number[], options: NufftPlanOptions = {}) {
    if (n.length !== 1 && n.length !== 2) throw new Error(`n: expected 1 or 2 axes, got ${n.length}`);
    for (const nd of n) {
      if (!Number.isInteger(nd) || nd < 1) throw new Error(`n: expected positive integers, got ${n}`);
    }
    const requested = options.threads ?? 1;
    if (!Number.isInteger(requested) || requested < 1)
      throw new Error(`threads: expected an integer ≥ 1, got ${requested}`);
    this.ownsPool = !options.pool && requested > 1;
    this.pool = options.pool ?? (requested > 1 ? new WorkerPool(requested - 1) : undefined);
    const threads = this.pool ? this.pool.threads : 1;
    this.dim = n.length as 1 | 2;
    this.n = [...n];
    this.threads = threads;
    this.minParallelPoints = options.minParallelPoints ?? 2 ** 15;
    this.tolerance = options.tolerance ?? 1e-12;
    this.kernel = options.kernel ?? esKernelFor(this.tolerance, options.upsampling ?? upsamplingFor(n));
    // Finer tables need a lower Horner degree (measured, w = 12–14: degree 5 at 64 intervals, 3–4
    // at 256–1024): fewer loads and multiplications per tap, worth the larger table (≤ 400 kB,
    // read at one random interval per point) in 1D; in 2D 256 (~180 kB) is as fast as any.
    const intervals = this.dim === 1 ? 1024 : 256;
    this.table = buildKernelTable(this.kernel, Math.max(this.tolerance * 1e-2, 1e-14), intervals);
    this.coeffs = allocate(this.table.coeffs.length, threads > 1);
    this.coeffs.set(this.table.coeffs);
    this.grid = new FineGrid(n, this.kernel);
    this.row0 = Array.from({ length: threads }, () => allocate(this.kernel.width, threads > 1));
    this.points = new PointLocation({
      fine: this.grid.fine,
      width: this.kernel.width,
      intervals: this.table.intervals,
      degree: this.table.degree,
      shared: threads > 1,
      sort: options.sortPoints ?? false,
    });
  }

  /** Number of points set by the last `setPoints`. */
  get count(): number {
    return this.points.count;
  }

  /** Fine grid size per axis. */
  get fine(): readonly number[] {
    return this.grid.fine;
  }

  /** Number of modes, Π n. */
  get modeCount(): number {
    return this.dim === 1 ? this.n[0] : this.n[0] * this.n[1];
  }

  /**
   * Sets the non-uniform points: θ flat and point-major (θ_j = theta[j·d … j·d + d − 1]), count
   * points (default theta.length / d). Locates them on the fine grid once for all later transforms.
   *
   * @example
   * plan.setPoints(Float64Array.of(0.1, 2.5, -7)); // three points (1D)
   */
  setPoints(theta: Float64Array, count = theta.length / this.dim): void {
    this.points.set(theta, count);
  }

  /**
   * {@link setPoints} with angles θ_jd = x[j·d + d]·factors[d] (default factors 1), split over the
   * plan's threads when that pays (x on shared memory).
   *
   * @example
   * await plan.setPointsAsync(w, m, grid.h); // θ = w·h without an array for θ
   */
  async setPointsAsync(
    x: Float64Array,
    count = x.length / this.dim,
    factors?: readonly number[],
  ): Promise<void> {
    await this.points.setAsync(this.pool, x, count, factors, this.minParallelPoints);
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
   * Type 1 for several strength vectors at once: one spreading pass shares the kernel values.
   *
   * @example
   * const [f, g] = plan.type1Many([c1, c2]);
   */
  type1Many(strengths: readonly Float64Array[], sign: NufftSign = 1, outs?: Float64Array[]): Float64Array[] {
    const result = this.checkType1(strengths, outs);
    const pad = this.pad(strengths.length)[0];
    pad.fill(0);
    this.loop('spread', strengths, 0, this.count, pad, 0);
    return this.finishType1(pad, strengths.length, sign, result);
  }

  /**
   * {@link type1Many}, with the spreading split over the plan's threads when that pays.
   *
   * @example
   * const [f] = await plan.type1ManyAsync([c]);
   */
  async type1ManyAsync(
    strengths: readonly Float64Array[],
    sign: NufftSign = 1,
    outs?: Float64Array[],
  ): Promise<Float64Array[]> {
    if (!this.parallel(strengths)) return this.type1Many(strengths, sign, outs);
    const result = this.checkType1(strengths, outs);
    const kk = strengths.length;
    const pads = this.pad(kk);
    for (const p of pads) p.fill(0);
    await this.split('spread', strengths, pads);
    const pad = pads[0];
    for (let t = 1; t < pads.length; t++) {
      const other = pads[t];
      for (let i = 0; i < pad.length; i++) pad[i] += other[i];
    }
    return this.finishType1(pad, kk, sign, result);
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
   * Type 2 for several mode arrays at once: one interpolation pass shares the kernel values.
   *
   * @example
   * const [u, v] = plan.type2Many([modesU, modesV], -1);
   */
  type2Many(modes: readonly Float64Array[], sign: NufftSign = 1, outs?: Float64Array[]): Float64Array[] {
    const result = this.startType2(modes, sign, outs);
    this.loop('interp', result, 0, this.count, this.pad(modes.length)[0], 0);
    return result;
  }

  /**
   * {@link type2Many}, with the interpolation split over the plan's threads when that pays.
   *
   * @example
   * const [u, v] = await plan.type2ManyAsync([modesU, modesV], -1, [u, v]);
   */
  async type2ManyAsync(
    modes: readonly Float64Array[],
    sign: NufftSign = 1,
    outs?: Float64Array[],
  ): Promise<Float64Array[]> {
    if (!outs || !this.parallel(outs)) return this.type2Many(modes, sign, outs);
    const result = this.startType2(modes, sign, outs);
    const pad = this.pad(modes.length)[0];
    await this.split('interp', result, Array(this.threads).fill(pad));
    return result;
  }

  /**
   * Releases the plan's use of its pool (the plan then runs on the calling thread only); stops the
   * pool only if the plan started it (deprecated `threads`).
   */
  async dispose(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (this.ownsPool) await pool?.dispose();
  }

  private checkType1(strengths: readonly Float64Array[], outs?: Float64Array[]): Float64Array[] {
    const size = this.modeCount;
    const result = outs ?? strengths.map(() => new Float64Array(2 * size));
    for (const c of strengths) checkLength('strengths', c, 2 * this.count);
    for (const o of result) checkLength('out', o, 2 * size);
    return result;
  }

  private finishType1(
    pad: Float64Array,
    kk: number,
    sign: NufftSign,
    result: Float64Array[],
  ): Float64Array[] {
    for (let q = 0; q < kk; q++) this.grid.toModes(pad, kk, q, sign, result[q]);
    return result;
  }

  private startType2(modes: readonly Float64Array[], sign: NufftSign, outs?: Float64Array[]): Float64Array[] {
    const kk = modes.length;
    const result = outs ?? modes.map(() => new Float64Array(2 * this.count));
    for (const f of modes) checkLength('modes', f, 2 * this.modeCount);
    for (const o of result) checkLength('out', o, 2 * this.count);
    const pad = this.pad(kk)[0];
    for (let q = 0; q < kk; q++) this.grid.fromModes(modes[q], sign, pad, kk, q);
    return result;
  }

  private parallel(values: readonly Float64Array[]): boolean {
    return splitThreads(this.pool, this.count, values, this.minParallelPoints) > 1;
  }

  /** Runs the loop on equal slices of the points: slice 0 here, slice t on worker t − 1. */
  private async split(
    kind: 'spread' | 'interp',
    values: readonly Float64Array[],
    pads: Float64Array[],
  ): Promise<void> {
    const loop = generatedLoop(this.source(kind, values.length));
    const bounds = slices(this.count, this.threads);
    const tasks: LoopTask[] = [];
    for (let t = 1; t < this.threads; t++) {
      tasks.push({ from: bounds[t], to: bounds[t + 1], args: this.loopArgs(values, pads[t], t) });
    }
    const done = this.pool!.run(loop, tasks);
    this.loop(kind, values, bounds[0], bounds[1], pads[0], 0);
    await done;
  }

  private source(kind: 'spread' | 'interp', kk: number) {
    return loopSource(kind, this.dim, this.kernel.width, this.table.degree, kk, this.points.sorted);
  }

  private loop(
    kind: 'spread' | 'interp',
    values: readonly Float64Array[],
    from: number,
    to: number,
    pad: Float64Array,
    thread: number,
  ): void {
    compiledLoop(this.source(kind, values.length))(from, to, ...this.loopArgs(values, pad, thread));
  }

  private loopArgs(values: readonly Float64Array[], pad: Float64Array, thread: number): unknown[] {
    const located = this.points.loopArgs();
    if (this.dim === 1) return [...values, ...located, this.coeffs, pad];
    const cols = this.grid.fine[1] + 2 * this.kernel.width;
    return [...values, ...located, cols, this.coeffs, pad, this.row0[thread]];
  }

  private pad(kk: number): Float64Array[] {
    let pads = this.pads.get(kk);
    if (!pads) {
      const length = 2 * kk * this.grid.paddedSize;
      pads = Array.from({ length: this.threads }, () => allocate(length, this.threads > 1));
      this.pads.set(kk, pads);
    }
    return pads;
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

function checkLength(name: string, a: Float64Array, expected: number): void {
  if (a.length < expected) throw new Error(`${name}: expected length ≥ ${expected}, got ${a.length}`);
}
