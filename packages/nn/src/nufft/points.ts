import type { WorkerLoop } from '../parallel/loop.js';
import { functionLoop } from '../parallel/loop.js';
import { parallelFor, type WorkerPool } from '../parallel/pool.js';
import type { ArrayAllocator } from '../parallel/shared.js';
import { wasmArgs } from './wasm/compile.js';
import type { WasmHeap } from './wasm/heap.js';

/**
 * Where each non-uniform point sits on one axis of the fine grid: the set-up loop of a plan, for
 * the points [from, to).
 *
 * For angle θ the fine-grid position is t = (θ mod 2π)·M/(2π) ∈ [0, M); its w taps are the fine
 * points ⌈t − w/2⌉ + k, k = 0..w−1, at offsets z_k = k − w/2 + δ, δ = ⌈t − w/2⌉ − (t − w/2) ∈ [0, 1).
 * Stored per point: `base`, the first tap's index in a grid padded by w on each side (so spreading
 * needs no wrap-around); `cell`, the offset of δ's sub-interval in the kernel table (of
 * `intervals` sub-intervals of `cellSize` coefficients); `u`, δ's local coordinate in [−1, 1) (see
 * kernel-table.ts). The angle of point j is θ_j = x[j·stride + axis]·factor (factor 1: x holds the
 * angles). A plain function (workers run it through {@link locateLoop}); self-contained.
 *
 * @example
 * locatePoints(0, count, theta, 1, base, cell, u, 1, 0, 256, 12, 1024, 5 * 12);
 */
export function locatePoints(
  from: number,
  to: number,
  x: Float64Array,
  factor: number,
  base: Int32Array,
  cell: Int32Array,
  u: Float64Array,
  stride: number,
  axis: number,
  fine: number,
  width: number,
  intervals: number,
  cellSize: number,
): void {
  const scale = fine / (2 * Math.PI);
  const half = width / 2;
  const inverse = 1 / fine;
  for (let j = from; j < to; j++) {
    let t = x[j * stride + axis] * factor * scale;
    t -= fine * Math.floor(t * inverse);
    if (t >= fine) t -= fine;
    else if (t < 0) t += fine;
    const lo = t - half;
    const b = Math.ceil(lo);
    const y = (b - lo) * intervals;
    let s = y | 0; // y ∈ [0, intervals]
    if (s >= intervals) s = intervals - 1;
    base[j] = b + width;
    cell[j] = s * cellSize;
    u[j] = 2 * (y - s) - 1;
  }
}

/** {@link locatePoints} for a {@link WorkerPool}. */
export const locateLoop = functionLoop(locatePoints);

/** The fine-grid geometry point location needs: see {@link locatePoints}. */
export interface LocationGeometry {
  /** Fine grid size per axis (its length is the dimension). */
  readonly fine: readonly number[];
  /** Kernel width w. */
  readonly width: number;
  /** Sub-intervals of the kernel table. */
  readonly intervals: number;
  /** Horner degree of the kernel table. */
  readonly degree: number;
  /** Where the located arrays live (shared memory when the plan has worker threads). */
  readonly allocator: ArrayAllocator;
  /**
   * Sort the points into bins of `bin` fine points per axis after locating them (default false):
   * the located arrays are then stored in bin order and `order[i]` is the point at position i, so
   * that spreading and interpolation visit the fine grid tile by tile (see NufftPlanOptions.sortPoints
   * for what it measured).
   */
  readonly sort?: boolean;
  /** Bin size in fine points per axis when sorting (default 16). */
  readonly bin?: number;
}

/**
 * The located points of a NUFFT plan: per axis d, `base[d]`, `cell[d]` and `local[d]` of every point
 * (see {@link locatePoints}), allocated on the first `set` and grown only when more points come,
 * reused by every transform until the next `set`.
 *
 * @example
 * const points = new PointLocation({ fine: [256], width: 12, intervals: 1024, degree: 5, allocator: arrayAllocator(false) });
 * points.set(Float64Array.of(0.1, 2.5), 2);
 * points.count; // 2
 */
export class PointLocation {
  /** Number of points of the last `set`. */
  count = 0;
  base: Int32Array[] = [];
  cell: Int32Array[] = [];
  local: Float64Array[] = [];
  /** With sorting: the point at each position of the located arrays. */
  order: Int32Array = new Int32Array(0);
  private readonly dim: number;
  /** With sorting: where the points are located before they are sorted. */
  private raw: { base: Int32Array[]; cell: Int32Array[]; local: Float64Array[] } = {
    base: [],
    cell: [],
    local: [],
  };
  private counts: Int32Array = new Int32Array(0);
  /** A heap copy of x for the wasm loop (when x is not on the heap). */
  private staged: Float64Array = new Float64Array(0);

  constructor(private readonly geometry: LocationGeometry) {
    this.dim = geometry.fine.length;
  }

  /**
   * Locates count points θ_j = x[j·d … j·d + d − 1]·factors on the calling thread.
   *
   * @example
   * points.set(theta, theta.length); // 1D
   */
  set(x: Float64Array, count: number, factors?: readonly number[]): void {
    this.prepare(x, count, factors);
    for (let d = 0; d < this.dim; d++) locatePoints(0, count, ...this.args(x, d, factors?.[d] ?? 1));
    this.sortPoints();
  }

  /** Whether the located arrays are in bin order (see LocationGeometry.sort). */
  get sorted(): boolean {
    return this.geometry.sort === true;
  }

