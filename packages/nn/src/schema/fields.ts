import * as z from 'zod';

/*
 * Field builders shared by every JSON schema of freqbias (nn's specs, compare's config), so that
 * each message reads "expected …" and {@link describeIssue} can format all of them alike.
 */

/** The error option of a zod check: the message `expected <what>`. */
export const expected = (what: string) => ({ error: `expected ${what}` });

/** A finite number (zod rejects NaN and ±Infinity). */
export const finite = () => z.number(expected('a finite number'));
export const positive = () => z.number(expected('a positive number')).positive(expected('a positive number'));
export const nonNegative = () => z.number(expected('a number ≥ 0')).nonnegative(expected('a number ≥ 0'));
export const positiveInt = () =>
  z.int(expected('a positive integer')).positive(expected('a positive integer'));
export const nonNegativeInt = () => z.int(expected('an integer ≥ 0')).nonnegative(expected('an integer ≥ 0'));
export const bool = () => z.boolean(expected('true or false'));
export const nonEmptyString = () =>
  z.string(expected('a non-empty string')).refine((s) => s.trim() !== '', expected('a non-empty string'));
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, expected(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`));
/** 1 or 2: the dimensions freqbias supports. */
export const dimension = () => z.union([z.literal(1), z.literal(2)], expected('1 or 2'));

/**
 * A strict object: an unknown key is an error whose message lists the allowed keys (read by
 * {@link describeIssue}). Getters in `shape` (recursive schemas) are listed without being called.
 *
 * @example
 * strict({ sigma: positive() }).safeParse({ sigma: 1, centre: 2 }).error?.issues[0].message;
 * // 'allowed: sigma'
 */
export function strict<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `allowed: ${Object.keys(shape).join(', ')}` : 'expected an object',
  });
}

/**
 * A discriminated union on `kind`: an unknown or missing kind is an error listing the kinds.
 *
 * @example
 * kinds([strict({ kind: z.literal('a') }), strict({ kind: z.literal('b') })]).safeParse({ kind: 'c' });
 * // issue at ['kind']: 'expected one of "a", "b"'
 */
export function kinds<
  const T extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]],
>(options: T) {
  return z.discriminatedUnion('kind', options, {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return 'expected an object';
      const known = (issue as { options?: unknown[] }).options ?? [];
      return `expected one of ${known.map((k) => JSON.stringify(k)).join(', ')}`;
    },
  });
}
