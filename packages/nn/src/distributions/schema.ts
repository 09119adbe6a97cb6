import * as z from 'zod';
import {
  dimension,
  expected,
  finite,
  kinds,
  nonEmptyString,
  nonNegative,
  positive,
  strict,
} from '../schema/fields.js';
import { MAX_EXPRESSION_RESOLUTION } from './expression.js';

/*
 * The JSON form of a frequency distribution (the CLI's config), strict at every depth: an unknown
 * key is an error listing the allowed ones. {@link DistributionSpec} is derived from it.
 */

const onePerAxis = 'one or two values (one per axis)';
/** One positive number for every axis, or one per axis. */
const perAxis = () =>
  z.union(
    [positive(), z.array(positive()).min(1, expected(onePerAxis)).max(2, expected(onePerAxis)).readonly()],
    expected('a positive number or one per axis'),
  );
/** Any distribution may carry a `center`: it is then shifted there. */
const center = z
  .union(
    [finite(), z.array(finite()).min(1, expected(onePerAxis)).max(2, expected(onePerAxis)).readonly()],
    expected('a number or one per axis'),
  )
  .optional();
const dim = dimension().optional();
const corner = z
  .array(finite(), expected('a corner: one number per axis'))
  .min(1, expected(onePerAxis))
  .max(2, expected(onePerAxis))
  .readonly();

const gaussian = strict({ kind: z.literal('gaussian'), sigma: perAxis(), dim, center });
const uniformBox = strict({ kind: z.literal('uniformBox'), B: perAxis(), dim, center });
const uniformDisk = strict({ kind: z.literal('uniformDisk'), B: positive(), center });
const laplace = strict({ kind: z.literal('laplace'), scale: perAxis(), dim, center });
const cauchy = strict({ kind: z.literal('cauchy'), gamma: positive(), center });

const mixture = strict({
  kind: z.literal('mixture'),
  weights: z
    .array(nonNegative(), expected('an array of weights ≥ 0'))
    .min(1, expected('at least one weight'))
    .readonly(),
  get components(): z.ZodReadonly<z.ZodArray<typeof distributionSpecSchema>> {
    return z
      .array(distributionSpecSchema, expected('an array of distribution specs'))
      .min(1, expected('at least one component'))
      .readonly();
  },
  center,
}).superRefine((s, ctx) => {
  const { weights, components } = s;
  if (weights.length !== components.length)
    ctx.addIssue({
      code: 'custom',
      path: ['weights'],
      message: `expected ${components.length} weight(s), one per component`,
      input: weights,
    });
  else if (!(weights.reduce((t, w) => t + w, 0) > 0))
    ctx.addIssue({ code: 'custom', path: ['weights'], message: 'expected a positive sum', input: weights });
});

const expression = strict({
  kind: z.literal('expression'),
  /** A mathjs expression in `xi` (1D) or `xi1`, `xi2` (2D), ≥ 0 on the support. */
  expression: nonEmptyString(),
  support: z.tuple([corner, corner], expected('[lower corner, upper corner], e.g. [[-40], [40]]')).readonly(),
  dim,
  resolution: z
    .int(expected('an even integer ≥ 2'))
    .min(2, expected('an even integer ≥ 2'))
    .refine((m) => m % 2 === 0, expected('an even integer ≥ 2'))
    .optional(),
  center,
}).superRefine((s, ctx) => {
  const [lower, upper] = s.support;
  const d = s.dim ?? lower.length;
  if (lower.length !== d || upper.length !== d) {
    ctx.addIssue({
      code: 'custom',
      path: ['support'],
      message: `expected corners with ${d} coordinate(s)${s.dim === undefined ? ' each' : ` (dim is ${d})`}`,
      input: s.support,
    });
    return;
  }
  lower.forEach((lo, a) => {
    if (!(upper[a] > lo))
      ctx.addIssue({
        code: 'custom',
        path: ['support', 1, a],
        message: `expected more than the lower corner's ${lo}`,
        input: upper[a],
      });
  });
  const max = MAX_EXPRESSION_RESOLUTION[d as 1 | 2];
  if (s.resolution !== undefined && s.resolution > max)
    ctx.addIssue({
      code: 'custom',
      path: ['resolution'],
      message: `expected at most ${max} for a ${d}D density (the table has (resolution + 1)^${d} nodes)`,
      input: s.resolution,
    });
});

