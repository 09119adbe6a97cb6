import { intervalP1, intervalP2 } from './interval.js';
import { triangleP1, triangleP2 } from './triangle.js';
import type { Element } from './types.js';

/**
 * The Lagrange element of a given degree on intervals (dim 1) or triangles (dim 2).
 *
 * @example
 * lagrange(2, 2).size; // 6
 */
export function lagrange(dim: 1 | 2, degree: number): Element {
  if (degree !== 1 && degree !== 2) throw new Error(`degree: expected 1 or 2, got ${degree}`);
  if (dim === 1) return degree === 1 ? intervalP1 : intervalP2;
  return degree === 1 ? triangleP1 : triangleP2;
}

export type { Element } from './types.js';
