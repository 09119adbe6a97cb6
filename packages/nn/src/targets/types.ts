import type { Grid } from '../grid.js';
import { checkFinite } from '../numeric/checks.js';

/** A target function g (THEORY.md §5.2), evaluated on grids. */
export interface Target {
  /** 1 or 2; undefined when the target adapts to the grid (an expression in x only, for instance). */
  readonly dim: 1 | 2 | undefined;
  /** A short description, e.g. `sines(κ=[3, 10, 25])`. */
  readonly name: string;
  /** g(x_i) at every grid point, in the grid's point order. */
  evaluate(grid: Grid): Float64Array;
}

/** Throws unless the grid has the target's dimension. */
export function checkGridDim(target: { dim: 1 | 2 | undefined; name: string }, grid: Grid): void {
  if (target.dim !== undefined && grid.dim !== target.dim) {
    throw new Error(`grid: ${target.name} is ${target.dim}D but the grid is ${grid.dim}D`);
  }
}

/** exp(−|x|²/(2 s²)) at grid point i: the Gaussian window of THEORY.md §5.2 with width s. */
export function gaussianWindow(grid: Grid, i: number, width: number): number {
  let r2 = 0;
  for (let a = 0; a < grid.dim; a++) r2 += grid.points[i * grid.dim + a] ** 2;
  return Math.exp((-0.5 * r2) / (width * width));
}

/** A list of points given as numbers (1D) or as [x, y] pairs (2D); returns their dimension too. */
export function pointList(name: string, value: unknown): { dim: 1 | 2; points: number[][] } {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${name}: expected a non-empty array`);
  const points = value.map((v, k) => {
    const p = typeof v === 'number' ? [v] : v;
    if (!Array.isArray(p) || (p.length !== 1 && p.length !== 2)) {
      throw new Error(`${name}[${k}]: expected a number or an [x, y] pair, got ${JSON.stringify(v)}`);
    }
    return p.map((c, a) => checkFinite(`${name}[${k}]${p.length > 1 ? `[${a}]` : ''}`, c));
  });
  const dim = points[0].length as 1 | 2;
  points.forEach((p, k) => {
    if (p.length !== dim) throw new Error(`${name}[${k}]: expected ${dim} coordinate(s) like ${name}[0]`);
  });
  return { dim, points };
}

/** An optional per-item list (amplitudes, phases): defaults to `fill`, else must have `count` finite entries. */
export function perItem(name: string, value: unknown, count: number, fill: number): number[] {
  if (value === undefined) return Array<number>(count).fill(fill);
  if (!Array.isArray(value) || value.length !== count) {
    throw new Error(`${name}: expected ${count} numbers (one per item), got ${JSON.stringify(value)}`);
  }
  return value.map((v, k) => checkFinite(`${name}[${k}]`, v));
}
