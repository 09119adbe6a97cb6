import { relaxedSimdAvailable } from '../models/deep/wasm/kernels.js';
import type { FftSign } from '../numeric/fft.js';
import { type LoopTask, splitThreads, WorkerPool } from '../parallel/pool.js';
import { type ArrayAllocator, arrayAllocator, slices } from '../parallel/shared.js';
import { compiledLoop, generatedLoop, loopSource } from './codegen.js';
import { type EsKernel, esKernelFor } from './es-kernel.js';
import { FineGrid } from './fine-grid.js';
import { buildKernelTable, type KernelTable } from './kernel-table.js';
import { PointLocation } from './points.js';
import { upsamplingFor } from './upsampling.js';
import { compileWasmLoop, releaseHeapLoop, type WasmLoop, wasmArgs } from './wasm/compile.js';
import { WasmHeap } from './wasm/heap.js';
import { locateSource, watSource } from './wasm/wat.js';

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
   * (default: in 2D with `simd`); results agree with the unsorted ones to rounding. Measured
   * 2026-12-02 at 128×128, m = 2^18 (fine grid 512×512, w = 12, one thread): with the scalar JS
   * loops no gain (bound by arithmetic); with the wasm SIMD loops, which are bound by memory, the
   * three batched type 2 take 172–237 ms sorted against 418–490 unsorted. In 1D (fine grid 2048,
   * in cache anyway) sorting only costs: the values are then read out of order (type 1 at 2^20
   * points 130 ms sorted, 50 unsorted).
   */
  readonly sortPoints?: boolean;
  /**
   * Run spreading and interpolation as WebAssembly SIMD loops (default true; nufft/wasm): a tap is
   * one 128-bit load, multiply and add, 2.5–4× faster than the JS loops, which remain for the
   * synchronous transforms until the async ones have compiled the wasm, and wherever wasm SIMD is
   * unavailable. Results agree with the JS loops' to rounding.
   */
  readonly simd?: boolean;
  /**
   * Fuse the wasm loops' multiply-adds (f64x2.relaxed_madd; default true, which takes effect only
   * where the runtime has relaxed SIMD, see relaxedSimdAvailable). Results agree with the unfused
   * ones to rounding.
   */
  readonly fma?: boolean;
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
  /** The shared wasm memory every array of the plan lives in (with `simd`), else undefined. */
  private readonly heap: WasmHeap | undefined;
  private readonly allocator: ArrayAllocator;
  /** Compiled wasm loops by source key; a failed compilation turns simd off for the plan. */
  private readonly wasm = new Map<string, WasmLoop>();
  private simd: boolean;
  private readonly fma: boolean;
  /** Heap copies of non-heap value arrays, per batch position (the wasm loops address the heap). */
  private readonly staged: Float64Array[] = [];

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
    this.simd = options.simd ?? true;
    this.fma = this.simd && (options.fma ?? true) && relaxedSimdAvailable();
    this.grid = new FineGrid(n, this.kernel);
    this.heap = this.simd
      ? new WasmHeap(8 * (this.table.coeffs.length + 4 * this.grid.paddedSize))
      : undefined;
    this.allocator = this.heap ?? arrayAllocator(threads > 1);
    this.coeffs = this.allocator.float64(this.table.coeffs.length);
    this.coeffs.set(this.table.coeffs);
    this.row0 = Array.from({ length: threads }, () => this.allocator.float64(this.kernel.width));
    this.points = new PointLocation({
      fine: this.grid.fine,
      width: this.kernel.width,
      intervals: this.table.intervals,
      degree: this.table.degree,
      allocator: this.allocator,
      sort: options.sortPoints ?? (this.simd && this.dim === 2),
    });
  }

  /**
   * The loops the transforms run now: 'wasm-simd' once an async transform has compiled them (with
   * `simd`), else 'js'.
   *
   * @example
   * await plan.type1ManyAsync([c]);
   * plan.loops; // 'wasm-simd'
   */
  get loops(): 'wasm-simd' | 'js' {
    return this.simd && this.wasm.size > 0 ? 'wasm-simd' : 'js';
  }

  /**
   * A Float64Array where the plan's loops read and write without copying: on its wasm heap with
   * `simd` (strengths and outputs elsewhere are copied in and out, ~10 ms per step at m = 2^20),
   * else on shared memory when the plan has threads.
   *
   * @example
   * const c = plan.float64(2 * m); // strengths for type1ManyAsync([c])
   */
  float64(length: number): Float64Array {
    return this.allocator.float64(length);
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
    await this.compileLocate();
    const locate = this.locateLoop && this.heap ? { loop: this.locateLoop, heap: this.heap } : undefined;
    await this.points.setAsync(this.pool, x, count, factors, this.minParallelPoints, locate);
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
    this.loop('spread', this.stage('spread', strengths), 0, this.count, pad, 0);
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
    await this.compile('spread', strengths.length);
    if (!this.parallel(strengths)) return this.type1Many(strengths, sign, outs);
    const result = this.checkType1(strengths, outs);
    const kk = strengths.length;
    const pads = this.pad(kk);
    for (const p of pads) p.fill(0);
    await this.split('spread', this.stage('spread', strengths), pads);
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
    const io = this.stage('interp', result);
    this.loop('interp', io, 0, this.count, this.pad(modes.length)[0], 0);
    this.unstage(io, result);
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
    await this.compile('interp', modes.length);
    if (!outs || !this.parallel(outs)) return this.type2Many(modes, sign, outs);
    const result = this.startType2(modes, sign, outs);
    const pad = this.pad(modes.length)[0];
    const io = this.stage('interp', result);
    await this.split('interp', io, Array(this.threads).fill(pad));
    this.unstage(io, result);
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
    else if (pool && this.heap && this.wasm.size > 0) {
      // the workers' instances keep the heap's memory alive: let them go
      const heap = this.heap.id;
      await pool.run(
        releaseHeapLoop,
        Array.from({ length: pool.size }, () => ({ from: 0, to: 0, args: [heap] })),
      );
    }
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
    const wasm = this.wasmLoop(kind, values.length);
    const loop = wasm ?? generatedLoop(this.source(kind, values.length));
    const bounds = slices(this.count, this.threads);
    const tasks: LoopTask[] = [];
    for (let t = 1; t < this.threads; t++) {
      const args = wasm ? this.wasmLoopArgs(values, pads[t], t) : this.loopArgs(values, pads[t], t);
      tasks.push({ from: bounds[t], to: bounds[t + 1], args });
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
    const wasm = this.wasmLoop(kind, values.length);
    if (wasm) {
      (wasm.run as (from: number, to: number, ...args: unknown[]) => void)(
        from,
        to,
        ...this.wasmLoopArgs(values, pad, thread),
      );
      return;
    }
    compiledLoop(this.source(kind, values.length))(from, to, ...this.loopArgs(values, pad, thread));
  }

  /** The wasm point location, compiled on the first setPointsAsync (with `simd`). */
  private locateLoop: WasmLoop | undefined;

  private async compileLocate(): Promise<void> {
    if (!this.simd || this.locateLoop) return;
    try {
      this.locateLoop = await compileWasmLoop(locateSource());
    } catch {
      this.simd = false;
    }
  }

  /** The wasm loop of this kind and batch size, if compiled (see {@link compile}). */
  private wasmLoop(kind: 'spread' | 'interp', kk: number): WasmLoop | undefined {
    if (!this.simd) return undefined;
    return this.wasm.get(this.wasmSource(kind, kk).key);
  }

  private wasmSource(kind: 'spread' | 'interp', kk: number) {
    const { dim, kernel, table, points, fma } = this;
    return watSource(kind, dim, kernel.width, table.degree, kk, points.sorted, fma);
  }

  /**
   * Compiles the wasm loop of this kind and batch size once (with `simd`); where wasm SIMD is
   * unavailable the plan stays on the JS loops.
   */
  private async compile(kind: 'spread' | 'interp', kk: number): Promise<void> {
    if (!this.simd) return;
    const source = this.wasmSource(kind, kk);
    if (this.wasm.has(source.key)) return;
    try {
      this.wasm.set(source.key, await compileWasmLoop(source));
    } catch {
      this.simd = false;
    }
  }

  /** The wasm loops' arguments: offsets of the located arrays, then coeffs, pad, row, values. */
  private wasmLoopArgs(values: readonly Float64Array[], pad: Float64Array, thread: number): unknown[] {
    const located = this.points.loopArgs() as (Float64Array | Int32Array)[];
    const row = this.dim === 2 ? [this.row0[thread]] : [];
    const cols = this.dim === 2 ? [this.grid.fine[1] + 2 * this.kernel.width] : [];
    return wasmArgs(this.heap!, [...located, ...cols, this.coeffs, pad, ...row, ...values]);
  }

  /**
   * The value arrays as the loops take them: for the wasm loops, arrays on the plan's heap — the
   * given ones if they are, else heap copies (filled for spreading, read back by {@link unstage}).
   */
  private stage(kind: 'spread' | 'interp', values: readonly Float64Array[]): Float64Array[] {
    const heap = this.heap;
    if (!heap || !this.wasmLoop(kind, values.length)) return [...values];
    const length = 2 * this.count;
    return values.map((v, q) => {
      if (heap.holds(v)) return v;
      if (!this.staged[q] || this.staged[q].length < length) this.staged[q] = heap.float64(length);
      const copy = this.staged[q];
      if (kind === 'spread') copy.set(v.subarray(0, length));
      return copy;
    });
  }

  /** Copies interpolated values from heap copies back to the caller's arrays. */
  private unstage(io: readonly Float64Array[], result: readonly Float64Array[]): void {
    const length = 2 * this.count;
    for (let q = 0; q < io.length; q++) {
      if (io[q] !== result[q]) result[q].set(io[q].subarray(0, length));
    }
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
      pads = Array.from({ length: this.threads }, () => this.allocator.float64(length));
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
