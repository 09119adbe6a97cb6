/** A loop over [from, to) with its arguments: what every thread of a {@link WorkerPool} runs. */
export type LoopFunction = (from: number, to: number, ...args: never[]) => void;

/**
 * A loop that a pool's workers can run: `run` on the calling thread, and `code`, the body of a
 * function returning the same loop, for the workers (compiled once per worker, cached by `key`).
 */
export interface WorkerLoop {
  readonly key: string;
  readonly code: string;
  readonly run: LoopFunction;
}

/**
 * A {@link WorkerLoop} of a plain, type-checked function. It and its `helpers` (the functions it
 * calls) must be self-contained — no imports, no module-level names apart from `Math` and each
 * other — since workers rebuild them from `Function.prototype.toString`.
 *
 * @example
 * function scaleLoop(from: number, to: number, x: Float64Array, c: number): void {
 *   for (let j = from; j < to; j++) x[j] *= c;
 * }
 * const loop = functionLoop(scaleLoop); // pool.run(loop, tasks) or parallelFor(pool, loop, …)
 */
export function functionLoop(
  entry: LoopFunction,
  helpers: readonly ((...args: never[]) => unknown)[] = [],
): WorkerLoop {
  // `__name` is the helper esbuild (tsx, vitest) may insert to keep function names.
  const code = [
    "'use strict';",
    'const __name = (f) => f;',
    ...helpers.map((f) => f.toString()),
    `return (${entry.toString()});`,
  ].join('\n');
  return { key: `function/${entry.name}`, code, run: entry };
}
