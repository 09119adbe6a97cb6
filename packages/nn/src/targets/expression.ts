import type { Grid } from '../grid.js';
import { checkPositive } from '../numeric/checks.js';
import { compileExpression } from '../numeric/expression.js';
import { gaussianWindow, type Target } from './types.js';

/** Options of {@link expressionTarget}. */
export interface ExpressionTargetOptions {
  /** A mathjs expression in `x` (1D) or `x`, `y` (2D), e.g. `exp(-x^2/2) * sin(10 x)`. */
  readonly expression: string;
  /** Width s of an optional Gaussian window exp(−|x|²/(2 s²)) multiplied in (default: none). */
  readonly window?: number;
}

/**
 * A target given as a mathjs expression. Its dimension follows the grid: `x` is the first
 * coordinate, `y` the second (undefined on a 1D grid, so using it there is an error).
 *
 * @example
 * const g = expressionTarget({ expression: 'x^2' });
 * g.evaluate(uniformGrid({ dim: 1, halfWidth: 2, n: 4 })); // [4, 1, 0, 1]
 */
export function expressionTarget(options: ExpressionTargetOptions): Target {
  const { expression } = options;
  const evaluate = compileExpression(expression);
  const s = options.window === undefined ? undefined : checkPositive('window', options.window);
  return {
    dim: undefined,
    name: `expression(${expression})`,
    evaluate(grid: Grid): Float64Array {
      const out = new Float64Array(grid.size);
      const scope: Record<string, number> = {};
      for (let i = 0; i < grid.size; i++) {
        scope.x = grid.points[i * grid.dim];
        if (grid.dim === 2) scope.y = grid.points[i * grid.dim + 1];
        const v = evaluate(scope, grid.dim === 1 ? 'x' : 'x, y');
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new Error(`expression: expected a finite real number, got ${String(v)} at point ${i}`);
        }
        out[i] = s === undefined ? v : v * gaussianWindow(grid, i, s);
      }
      return out;
    },
  };
}
