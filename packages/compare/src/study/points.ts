import { STUDY_LIMITS } from './schema.js';

/*
 * The points of a study as combinations of axis values: a grid (every combination, the last axis
 * varying fastest, as nested loops) or a zip (the i-th value of every axis together).
 */

/** The values of an axis as written: a list or a range. */
export type AxisValues =
  | readonly unknown[]
  | { readonly from: number; readonly to: number; readonly step: number }
  | { readonly from: number; readonly to: number; readonly factor: number };

/** Rounds away the last bits of floating-point steps (0.1 + 0.2 → 0.3). */
const tidy = (x: number) => Number(x.toPrecision(12));

/**
 * The values of an axis, a range expanded with both ends included (to within 1e-9 of the range).
 * Returns a problem instead when a range would exceed `max` values.
 *
 * @example
 * axisValues({ from: 1024, to: 16384, factor: 4 }); // [1024, 4096, 16384]
 * axisValues({ from: 0, to: 1, step: 0.25 }); // [0, 0.25, 0.5, 0.75, 1]
 */
export function axisValues(values: AxisValues, max: number = STUDY_LIMITS.maxPoints): unknown[] | string {
  if (Array.isArray(values)) return [...values];
  const range = values as { from: number; to: number; step?: number; factor?: number };
  const { from, to } = range;
  const count =
    range.step !== undefined
      ? Math.floor((to - from) / range.step + 1e-9) + 1
      : Math.floor(Math.log(to / from) / Math.log(range.factor!) + 1e-9) + 1;
  if (!(count >= 1)) return `expected from ≤ to, got from ${from} and to ${to}`;
  if (count > max) return `the range has ${count} values, more than ${max}`;
  return Array.from({ length: count }, (_, k) =>
    tidy(range.step !== undefined ? from + k * range.step : from * range.factor! ** k),
  );
}

/**
 * The value indices of every point: for a grid, every combination (last axis fastest); for a zip,
 * [k, k, …] for each k (all axes must have the same length).
 *
 * @example
 * combine([2, 3], 'grid'); // [[0,0], [0,1], [0,2], [1,0], [1,1], [1,2]]
 * combine([2, 2], 'zip'); // [[0,0], [1,1]]
 */
export function combine(lengths: readonly number[], how: 'grid' | 'zip'): number[][] {
  if (how === 'zip') return Array.from({ length: lengths[0] ?? 0 }, (_, k) => lengths.map(() => k));
  let out: number[][] = [[]];
  for (const n of lengths) out = out.flatMap((prefix) => Array.from({ length: n }, (_, k) => [...prefix, k]));
  return out;
}

/**
 * How a value reads in a table, a legend or a line of progress: numbers and strings as they are,
 * anything else as compact JSON (cut at 40 characters).
 *
 * @example
 * valueText(1024); // '1024'
 * valueText({ kind: 'gaussian', sigma: 10 }); // '{"kind":"gaussian","sigma":10}'
 */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
