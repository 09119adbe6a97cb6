import {
  type DifferentialOperator,
  type OperatorSpec,
  operatorDimension,
  operatorFromSpec,
  schema,
} from '@freqbias/nn';
import type { RawConfig } from './schema.js';

const { show } = schema;

/**
 * Below this fraction of max |p| over the PDE's box the config is refused: @freqbias/fem's
 * operatorFrequencyDynamics refuses such points (its SYMBOL_FLOOR), because the mass 1/|p|² of
 * THEORY.md §7 is (nearly) infinite there. Checked here so the refusal comes before any training.
 */
export const SYMBOL_FLOOR = 1e-6;

/** Samples per axis of the PDE's box for the symbol check: odd, so ξ = 0 is one of them. */
const SAMPLES = { 1: 4001, 2: 401 } as const;

/**
 * The config's operator, or undefined for none (the identity: plain regression).
 *
 * @example
 * configOperator({ …, operator: { kind: 'helmholtz', k: 2 } })?.symbol([3]); // { re: 13, im: 0 }
 */
export function configOperator(c: {
  readonly operator?: OperatorSpec;
  readonly grid: { readonly dim: 1 | 2 };
}): DifferentialOperator | undefined {
  return c.operator === undefined ? undefined : operatorFromSpec(c.operator, { dim: c.grid.dim });
}

/**
 * The checks of `operator` and `targetIs` against the rest of the config, as one line each: the
 * operator's dimension against the grid's, a two-layer network, `targetIs` only with an operator,
 * and — when the PDE runs — no zero of the symbol p on the PDE's box [−Ξ, Ξ]^d (Ξ = `pde.band`, else
 * the grid's Nyquist frequency; with `pde.mesh` the mesh's extent `meshXi`).
 *
 * @example
 * operatorProblems({ …, operator: { kind: 'advection', c: [1] } });
 * // ['operator: |p(ξ)| = 0 at ξ = 0 on the PDE's box [−50.3, 50.3] …']
 */
export function operatorProblems(c: RawConfig, meshXi?: number): string[] {
  const dim = c.grid.dim;
  if (c.operator === undefined) {
    return c.targetIs === undefined
      ? []
      : [
          `targetIs: ${show(c.targetIs)} needs an operator (without one the target is both the source and the solution); remove targetIs or add an operator`,
        ];
  }
  const fixed = operatorDimension(c.operator);
  if (fixed && fixed.dim !== dim)
    return [`operator${fixed.field ? `.${fixed.field}` : ''}: ${fixed.reason} but grid.dim is ${dim}`];
  if (c.network.kind !== 'twoLayer')
    return [
      'operator: only a twoLayer network trains on an operator (L f is closed form for its features); remove operator or use network.kind "twoLayer"',
    ];
  let op: DifferentialOperator;
  try {
    op = operatorFromSpec(c.operator, { dim });
  } catch (error) {
    return (error as Error).message.split('\n').map((line) => `operator.${line}`);
  }
  if (c.pde.enabled === false) return [];
  const halfWidth = Array.isArray(c.grid.halfWidth) ? c.grid.halfWidth : Array(dim).fill(c.grid.halfWidth);
  const n = Array.isArray(c.grid.n) ? c.grid.n : Array(dim).fill(c.grid.n);
  const nyquist = Math.min(...halfWidth.map((X: number, a: number) => (Math.PI * n[a]) / (2 * X)));
  const xi = meshXi ?? c.pde.band ?? nyquist;
  const zero = symbolZero(op, dim, xi);
  if (!zero) return [];
  const at = zero.xi.map((v) => +v.toPrecision(4));
  return [
    `operator: |p(ξ)| = ${+zero.abs.toPrecision(3)} at ξ = ${show(dim === 1 ? at[0] : at)} on the PDE's box [−${+xi.toPrecision(4)}, ${+xi.toPrecision(4)}]^${dim}, below 1e-6 × max |p| = ${+zero.max.toPrecision(3)}: the mass 1/|p|² of the v equation (THEORY.md §7) is infinite there; use an operator without zeros on the box (e.g. k ≠ 0 in helmholtz, mu ≠ 0 in advection) or set pde.enabled false`,
  ];
}

/**
 * The smallest |p| on a sample grid of [−Ξ, Ξ]^d (ξ = 0 included) when it lies below
 * {@link SYMBOL_FLOOR} × max |p| there, else undefined.
 *
 * @example
 * symbolZero(helmholtz(0), 1, 10); // { xi: [0], abs: 0, max: 100 }
 */
export function symbolZero(
  op: DifferentialOperator,
  dim: 1 | 2,
  xi: number,
): { xi: number[]; abs: number; max: number } | undefined {
  const s = SAMPLES[dim];
  const at = (j: number) => -xi + (2 * xi * j) / (s - 1);
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  let where: number[] = [];
  const point = new Float64Array(dim);
  const visit = () => {
    const p = op.symbol(point);
    const a = Math.hypot(p.re, p.im);
    max = Math.max(max, a);
    if (a < min) {
      min = a;
      where = Array.from(point);
    }
  };
  for (let i = 0; i < s; i++) {
    point[0] = at(i);
    if (dim === 1) visit();
    else
      for (let j = 0; j < s; j++) {
        point[1] = at(j);
        visit();
      }
  }
  return min < SYMBOL_FLOOR * max || !(max > 0) ? { xi: where, abs: min, max } : undefined;
}
