import type { Grid } from '../grid.js';

/** Throws an error naming `name` unless value is a finite number > 0. */
export function checkPositive(name: string, value: number, hint = ''): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${name}: expected a finite number > 0, got ${value}${hint}`);
  }
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
