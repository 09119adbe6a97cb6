import { isAbsolute, resolve } from 'node:path';
import type { Grid } from '../grid.js';
import { gaussianBumps } from './bumps.js';
import { expressionTarget } from './expression.js';
import { imageTarget } from './image.js';
import { windowedSines } from './sines.js';
import type { Target } from './types.js';

/** A target as plain JSON (the CLI's config). */
export type TargetSpec =
  | {
      readonly kind: 'sines';
      readonly frequencies: readonly number[] | readonly (readonly number[])[];
      readonly amplitudes?: readonly number[];
      readonly phases?: readonly number[];
      readonly window?: number;
    }
  | {
      readonly kind: 'bumps';
      readonly centers: readonly number[] | readonly (readonly number[])[];
      readonly widths?: number | readonly number[];
      readonly amplitudes?: readonly number[];
    }
  | { readonly kind: 'expression'; readonly expression: string; readonly window?: number }
  | {
      readonly kind: 'image';
      readonly path: string;
      readonly amplitude?: number;
      readonly extent?: number;
      readonly window?: number | null;
    };

const kinds = ['sines', 'bumps', 'expression', 'image'];

/**
 * Builds a target from its JSON spec; errors name the field. A relative image `path` is resolved
 * against `baseDir` (default: the working directory).
 *
 * @example
 * const g = targetFromSpec({ kind: 'sines', frequencies: [3, 10, 25], amplitudes: [1, 1, 1] });
 * g.evaluate(uniformGrid({ dim: 1, halfWidth: 8, n: 512 }));
 */
export function targetFromSpec(spec: TargetSpec, options: { baseDir?: string } = {}): Target {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new Error(`target: expected an object with a "kind", got ${JSON.stringify(spec)}`);
  }
  const s = spec as Record<string, unknown>;
  const required = (name: string) => {
    if (s[name] === undefined) throw new Error(`${name}: required for kind "${String(s.kind)}"`);
    return s[name] as never;
  };
  switch (s.kind) {
    case 'sines':
      return windowedSines({
        frequencies: required('frequencies'),
        amplitudes: s.amplitudes as never,
        phases: s.phases as never,
        window: s.window as never,
      });
    case 'bumps':
      return gaussianBumps({
        centers: required('centers'),
        widths: s.widths as never,
        amplitudes: s.amplitudes as never,
      });
    case 'expression':
      return expressionTarget({ expression: required('expression'), window: s.window as never });
    case 'image': {
      const path = required('path') as unknown;
      if (typeof path !== 'string') throw new Error(`path: expected a string, got ${JSON.stringify(path)}`);
      return imageTarget({
        path: isAbsolute(path) ? path : resolve(options.baseDir ?? '.', path),
        amplitude: s.amplitude as never,
        extent: s.extent as never,
        window: s.window as never,
      });
    }
    default:
      throw new Error(`kind: expected one of ${kinds.join(', ')}, got ${JSON.stringify(s.kind)}`);
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
  options: { baseDir?: string } = {},
): Float64Array {
  const t = 'evaluate' in target ? target : targetFromSpec(target, options);
  return t.evaluate(grid);
}