  /**
   * {@link set}, split over the pool's threads from minParallelPoints points on (x on shared memory).
   *
   * @example
   * await points.setAsync(pool, w, m, [h], 2 ** 15);
   */
  async setAsync(
    pool: WorkerPool | undefined,
    x: Float64Array,
    count: number,
    factors: readonly number[] | undefined,
    minParallelPoints: number,
    wasm?: { readonly loop: WorkerLoop; readonly heap: WasmHeap },
  ): Promise<void> {
    this.prepare(x, count, factors);
    let input = x;
    if (wasm && !wasm.heap.holds(x)) {
      const length = count * this.dim;
      if (this.staged.length < length) this.staged = wasm.heap.float64(length);
      this.staged.set(x.subarray(0, length));
      input = this.staged;
    }
    for (let d = 0; d < this.dim; d++) {
      const args = this.args(input, d, factors?.[d] ?? 1);
      if (wasm) {
        // the wasm loop's order: x, base, cell, u, then the numbers
        const [xs, factor, base, cell, u, ...rest] = args;
        const wargs = wasmArgs(wasm.heap, [xs, base, cell, u, factor, ...rest]);
        await parallelFor(pool, wasm.loop, count, () => wargs, [input], minParallelPoints);
      } else {
        await parallelFor(pool, locateLoop, count, () => args, [x], minParallelPoints);
      }
    }
    this.sortPoints();
  }

  /**
   * The located arrays as the spreading/interpolation loops take them: base, cell, local of axis 0,
   * then of axis 1 in 2D (see codegen.ts).
   *
   * @example
   * points.loopArgs(); // [base0, cell0, local0] in 1D
   */
  loopArgs(): (Int32Array | Float64Array | undefined)[] {
    // per axis even before the first `set` (count 0), so the loops' argument positions hold
    const located = this.geometry.fine.flatMap((_, d) => [this.base[d], this.cell[d], this.local[d]]);
    return this.sorted ? [this.order, ...located] : located;
  }

  /**
   * Counting sort of the located points by bin (row-major over the padded grid's bins), stable, so
   * the order depends only on the points: from raw into base/cell/local, with order[i] the point.
   */
  private sortPoints(): void {
    if (!this.sorted) return;
    const count = this.count;
    const { fine, width } = this.geometry;
    const bin = this.geometry.bin ?? 16;
    const shift = Math.log2(bin);
    const bins = fine.map((m) => ((m + 2 * width) >> shift) + 1);
    const total = bins.reduce((p, b) => p * b, 1);
    if (this.counts.length < total + 1) this.counts = new Int32Array(total + 1);
    const next = this.counts;
    next.fill(0, 0, total + 1);
    const { base: rb, cell: rc, local: rl } = this.raw;
    const order = this.order;
    if (this.dim === 1) {
      const [b0, c0, l0] = [rb[0], rc[0], rl[0]];
      for (let j = 0; j < count; j++) next[(b0[j] >> shift) + 1]++;
      for (let k = 1; k <= total; k++) next[k] += next[k - 1];
      const [s0, sc0, sl0] = [this.base[0], this.cell[0], this.local[0]];
      for (let j = 0; j < count; j++) {
        const p = next[b0[j] >> shift]++;
        order[p] = j;
        s0[p] = b0[j];
        sc0[p] = c0[j];
        sl0[p] = l0[j];
      }
      return;
    }
    const [b0, b1] = rb;
    const nb1 = bins[1];
    for (let j = 0; j < count; j++) next[(b0[j] >> shift) * nb1 + (b1[j] >> shift) + 1]++;
    for (let k = 1; k <= total; k++) next[k] += next[k - 1];
    const [c0, c1] = rc;
    const [l0, l1] = rl;
    const [s0, s1] = this.base;
    const [sc0, sc1] = this.cell;
    const [sl0, sl1] = this.local;
    for (let j = 0; j < count; j++) {
      const p = next[(b0[j] >> shift) * nb1 + (b1[j] >> shift)]++;
      order[p] = j;
      s0[p] = b0[j];
      s1[p] = b1[j];
      sc0[p] = c0[j];
      sc1[p] = c1[j];
      sl0[p] = l0[j];
      sl1[p] = l1[j];
    }
  }

  private prepare(x: Float64Array, count: number, factors: readonly number[] | undefined): void {
    if (!Number.isInteger(count) || count < 0 || count * this.dim > x.length) {
      throw new Error(`count: expected an integer in [0, ${x.length / this.dim}], got ${count}`);
    }
    if (factors && factors.length !== this.dim) {
      throw new Error(`factors: expected ${this.dim} values, got ${factors.length}`);
    }
    if (this.base.length === 0 || this.base[0].length < count) {
      const alloc = this.geometry.allocator;
      this.base = this.geometry.fine.map(() => alloc.int32(count));
      this.cell = this.geometry.fine.map(() => alloc.int32(count));
      this.local = this.geometry.fine.map(() => alloc.float64(count));
      if (this.sorted) {
        this.order = alloc.int32(count);
        this.raw = {
          base: this.geometry.fine.map(() => alloc.int32(count)),
          cell: this.geometry.fine.map(() => alloc.int32(count)),
          local: this.geometry.fine.map(() => alloc.float64(count)),
        };
      }
    }
    this.count = count;
  }

  private args(x: Float64Array, d: number, factor: number) {
    const { fine, width, intervals, degree } = this.geometry;
    const cellSize = (degree + 1) * width;
    const located = this.sorted ? this.raw : this;
    const [base, cell, local] = [located.base[d], located.cell[d], located.local[d]];
    return [x, factor, base, cell, local, this.dim, d, fine[d], width, intervals, cellSize] as const;
  }
}
