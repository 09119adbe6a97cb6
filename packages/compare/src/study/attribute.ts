import { schema } from '@freqbias/nn';
import { type ConfigPath, parseConfigPath, within } from './config-path.js';

/*
 * A point's config error, said where the study file can be fixed: at the axis path that names an
 * unknown key (`axes[0].path: unknown config path "network.widht"; did you mean "network.width"?`),
 * at the axis value that the config refuses (`axes[0].values[2]: network.width: expected an even
 * width …`), at a `set` entry, at the base config, or, for a combination, at the point.
 */

import { closest } from '../config/errors.js';

export { closest };

/** What {@link attribute} needs to know about the study and the point. */
export interface Attribution {
  /** The paths the study writes: axes (with their index) and `set` entries. */
  readonly targets: readonly {
    readonly where: string;
    readonly text: string;
    readonly path: ConfigPath;
    readonly axis?: number;
  }[];
  /** The error lines of the base config with `set` applied (said as the base's). */
  readonly baseLines: readonly string[];
  /** How the base's errors are introduced: `base.` (inline) or `base (file): `. */
  readonly baseWhere: string;
}

/**
 * One error line of a point's config (`<field>: <problem>`) as a line of the study file.
 *
 * @example
 * attribute('network.widht: unknown key; did you mean "width"? (allowed: kind, width, …)', ctx);
 * // 'axes[0].path: unknown config path "network.widht"; did you mean "network.width"?'
 */
export function attribute(
  line: string,
  ctx: Attribution & {
    readonly index: number;
    readonly choice: readonly number[];
    readonly valueList: string;
  },
): string {
  const colon = line.indexOf(': ');
  const field = colon > 0 ? parseConfigPath(line.slice(0, colon)) : undefined;
  const problem = colon > 0 ? line.slice(colon + 2) : line;
  if (field && /^unknown key/.test(problem)) {
    const target = ctx.targets.find((t) => within(t.path, field));
    if (target) return unknownPath(target, field, problem);
  }
  if (field) {
    const related = ctx.targets
      .filter((t) => within(t.path, field) || within(field, t.path))
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (related)
      return related.axis === undefined
        ? `${related.where}: ${line}`
        : `axes[${related.axis}].values[${ctx.choice[related.axis]}]: ${line}`;
  }
  if (ctx.baseLines.includes(line)) return `${ctx.baseWhere}${line}`;
  return `points[${ctx.index}] (${ctx.valueList}): ${line}`;
}

/** An axis or `set` path with an unknown key: the path, and the nearest allowed one. */
function unknownPath(
  target: { readonly where: string; readonly text: string; readonly path: ConfigPath },
  field: ConfigPath,
  problem: string,
): string {
  const allowed = (/allowed: ([^)]*)\)/.exec(problem)?.[1] ?? '').split(', ').filter(Boolean);
  const at = field.length - 1;
  const key = String(target.path[at]);
  const best = closest(key, allowed);
  const head = `${target.where}: unknown config path ${JSON.stringify(target.text)}`;
  if (best) {
    const fixed = [...target.path.slice(0, at), best, ...target.path.slice(at + 1)];
    return `${head}; did you mean ${JSON.stringify(schema.pathText(fixed))}?`;
  }
  const parent = schema.pathText(target.path.slice(0, at));
  return `${head} (${parent ? `${parent} allows` : 'allowed'}: ${allowed.join(', ')})`;
}
