import { functionLoop } from '../parallel/loop.js';

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
