import { gaussInterval } from './interval.js';
import { triangleRule } from './triangle.js';
import type { Quadrature } from './types.js';

/**
 * The rule used for elements of degree p: exact to degree 2p + 2 (issue 2), so mass and
 * stiffness with smooth coefficients are integrated well beyond the element's own order.
 *
 * @example
 * cellRule(2, 2).degree; // 6
 */
export function cellRule(dim: 1 | 2, degree: number): Quadrature {
  return dim === 1 ? gaussInterval(2 * degree + 2) : triangleRule(2 * degree + 2);
}
