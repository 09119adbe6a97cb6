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
