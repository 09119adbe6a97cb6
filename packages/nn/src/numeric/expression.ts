import { parse } from 'mathjs';

/**
 * A mathjs expression compiled once, the one wrapper of mathjs in nn (expression targets and
 * densities): `expression` must be a non-empty string that parses; the returned function evaluates
 * it in a scope, and both kinds of failure are errors naming the field `expression` (evaluation
 * errors also list `variables`, the names the scope provides).
 *
 * @example
 * const f = compileExpression('x^2 + 1');
 * f({ x: 2 }, 'x'); // 5
 */
export function compileExpression(
  expression: unknown,
): (scope: Record<string, number>, variables: string) => unknown {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new Error(`expression: expected a non-empty string, got ${JSON.stringify(expression)}`);
  }
  let code: { evaluate(scope: Record<string, number>): unknown };
  try {
    code = parse(expression).compile();
  } catch (e) {
    throw new Error(`expression: does not parse: ${(e as Error).message}`);
  }
  return (scope, variables) => {
    try {
      return code.evaluate(scope);
    } catch (e) {
      throw new Error(`expression: cannot evaluate (variables are ${variables}): ${(e as Error).message}`);
    }
  };
}
