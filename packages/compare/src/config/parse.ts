import { dirname } from 'node:path';
import { schema } from '@freqbias/nn';
import { crossCheck } from './checks.js';
import { ConfigError } from './errors.js';
import { type ExperimentConfig, resolve } from './resolve.js';
import { experimentSchema } from './schema.js';

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** The folder relative paths in the config (an image target's) refer to; default: `source`'s. */
  readonly baseDir?: string;
}

/**
 * Validates an experiment config (parsed JSON) and resolves its defaults. Throws a {@link ConfigError}
 * whose message names the source, each offending field path, the value and what is allowed. The
 * distribution and the target are built once here (see `specProblems` in checks.ts), so their errors come
 * before any run too.
 *
 * @example
 * parseConfig({ name: 'x', grid: { dim: 1, halfWidth: 8, n: -4 }, … }, 'x.json');
 * // throws ConfigError: "x.json: grid.n: expected an integer ≥ 4, got -4"
 * parseConfig({ …, grid: { dim: 1, … }, distribution: { kind: 'uniformDisk', B: 10 } }, 'x.json');
 * // throws ConfigError: "x.json: distribution: uniformDisk is 2D but grid.dim is 1"
 */
export function parseConfig(
  json: unknown,
  source = 'config',
  options: ParseConfigOptions = {},
): ExperimentConfig {
  const result = experimentSchema.safeParse(json, { reportInput: true });
  if (!result.success)
    throw new ConfigError(
      source,
      result.error.issues.flatMap((issue) => schema.describeIssue(issue, '(config)')),
    );
  const baseDir = options.baseDir ?? dirname(source);
  const problems = crossCheck(result.data, baseDir);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return resolve(result.data, baseDir);
}
