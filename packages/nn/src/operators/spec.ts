import { checkDimension, type SpecDimension } from '../schema/dimension.js';
import { parseOrThrow } from '../schema/issues.js';
import {
  advection,
  biharmonic,
  type DifferentialOperator,
  diffusionReaction,
  helmholtz,
  identityOperator,
  polynomialOperator,
} from './operator.js';
import { type OperatorSpec, operatorSpecSchema } from './schema.js';

/**
 * The dimension a valid operator spec fixes (advection by its c, polynomial by its α), or undefined
 * for the kinds that read the same in 1D and 2D.
 *
 * @example
 * operatorDimension({ kind: 'advection', c: [1, 0] }); // { dim: 2, field: 'c', … }
 */
export function operatorDimension(spec: OperatorSpec): SpecDimension | undefined {
  if (spec.kind === 'advection') {
    const d = spec.c.length as 1 | 2;
    return { dim: d, field: 'c', reason: `advection with ${d} value(s) of c is ${d}D` };
  }
  if (spec.kind === 'polynomial') {
    const d = spec.terms[0].alpha.length as 1 | 2;
    return { dim: d, field: 'terms', reason: `polynomial with ${d}-entry alpha is ${d}D` };
  }
  return undefined;
}

/**
 * Builds an operator from its JSON spec, validated by {@link operatorSpecSchema} (every error names
 * the field, one line per problem); undefined means the identity. `dim`, when given, must agree
 * with the dimension the spec fixes.
 *
 * @example
 * operatorFromSpec({ kind: 'helmholtz', k: 2 }).symbol([1]); // { re: 5, im: 0 }
 * operatorFromSpec({ kind: 'advection', c: [1, 0] }, { dim: 1 }); // throws 'c: advection with 2 value(s) of c is 2D but dim is 1'
 */
export function operatorFromSpec(
  spec: OperatorSpec | undefined,
  options: { readonly dim?: 1 | 2 } = {},
): DifferentialOperator {
  if (spec === undefined) return identityOperator();
  const s = parseOrThrow(operatorSpecSchema, spec, '(operator)');
  checkDimension(operatorDimension(s), options.dim);
  switch (s.kind) {
    case 'identity':
      return identityOperator();
    case 'helmholtz':
      return helmholtz(s.k);
    case 'biharmonic':
      return biharmonic();
    case 'advection':
      return advection(s.c, s.mu ?? 0);
    case 'diffusionReaction':
      return diffusionReaction(s.kappa, s.mu);
    case 'polynomial':
      return polynomialOperator(s.terms);
  }
}
