import type { Grid } from '../grid.js';

/**
 * The argument checks of nn, one home: each throws an error that names the argument (`name`) and
 * shows the value it got, and returns the value when it passes.
 */

/** A value as errors show it: numbers as JS prints them (NaN, Infinity), the rest as JSON. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

/**
 * Throws an error naming `name` unless value is a finite number > 0 (`hint` is appended).
 *
 * @example
 * checkPositive('sigma', -1); // throws 'sigma: expected a finite number > 0, got -1'
 */
export function checkPositive(name: string, value: unknown, hint = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${name}: expected a finite number > 0, got ${shown(value)}${hint}`);
  }
  return value;
}

/**
 * Throws an error naming `name` unless value is a finite number.
 *
 * @example
 * checkFinite('center[0]', Number.NaN); // throws 'center[0]: expected a finite number, got NaN'
 */
export function checkFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${name}: expected a finite number, got ${shown(value)}`);
  }
  return value;
}

/**
 * Throws an error naming `name` unless value is a dimension, 1 or 2.
 *
 * @example
 * checkDimension('dim', 3); // throws 'dim: expected 1 or 2, got 3'
 */
export function checkDimension(name: string, value: unknown): 1 | 2 {
  if (value !== 1 && value !== 2) throw new Error(`${name}: expected 1 or 2, got ${shown(value)}`);
  return value;
}

/**
 * Throws an error naming `name` unless value is an integer ≥ 0 (a count, e.g. of samples).
 *
 * @example
 * checkCount('n', 2.5); // throws 'n: expected an integer ≥ 0, got 2.5'
 */
export function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name}: expected an integer ≥ 0, got ${shown(value)}`);
  return value;
}

/** Throws unless grid is a grid with at least one point. */
export function checkGrid(grid: Grid): void {
  if (!grid || !Number.isInteger(grid.size) || grid.size < 1 || !grid.points || grid.points.length < 1) {
    throw new Error('grid: expected a grid with at least one point');
  }
}

/** Default of the `maxParameterBytes` option of the models: 4 GiB for one copy of the parameters. */
export const MAX_PARAMETER_BYTES = 2 ** 32;

/** `bytes` in readable units, e.g. `6.0 GiB`. */
function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let k = 0;
  while (bytes >= 1024 && k < units.length - 1) {
    bytes /= 1024;
    k++;
  }
  return `${bytes.toPrecision(k === 0 ? undefined : 2)} ${units[k]}`;
}

/**
 * Throws an error naming `name` when one copy of a model's parameters (`bytes`, from `what`) would
 * exceed `limit` (default {@link MAX_PARAMETER_BYTES}): refused before anything is allocated.
 */
export function checkParameterBytes(name: string, what: string, bytes: number, limit?: number): void {
  const max = limit ?? MAX_PARAMETER_BYTES;
  if (typeof max !== 'number' || !(max > 0)) {
    throw new Error(`maxParameterBytes: expected a positive number, got ${max}`);
  }
  if (bytes > max) {
    throw new Error(
      `${name}: ${what} need ${formatBytes(bytes)} of parameters, above the limit of ${formatBytes(max)} (option maxParameterBytes)`,
    );
  }
}
