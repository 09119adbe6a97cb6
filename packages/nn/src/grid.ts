/**
 * A uniform grid centred on the origin (THEORY.md §5.1): per axis x_i = −X + i h, i = 0..N−1, h = 2X/N.
 *
 * Points are stored flat and point-major (`[x0, y0, x1, y1, …]` in 2D). In 2D the linear index of
 * grid point (i0, i1) is `i0 * n[1] + i1`: axis 0 varies slowest. Every package that reshapes grid
 * values (FFTs, images) relies on this order.
 */
export interface Grid {
  readonly dim: 1 | 2;
  /** Points per axis. */
  readonly n: readonly number[];
  /** Half-width X per axis: the grid covers [−X, X) on each axis. */
  readonly halfWidth: readonly number[];
  /** First grid point per axis (= −X). */
  readonly lower: readonly number[];
  /** Spacing per axis, h = 2X/N. */
  readonly h: readonly number[];
  /** Total number of points, Π n. */
  readonly size: number;
  /** Cell volume h^d: the weight of each point in the Riemann-sum loss (THEORY.md §2). */
  readonly cellVolume: number;
  /** Coordinates, flat and point-major, length size·dim. */
  readonly points: Float64Array;
}
