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

/** Options of {@link uniformGrid}: `halfWidth` and `n` are one number for every axis or one per axis. */
export interface UniformGridOptions {
  readonly dim: 1 | 2;
  /** X > 0 (or one per axis): the grid covers [−X, X). */
  readonly halfWidth: number | readonly number[];
  /** Points per axis N ≥ 1 (or one per axis). */
  readonly n: number | readonly number[];
}

/**
 * The uniform grid x_i = −X + i h, i = 0..N−1, h = 2X/N per axis (THEORY.md §5.1), centred on 0.
 * In 2D point (i0, i1) has index i0·n[1] + i1.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 4 });
 * // grid.points = [-8, -4, 0, 4], grid.h = [4], grid.cellVolume = 4
 */
export function uniformGrid(options: UniformGridOptions): Grid {
  const { dim } = options;
  if (dim !== 1 && dim !== 2) throw new Error(`dim: expected 1 or 2, got ${dim}`);
  const perAxis = (name: string, value: number | readonly number[]): number[] => {
    const values = typeof value === 'number' ? Array<number>(dim).fill(value) : [...value];
    if (values.length !== dim) throw new Error(`${name}: expected ${dim} values, got ${values.length}`);
    return values;
  };
  const n = perAxis('n', options.n);
  const halfWidth = perAxis('halfWidth', options.halfWidth);
  for (const v of n) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`n: expected an integer ≥ 1, got ${v}`);
  }
  for (const v of halfWidth) {
    if (!Number.isFinite(v) || v <= 0) throw new Error(`halfWidth: expected a finite number > 0, got ${v}`);
  }
  const h = n.map((ni, a) => (2 * halfWidth[a]) / ni);
  const lower = halfWidth.map((x) => -x);
  const size = n.reduce((p, v) => p * v, 1);
  const points = new Float64Array(size * dim);
  if (dim === 1) {
    for (let i = 0; i < n[0]; i++) points[i] = lower[0] + i * h[0];
  } else {
    for (let i0 = 0; i0 < n[0]; i0++) {
      for (let i1 = 0; i1 < n[1]; i1++) {
        const p = 2 * (i0 * n[1] + i1);
        points[p] = lower[0] + i0 * h[0];
        points[p + 1] = lower[1] + i1 * h[1];
      }
    }
  }
  const cellVolume = h.reduce((p, v) => p * v, 1);
  return { dim, n, halfWidth, lower, h, size, cellVolume, points };
}