/*
 * A tabulated density: `values` (≥ 0, not all 0) at increasing `nodes`, or on `support` [a, b]
 * split into equal cells; in 2D `axes`, one such table per axis (the product of the marginals).
 */
const tableValues = z
  .array(nonNegative(), expected('an array of values ≥ 0'))
  .min(2, expected('at least 2 values'))
  .readonly();
const tableNodes = z
  .array(finite(), expected('an array of increasing numbers'))
  .min(2, expected('at least 2 nodes'))
  .readonly();
const tableSupport = z.tuple([finite(), finite()], expected('[a, b] with a < b')).readonly();
type TableFields = {
  values?: readonly number[];
  nodes?: readonly number[];
  support?: readonly [number, number];
};
/** The checks of one table that its fields' types cannot express; `at` prefixes the paths. */
function checkTable(t: TableFields, ctx: z.core.$RefinementCtx, at: (string | number)[]) {
  const issue = (path: (string | number)[], message: string, input: unknown) =>
    ctx.addIssue({ code: 'custom', path: [...at, ...path], message, input });
  const { values, nodes, support } = t;
  if (values === undefined) {
    issue(['values'], 'expected an array of values ≥ 0', undefined);
    return;
  }
  if (!values.some((v) => v > 0)) issue(['values'], 'expected at least one value > 0', values);
  if ((nodes === undefined) === (support === undefined)) {
    issue(
      nodes === undefined ? ['support'] : ['nodes'],
      'expected exactly one of nodes and support',
      nodes ?? support,
    );
    return;
  }
  if (nodes !== undefined) {
    if (nodes.length !== values.length)
      issue(['nodes'], `expected ${values.length} nodes (one per value)`, nodes);
    const bad = nodes.findIndex((x, i) => i > 0 && !(x > nodes[i - 1]));
    if (bad > 0)
      issue(
        ['nodes', bad],
        `expected more than nodes[${bad - 1}] = ${nodes[bad - 1]} (increasing)`,
        nodes[bad],
      );
  }
  if (support !== undefined && !(support[1] > support[0]))
    issue(['support'], 'expected [a, b] with a < b', support);
}
const tableAxis = strict({
  values: tableValues,
  nodes: tableNodes.optional(),
  support: tableSupport.optional(),
}).superRefine((t, ctx) => checkTable(t, ctx, []));
const tabulated = strict({
  kind: z.literal('tabulated'),
  values: tableValues.optional(),
  nodes: tableNodes.optional(),
  support: tableSupport.optional(),
  axes: z
    .array(tableAxis, expected('one table { values, nodes | support } per axis'))
    .min(1, expected('one or two tables (one per axis)'))
    .max(2, expected('one or two tables (one per axis)'))
    .readonly()
    .optional(),
  dim,
  center,
}).superRefine((s, ctx) => {
  if (s.axes === undefined) {
    checkTable(s, ctx, []);
    return;
  }
  for (const key of ['values', 'nodes', 'support'] as const)
    if (s[key] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'expected either axes or a single table (values with nodes or support), not both',
        input: s[key],
      });
  if (s.dim !== undefined && s.dim !== s.axes.length)
    ctx.addIssue({
      code: 'custom',
      path: ['dim'],
      message: `expected ${s.axes.length} (one per table of axes)`,
      input: s.dim,
    });
});

/**
 * The schema of a {@link DistributionSpec}: gaussian (`sigma`), uniformBox (`B`), laplace (`scale`)
 * with one parameter for every axis or one per axis and an optional `dim`; uniformDisk (`B`, 2D);
 * cauchy (`gamma`, 1D); mixture (`weights`, `components`, recursively); expression (`expression`,
 * `support`, `dim`, `resolution`); tabulated (`values` with `nodes` or `support`, isotropic in
 * `dim`; or `axes`, one such table per axis). Any of them may carry a `center`. Strict: unknown keys are errors.
 *
 * @example
 * distributionSpecSchema.safeParse({ kind: 'gaussian', sigma: 10, centre: 25 }).success; // false
 */
export const distributionSpecSchema = kinds([
  gaussian,
  uniformBox,
  uniformDisk,
  laplace,
  cauchy,
  mixture,
  expression,
  tabulated,
]);

/**
 * A frequency distribution as plain JSON (the CLI's config), as {@link distributionSpecSchema}
 * accepts it.
 */
export type DistributionSpec = z.input<typeof distributionSpecSchema>;
