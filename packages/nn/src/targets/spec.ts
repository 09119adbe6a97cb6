import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Grid } from '../grid.js';
import { checkDimension, type SpecDimension } from '../schema/dimension.js';
import { parseOrThrow } from '../schema/issues.js';
import { gaussianBumps } from './bumps.js';
import { expressionTarget } from './expression.js';
import { imageTarget } from './image.js';
import { type TargetSpec, targetSpecSchema } from './schema.js';
import { windowedSines } from './sines.js';
import type { Target } from './types.js';

/** Options of {@link targetFromSpec}. */
export interface TargetSpecOptions {
  /** The folder a relative image `path` is resolved against (default: the working directory). */
  readonly baseDir?: string;
  /** The dimension the target must have (the grid's); an expression adapts to any. */
  readonly dim?: 1 | 2;
}

/**
 * The dimension a valid target spec fixes, or undefined for an expression (which adapts to the grid).
 *
 * @example
 * targetDimension({ kind: 'sines', frequencies: [[3, 0]] }); // { dim: 2, field: 'frequencies', … }
 */
export function targetDimension(spec: TargetSpec): SpecDimension | undefined {
  const first = (name: string, list: readonly (number | readonly number[])[]): SpecDimension => {
    const d = (typeof list[0] === 'number' ? 1 : list[0].length) as 1 | 2;
    return { dim: d, field: name, reason: `${spec.kind} with ${d}-coordinate ${name} is ${d}D` };
  };
  switch (spec.kind) {
    case 'sines':
      return first('frequencies', spec.frequencies);
    case 'bumps':
      return first('centers', spec.centers);
    case 'image':
      return { dim: 2, field: '', reason: 'image is 2D' };
    case 'expression':
      return undefined;
  }
}

/**
 * Builds a target from its JSON spec, validated by {@link targetSpecSchema}; every error names the
 * field (one line per problem). A relative image `path` is resolved against `baseDir`.
 *
 * @example
 * const g = targetFromSpec({ kind: 'sines', frequencies: [3, 10, 25], amplitudes: [1, 1, 1] });
 * g.evaluate(uniformGrid({ dim: 1, halfWidth: 8, n: 512 }));
 * targetFromSpec({ kind: 'image', path: 'photo.png' }, { dim: 1 }); // throws 'kind: image is 2D but dim is 1'
 */
export function targetFromSpec(spec: TargetSpec, options: TargetSpecOptions = {}): Target {
  const s = parseOrThrow(targetSpecSchema, spec, '(spec)');
  checkDimension(targetDimension(s), options.dim);
  switch (s.kind) {
    case 'sines':
      return windowedSines(s);
    case 'bumps':
      return gaussianBumps(s);
    case 'expression':
      return expressionTarget(s);
    case 'image': {
      const path = isAbsolute(s.path) ? s.path : resolve(options.baseDir ?? '.', s.path);
      if (!existsSync(path)) throw new Error(`path: no such file ${path}`);
      return imageTarget({ ...s, path });
    }
  }
}

/**
 * g(x_i) on a grid, for a target or its spec.
 *
 * @example
 * evaluateTarget({ kind: 'bumps', centers: [0] }, uniformGrid({ dim: 1, halfWidth: 1, n: 2 })); // [e^{-1/2}, 1]
 */
export function evaluateTarget(
  target: Target | TargetSpec,
  grid: Grid,
  options: TargetSpecOptions = {},
): Float64Array {
  const t = 'evaluate' in target ? target : targetFromSpec(target, { dim: grid.dim, ...options });
  return t.evaluate(grid);
}
