import * as z from 'zod';
import { expected, finite, kinds, nonEmptyString, positive, strict } from '../schema/fields.js';

/*
 * The JSON form of a target (the CLI's config), strict at every depth: an unknown key is an error
 * listing the allowed ones. {@link TargetSpec} is derived from it.
 */

/** Points as numbers (1D) or [x, y] pairs (2D), all alike. */
const points = (what: string) =>
  z
    .array(
      z.union(
        [finite(), z.array(finite()).min(1).max(2).readonly()],
        expected('a number (1D) or an [x, y] pair (2D)'),
      ),
      expected(`an array of ${what}`),
    )
    .min(1, expected(`at least one ${what.replace(/s$/, '')}`))
    .readonly()
    .superRefine((list, ctx) => {
      const size = (p: number | readonly number[]) => (typeof p === 'number' ? 1 : p.length);
      list.forEach((p, k) => {
        if (size(p) !== size(list[0]))
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: `expected ${size(list[0])} coordinate(s) like the first`,
            input: p,
          });
      });
    });
const numbers = (what: string) => z.array(finite(), expected(`an array of ${what}`)).readonly();

/** An optional list with one entry per item of `list`. */
function onePerItem(
  ctx: z.core.$RefinementCtx,
  items: readonly unknown[],
  name: string,
  value: readonly unknown[] | number | undefined,
  of: string,
) {
  if (Array.isArray(value) && value.length !== items.length)
    ctx.addIssue({
      code: 'custom',
      path: [name],
      message: `expected ${items.length} value(s), one per ${of}`,
      input: value,
    });
}

const sines = strict({
  kind: z.literal('sines'),
  /** Frequency vectors κ_k. */
  frequencies: points('frequencies'),
  amplitudes: numbers('amplitudes').optional(),
  /** Phases φ_k in radians. */
  phases: numbers('phases').optional(),
  window: positive().optional(),
}).superRefine((s, ctx) => {
  onePerItem(ctx, s.frequencies, 'amplitudes', s.amplitudes, 'frequency');
  onePerItem(ctx, s.frequencies, 'phases', s.phases, 'frequency');
});

const bumps = strict({
  kind: z.literal('bumps'),
  centers: points('centers'),
  widths: z
    .union([positive(), z.array(positive()).readonly()], expected('a positive number or one per bump'))
    .optional(),
  amplitudes: numbers('amplitudes').optional(),
}).superRefine((s, ctx) => {
  onePerItem(ctx, s.centers, 'widths', s.widths, 'center');
  onePerItem(ctx, s.centers, 'amplitudes', s.amplitudes, 'center');
});

const expression = strict({
  kind: z.literal('expression'),
  /** A mathjs expression in `x` (1D) or `x`, `y` (2D). */
  expression: nonEmptyString(),
  window: positive().optional(),
});

const image = strict({
  kind: z.literal('image'),
  /** A PNG file; a relative path is resolved against the caller's `baseDir`. */
  path: nonEmptyString(),
  amplitude: positive().optional(),
  extent: positive().optional(),
  window: z.union([positive(), z.null()], expected('a positive number or null')).optional(),
});

/**
 * The schema of a {@link TargetSpec}: sines (`frequencies`, `amplitudes`, `phases`, `window`),
 * bumps (`centers`, `widths`, `amplitudes`), expression (`expression`, `window`) and image (`path`,
 * `amplitude`, `extent`, `window`). Strict: unknown keys are errors.
 *
 * @example
 * targetSpecSchema.safeParse({ kind: 'sines', frequencies: [3], amplitude: [1] }).success; // false
 */
export const targetSpecSchema = kinds([sines, bumps, expression, image]);

/** A target as plain JSON (the CLI's config), as {@link targetSpecSchema} accepts it. */
export type TargetSpec = z.input<typeof targetSpecSchema>;
