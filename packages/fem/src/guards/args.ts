/**
 * Argument checks shared by the solvers: each throws a one-line error naming the argument, so
 * bad options fail before any long work instead of giving a silent wrong answer or a hang.
 */

/**
 * A positive integer (a count or a limit), at most 2^53 − 1.
 *
 * @example
 * positiveInteger('maxIterations', 500); // 500
 * positiveInteger('maxIterations', 0); // throws: maxIterations: expected a positive integer, got 0
 */
export function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name}: expected a positive integer, got ${String(value)}`);
  return value;
}

/**
 * A relative tolerance in (0, 1).
 *
 * @example
 * relativeTolerance('tolerance', 1e-10); // 1e-10
 * relativeTolerance('tolerance', -1); // throws: tolerance: expected a number in (0, 1) …
 */
export function relativeTolerance(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1))
    throw new Error(
      `${name}: expected a number in (0, 1) (the relative residual at which CG stops), got ${String(value)}`,
    );
  return value;
}

/**
 * A positive finite number.
 *
 * @example
 * positiveFinite('dt', 0.01); // 0.01
 * positiveFinite('dt', Infinity); // throws
 */
export function positiveFinite(name: string, value: unknown, what = 'number'): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    throw new Error(`${name}: expected a positive finite ${what}, got ${String(value)}`);
  return value;
}
