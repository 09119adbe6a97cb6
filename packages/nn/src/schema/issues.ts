import type * as z from 'zod';

/** A value as it appears in a message: JSON, cut at 60 characters; NaN and ±Infinity by name. */
export function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A field path as written in messages.
 *
 * @example
 * pathText(['distribution', 'components', 1, 'sigma']); // 'distribution.components[1].sigma'
 */
export function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, key) => (typeof key === 'number' ? `${s}[${key}]` : s ? `${s}.${String(key)}` : String(key)),
    '',
  );
}

/**
 * One readable line per problem of a zod issue: the field path, what is allowed and the value
 * (parse with `{ reportInput: true }` so that the value is known); an unknown key lists the allowed
 * ones. `root` names the path of a value that has none.
 *
 * @example
 * describeIssue(issue); // ['grid.n: expected a positive integer, got -4']
 */
export function describeIssue(issue: z.core.$ZodIssue, root = '(value)'): string[] {
  const path = pathText(issue.path);
  const message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => `${pathText([...issue.path, key])}: unknown key (${message})`);
  let input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    input = (input as Record<string, unknown> | undefined)?.[issue.discriminator as string];
  }
  const got = input === undefined ? 'but it is missing' : `got ${show(input)}`;
  return [`${path || root}: ${message}, ${got}`];
}

/**
 * `value` parsed by `schema`, or an Error with one line per problem (see {@link describeIssue}).
 *
 * @example
 * parseOrThrow(strict({ sigma: positive() }), { sigma: -1 }); // throws 'sigma: expected a positive number, got -1'
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root = '(value)'): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new Error(result.error.issues.flatMap((issue) => describeIssue(issue, root)).join('\n'));
}
