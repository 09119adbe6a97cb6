import * as z from 'zod';
import { expected, finite, kinds, nonNegativeInt, strict } from '../schema/fields.js';
import { MAX_OPERATOR_ORDER } from './operator.js';

/*
 * The JSON form of a differential operator (the config's `operator` block), strict at every depth:
 * an unknown key is an error listing the allowed ones. {@link OperatorSpec} is derived from it.
 */

const onePerAxis = 'one or two numbers (one per axis)';

const identity = strict({ kind: z.literal('identity') });
const helmholtz = strict({ kind: z.literal('helmholtz'), k: finite() });
const biharmonic = strict({ kind: z.literal('biharmonic') });
const advection = strict({
  kind: z.literal('advection'),
  /** The velocity c, one entry per axis: it fixes the dimension. */
  c: z
    .array(finite(), expected(onePerAxis))
    .min(1, expected(onePerAxis))
    .max(2, expected(onePerAxis))
    .readonly(),
  mu: finite().optional(),
});
const diffusionReaction = strict({ kind: z.literal('diffusionReaction'), kappa: finite(), mu: finite() });
const term = strict({
  coefficient: finite(),
  alpha: z
    .array(nonNegativeInt(), expected('one derivative order per axis, e.g. [2] or [1, 1]'))
    .min(1, expected('one or two orders (one per axis)'))
    .max(2, expected('one or two orders (one per axis)'))
    .readonly(),
});
const polynomial = strict({
  kind: z.literal('polynomial'),
  terms: z
    .array(term, expected('an array of terms { coefficient, alpha }'))
    .min(1, expected('at least one term'))
    .readonly(),
}).superRefine((s, ctx) => {
  const d = s.terms[0].alpha.length;
  s.terms.forEach((t, j) => {
    if (t.alpha.length !== d)
      ctx.addIssue({
        code: 'custom',
        path: ['terms', j, 'alpha'],
        message: `expected ${d} order(s) like terms[0].alpha`,
        input: t.alpha,
      });
    const order = t.alpha.reduce((a, b) => a + b, 0);
    if (order > MAX_OPERATOR_ORDER)
      ctx.addIssue({
        code: 'custom',
        path: ['terms', j, 'alpha'],
        message: `expected a total order |α| ≤ ${MAX_OPERATOR_ORDER}`,
        input: t.alpha,
      });
  });
});

/**
 * Schema of an operator spec: `{ "kind": "helmholtz", "k": 2 }`, `{ "kind": "biharmonic" }`,
 * `{ "kind": "advection", "c": [1, 0], "mu": 0.5 }`, `{ "kind": "diffusionReaction", "kappa": 1, "mu": 2 }`,
 * `{ "kind": "polynomial", "terms": [{ "coefficient": -1, "alpha": [2] }] }` or `{ "kind": "identity" }`.
 */
export const operatorSpecSchema = kinds([
  identity,
  helmholtz,
  biharmonic,
  advection,
  diffusionReaction,
  polynomial,
]);

/** The JSON form of a {@link DifferentialOperator} (see {@link operatorSpecSchema}). */
export type OperatorSpec = z.infer<typeof operatorSpecSchema>;
