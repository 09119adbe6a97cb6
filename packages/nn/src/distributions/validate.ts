import { checkDimension, checkPositive } from '../numeric/checks.js';

/** Helpers shared by the distributions (their argument checks are numeric/checks.ts'). */

/**
 * A per-axis positive parameter given as one number or one per axis; `dim` defaults to the array's
 * length (or 1).
 */
export function axisParameters(
  name: string,
  value: number | readonly number[],
  dim: number | undefined,
): { dim: 1 | 2; values: number[] } {
  if (Array.isArray(value)) {
    const d = checkDimension(`${name} (length)`, value.length);
    if (dim !== undefined && dim !== d) {
      throw new Error(`${name}: expected ${dim} values (dim = ${dim}), got ${value.length}`);
    }
    return { dim: d, values: value.map((v, i) => checkPositive(`${name}[${i}]`, v)) };
  }
  const d = dim === undefined ? 1 : checkDimension('dim', dim);
  const v = checkPositive(name, value);
  return { dim: d, values: Array<number>(d).fill(v) };
}

/** ρ_s(ξ) = (ρ(ξ) + ρ(−ξ))/2 for a density given as a function (THEORY.md §4). */
export function symmetrize(density: (xi: ArrayLike<number>) => number, dim: number) {
  const minus = new Float64Array(dim);
  return (xi: ArrayLike<number>): number => {
    for (let a = 0; a < dim; a++) minus[a] = -xi[a];
    return 0.5 * (density(xi) + density(minus));
  };
}

/** The sorted set {p, −p : p in points} per axis: ρ_s has a feature wherever ρ has one or its mirror. */
export function mirrored(points: readonly (readonly number[])[]): number[][] {
  return points.map((axis) => uniqueSorted(axis.flatMap((p) => [p, -p])));
}

export function uniqueSorted(values: readonly number[]): number[] {
  const sorted = [...values].map((v) => (v === 0 ? 0 : v)).sort((x, y) => x - y);
  return sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
}
