import { float64Array } from '../guards/alloc.js';

/** Options shaping the node positions along one axis. */
export interface AxisOptions {
  /**
   * Concentrate cells near `towards` (a node is put there). `ratio` ≥ 1 is the ratio of the
   * largest to the smallest cell size (1 = uniform). Cell sizes vary smoothly (sinh map).
   */
  grading?: { towards: number; ratio: number };
  /** Coordinates that must be nodes (jumps of the coefficients, THEORY §4). */
  breakpoints?: readonly number[];
  /** Refuse meshes needing more bytes than this (default 4 GiB; `intervalMesh` only). */
  maxMemory?: number;
}

/**
 * Node coordinates of `cells` cells on [a, b], optionally graded towards a point and with nodes
 * moved onto breakpoints.
 *
 * @example
 * axisNodes(0, 1, 4); // Float64Array [0, 0.25, 0.5, 0.75, 1]
 * axisNodes(-1, 1, 4, { breakpoints: [0.3] }); // [-1, -0.5, 0.3, 0.5, 1]
 */
export function axisNodes(
  a: number,
  b: number,
  cells: number,
  options: AxisOptions = {},
  name = 'axis',
): Float64Array {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(b > a))
    throw new Error(`${name}: expected finite bounds with lower < upper, got [${a}, ${b}]`);
  if (!Number.isInteger(cells) || cells < 1)
    throw new Error(`${name}: cells must be a positive integer, got ${cells}`);
  const x = float64Array(cells + 1, `${name}: cells = ${cells}`);
  const g = options.grading;
  if (g === undefined || g.ratio === 1) {
    for (let i = 0; i <= cells; i++) x[i] = a + ((b - a) * i) / cells;
  } else {
    if (!(g.ratio >= 1) || !Number.isFinite(g.towards))
      throw new Error(`${name}.grading: expected ratio ≥ 1 and a finite point, got ${JSON.stringify(g)}`);
    gradedNodes(x, a, b, cells, Math.min(Math.max(g.towards, a), b), Math.acosh(g.ratio));
  }
  x[0] = a;
  x[cells] = b;
  const snapped = new Set<number>();
  for (const bp of options.breakpoints ?? []) snap(x, bp, snapped, name);
  return x;
}

function gradedNodes(x: Float64Array, a: number, b: number, n: number, c: number, beta: number): void {
  // x = c ± L sinh(β s)/sinh(β): spacing grows like cosh(β s), so max/min size = cosh β.
  let nl = Math.round((n * (c - a)) / (b - a));
  if (c > a && c < b) nl = Math.min(Math.max(nl, 1), n - 1);
  const nr = n - nl;
  const sb = Math.sinh(beta);
  for (let i = 0; i <= nl; i++) x[i] = c - (c - a) * (Math.sinh((beta * (nl - i)) / nl) / sb);
  for (let i = 0; i <= nr; i++) x[nl + i] = c + (b - c) * (Math.sinh((beta * i) / nr) / sb);
}

function snap(x: Float64Array, bp: number, snapped: Set<number>, name: string): void {
  const n = x.length - 1;
  if (!Number.isFinite(bp)) throw new Error(`${name}.breakpoints: ${bp} is not a finite number`);
  if (bp <= x[0] || bp >= x[n]) return;
  let j = 0;
  for (let i = 1; i <= n; i++) if (Math.abs(x[i] - bp) < Math.abs(x[j] - bp)) j = i;
  if (x[j] === bp) return;
  // The nearest node stays between its neighbours (cells shrink at most by half) unless it is
  // an end point or already sits on another breakpoint.
  if (j === 0 || j === n || snapped.has(x[j]))
    throw new Error(`${name}.breakpoints: ${bp} is too close to another node or breakpoint; use more cells`);
  x[j] = bp;
  snapped.add(bp);
}
