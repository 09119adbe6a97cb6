import { schema } from '@freqbias/nn';

/*
 * Config paths as a study writes them: dotted keys with array indices, `distribution.components[0].sigma`.
 * `seed` is the one shorthand: a single seed, `training.seeds = [value]` (as `freqbias run --seed`).
 */

/** A path's keys and array indices. */
export type ConfigPath = readonly (string | number)[];

/** The shorthand axis for a single training seed. */
export const SEED = 'seed';

const SYNTAX = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;

/**
 * The keys and indices of a config path, or undefined when it is not one.
 *
 * @example
 * parseConfigPath('distribution.components[1].sigma'); // ['distribution', 'components', 1, 'sigma']
 * parseConfigPath('network..width'); // undefined
 */
export function parseConfigPath(text: string): ConfigPath | undefined {
  if (!SYNTAX.test(text)) return undefined;
  return [...text.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map(
    (m) => (m[1] ?? Number(m[2])) as string | number,
  );
}

/** Where a study path writes in the config, and the value it writes there (`seed` → training.seeds). */
export function configTarget(text: string, value: unknown): { path: ConfigPath; value: unknown } | undefined {
  if (text === SEED) return { path: ['training', 'seeds'], value: [value] };
  const path = parseConfigPath(text);
  return path && { path, value };
}

/**
 * Sets `path` in the JSON `root` (in place), creating missing objects on the way. Returns a problem
 * (a path through a number, past an array's end) or undefined.
 *
 * @example
 * const c = { network: { width: 8 } };
 * setConfigPath(c, ['network', 'width'], 16); // undefined; c.network.width === 16
 * setConfigPath(c, ['network', 'width', 'x'], 1); // 'network.width is a number, not an object'
 */
export function setConfigPath(root: unknown, path: ConfigPath, value: unknown): string | undefined {
  let at = root as Record<string | number, unknown>;
  for (let k = 0; k < path.length; k++) {
    const key = path[k];
    const here = schema.pathText(path.slice(0, k)) || 'the config';
    if (typeof key === 'number') {
      if (!Array.isArray(at)) return `${here} is ${kindOf(at)}, not an array`;
      if (key >= at.length)
        return `${here} has ${at.length} entr${at.length === 1 ? 'y' : 'ies'}, no [${key}]`;
    } else if (at === null || typeof at !== 'object' || Array.isArray(at))
      return `${here} is ${kindOf(at)}, not an object`;
    if (k === path.length - 1) {
      at[key] = structuredClone(value);
      return undefined;
    }
    if (at[key] === undefined && typeof path[k + 1] === 'string') at[key] = {};
    at = at[key] as Record<string | number, unknown>;
  }
  return undefined;
}

/**
 * The value at `path` in `root`, or undefined.
 *
 * @example
 * getConfigPath({ grid: { n: [4, 8] } }, ['grid', 'n', 1]); // 8
 */
export function getConfigPath(root: unknown, path: ConfigPath): unknown {
  let at = root;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Whether path `a` is `b` or lies inside it (segment by segment). */
export function within(a: ConfigPath, b: ConfigPath): boolean {
  return b.length <= a.length && b.every((key, k) => key === a[k]);
}
