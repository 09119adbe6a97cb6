import type { KernelViews } from './float64-kernels.js';

/** The kernels' arrays in shared memory, for width up to `capacity` and one partial slot a thread. */
export interface SharedViews extends KernelViews {
  readonly capacity: number;
}

/** Allocates the shared buffers for width up to `capacity`. */
export function allocateShared(capacity: number, dim: number, size: number, threads: number): SharedViews {
  const f64 = (n: number) => new Float64Array(new SharedArrayBuffer(8 * Math.max(n, 1)));
  return {
    capacity,
    w: f64(capacity * dim),
    a: f64(capacity),
    b: f64(capacity),
    tw: f64(capacity * dim),
    ta: f64(capacity),
    tb: f64(capacity),
    gw: f64(capacity * dim),
    ga: f64(capacity),
    gb: f64(capacity),
    r: f64(size),
    rx: f64(size),
    partial: f64(threads * 2 * size),
  };
}
