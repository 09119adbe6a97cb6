import { functionLoop } from '../parallel/loop.js';
import { parallelFor, type WorkerPool } from '../parallel/pool.js';
import { allocate, sharedInt32 } from '../parallel/shared.js';

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
  /** Whether the arrays go on shared memory (the plan has worker threads). */
  readonly shared: boolean;
}

/**
 * The located points of a NUFFT plan: per axis d, `base[d]`, `cell[d]` and `local[d]` of every point
 * (see {@link locatePoints}), allocated on the first `set` and grown only when more points come,
 * reused by every transform until the next `set`.
 *
 * @example
 * const points = new PointLocation({ fine: [256], width: 12, intervals: 1024, degree: 5, shared: false });
 * points.set(Float64Array.of(0.1, 2.5), 2);
 * points.count; // 2
 */
export class PointLocation {
  /** Number of points of the last `set`. */
  count = 0;
  base: Int32Array[] = [];
  cell: Int32Array[] = [];
  local: Float64Array[] = [];
  private readonly dim: number;

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
  ): Promise<void> {
    this.prepare(x, count, factors);
    for (let d = 0; d < this.dim; d++) {
      const args = this.args(x, d, factors?.[d] ?? 1);
      await parallelFor(pool, locateLoop, count, () => args, [x], minParallelPoints);
    }
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
    return this.geometry.fine.flatMap((_, d) => [this.base[d], this.cell[d], this.local[d]]);
  }

  private prepare(x: Float64Array, count: number, factors: readonly number[] | undefined): void {
    if (!Number.isInteger(count) || count < 0 || count * this.dim > x.length) {
      throw new Error(`count: expected an integer in [0, ${x.length / this.dim}], got ${count}`);
    }
    if (factors && factors.length !== this.dim) {
      throw new Error(`factors: expected ${this.dim} values, got ${factors.length}`);
    }
    if (this.base.length === 0 || this.base[0].length < count) {
      const shared = this.geometry.shared;
      const int32 = (len: number) => (shared ? sharedInt32(len) : new Int32Array(len));
      this.base = this.geometry.fine.map(() => int32(count));
      this.cell = this.geometry.fine.map(() => int32(count));
      this.local = this.geometry.fine.map(() => allocate(count, shared));
    }
    this.count = count;
  }

  private args(x: Float64Array, d: number, factor: number) {
    const { fine, width, intervals, degree } = this.geometry;
    const cellSize = (degree + 1) * width;
    const [base, cell, local] = [this.base[d], this.cell[d], this.local[d]];
    return [x, factor, base, cell, local, this.dim, d, fine[d], width, intervals, cellSize] as const;
  }
}
