import type { WorkerLoop } from '../parallel/loop.js';
import { functionLoop } from '../parallel/loop.js';
import { parallelFor, splitThreads, type WorkerPool } from '../parallel/pool.js';
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

/**
 * The bin of each point (row-major over bins of 2^shift padded points per axis, nb1 bins along
 * axis 1; b1 unused in 1D) counted into next[offset + bin + 1], for the points [from, to): pass one of
 * the counting sort of {@link PointLocation}, one count array per thread. Self-contained.
 *
 * @example
 * binCounts(0, count, base0, base1, 2, 4, 19, next, 0);
 */
export function binCounts(
  from: number,
  to: number,
  b0: Int32Array,
  b1: Int32Array,
  dim: number,
  shift: number,
  nb1: number,
  next: Int32Array,
  offset: number,
): void {
  if (dim === 1) {
    for (let j = from; j < to; j++) next[offset + (b0[j] >> shift) + 1]++;
    return;
  }
  for (let j = from; j < to; j++) next[offset + (b0[j] >> shift) * nb1 + (b1[j] >> shift) + 1]++;
}

/**
 * Pass two of the counting sort: the points [from, to) to their sorted positions, next[offset + bin]
 * being the next free position of the bin for this thread; raw located arrays (b, c, l per axis)
 * to the sorted ones (sb, sc, sl), order[position] = point. Self-contained.
 *
 * @example
 * binScatter(0, count, 2, 4, 19, next, 0, order, b0, c0, l0, sb0, sc0, sl0, b1, c1, l1, sb1, sc1, sl1);
 */
export function binScatter(
  from: number,
  to: number,
  dim: number,
  shift: number,
  nb1: number,
  next: Int32Array,
  offset: number,
  order: Int32Array,
  b0: Int32Array,
  c0: Int32Array,
  l0: Float64Array,
  sb0: Int32Array,
  sc0: Int32Array,
  sl0: Float64Array,
  b1: Int32Array,
  c1: Int32Array,
  l1: Float64Array,
  sb1: Int32Array,
  sc1: Int32Array,
  sl1: Float64Array,
): void {
  if (dim === 1) {
    for (let j = from; j < to; j++) {
      const p = next[offset + (b0[j] >> shift)]++;
      order[p] = j;
      sb0[p] = b0[j];
      sc0[p] = c0[j];
      sl0[p] = l0[j];
    }
    return;
  }
  for (let j = from; j < to; j++) {
    const p = next[offset + (b0[j] >> shift) * nb1 + (b1[j] >> shift)]++;
    order[p] = j;
    sb0[p] = b0[j];
    sb1[p] = b1[j];
    sc0[p] = c0[j];
    sc1[p] = c1[j];
    sl0[p] = l0[j];
    sl1[p] = l1[j];
  }
}

const binCountsLoop = functionLoop(binCounts);
const binScatterLoop = functionLoop(binScatter);

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
    await this.sortPointsAsync(pool, minParallelPoints);
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
   * With a pool (async) both passes split over its threads: each counts and places its own slice
   * of the points, positions handed out bin by bin and thread by thread, so the order is the serial one.
   */
  private sortPoints(): void {
    if (!this.sorted) return;
    const sort = this.sortArguments(1);
    binCounts(0, this.count, ...sort.countArgs(0));
    sort.positions([0, this.count]);
    binScatter(0, this.count, ...sort.scatterArgs(0));
  }

  /** {@link sortPoints} split over the pool's threads from minParallelPoints points on. */
  private async sortPointsAsync(pool: WorkerPool | undefined, minParallelPoints: number): Promise<void> {
    if (!this.sorted) return;
    const threads = splitThreads(pool, this.count, this.sortArrays(), minParallelPoints);
    if (threads === 1) return this.sortPoints();
    const sort = this.sortArguments(threads);
    const bounds = await parallelFor(pool, binCountsLoop, this.count, sort.countArgs, this.sortArrays());
    sort.positions(bounds);
    await parallelFor(pool, binScatterLoop, this.count, sort.scatterArgs, this.sortArrays());
  }

  private sortArrays(): (Int32Array | Float64Array)[] {
    const { base: rb, cell: rc, local: rl } = this.raw;
    return [...rb, ...rc, ...rl, ...this.base, ...this.cell, ...this.local, this.order];
  }

  /** The two passes' arguments per thread and the positions between them, for `threads` slices. */
  private sortArguments(threads: number) {
    const { fine, width } = this.geometry;
    const shift = Math.log2(this.geometry.bin ?? 16);
    const bins = fine.map((m) => ((m + 2 * width) >> shift) + 1);
    const total = bins.reduce((p, b) => p * b, 1);
    const nb1 = this.dim === 2 ? bins[1] : 1;
    const stride = total + 1;
    if (this.counts.length < threads * stride) this.counts = this.geometry.allocator.int32(threads * stride);
    const next = this.counts;
    next.fill(0, 0, threads * stride);
    const { base: rb, cell: rc, local: rl } = this.raw;
    const axis = (d: number) => {
      const e = d < this.dim ? d : 0; // 1D: axis 1's arguments are placeholders
      return [rb[e], rc[e], rl[e], this.base[e], this.cell[e], this.local[e]] as const;
    };
    const located = [...axis(0), ...axis(1)] as const;
    const dim = this.dim;
    return {
      countArgs: (t: number) => [rb[0], rb[dim - 1], dim, shift, nb1, next, t * stride] as const,
      /** next[t·stride + k] ← the first position of bin k for the thread of slice t. */
      positions: (bounds: readonly number[]) => {
        let position = 0;
        for (let k = 0; k < total; k++) {
          for (let t = 0; t + 1 < bounds.length; t++) {
            const c = next[t * stride + k + 1];
            next[t * stride + k] = position;
            position += c;
          }
        }
      },
      scatterArgs: (t: number) => [dim, shift, nb1, next, t * stride, this.order, ...located] as const,
    };
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
