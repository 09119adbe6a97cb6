import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { type Mesh, readGmsh } from '@freqbias/fem';
import {
  type DistributionSpec,
  distributionDimension,
  distributionFromSpec,
  distributionSpecSchema,
  type SpecDimension,
  schema,
  type TargetSpec,
  targetDimension,
  targetFromSpec,
  targetSpecSchema,
  uniformGrid,
} from '@freqbias/nn';
import * as z from 'zod';

/*
 * The experiment config (issue 4): a strict JSON schema (unknown keys are errors, at any depth: the
 * `target` and `distribution` schemas are @freqbias/nn's) and its resolved form with every default
 * filled in. The field builders and the issue format are nn's too, so every message reads alike.
 */

const {
  bool,
  describeIssue,
  expected,
  nonEmptyString,
  nonNegative,
  nonNegativeInt,
  oneOf,
  positive,
  positiveInt,
  show,
  strict,
} = schema;

/** Limits that keep a config from hanging or exhausting memory before any check at run time. */
export const CONFIG_LIMITS = {
  /** Points per grid axis, at least: coarser grids leave no band to compare (n = 2 gave Infinity). */
  minGridPoints: 4,
  /** Network width (features), at most; @freqbias/nn also refuses parameters above 4 GiB. */
  maxWidth: 2 ** 30,
  /** Snapshots (a count or a list of times), at most: 10^9 exhausted the V8 heap. */
  maxSnapshots: 100_000,
  /** PDE cells per axis, at least. */
  minCellsPerAxis: 8,
} as const;

const intAtLeast = (min: number) =>
  z.int(expected(`an integer ≥ ${min}`)).min(min, expected(`an integer ≥ ${min}`));
const widthInt = () =>
  positiveInt().max(
    CONFIG_LIMITS.maxWidth,
    expected(`a positive integer ≤ 2^30 (${CONFIG_LIMITS.maxWidth})`),
  );

/** A frequency: ξ in 1D, [ξ1, ξ2] in 2D. */
const frequency = z.union(
  [z.number(), z.tuple([z.number(), z.number()])],
  expected('a frequency ξ or [ξ1, ξ2]'),
);
const comparisonOp = oneOf(['<=', '<', '>=', '>', '==']);
const series = z.array(oneOf(['nn', 'pde', 'kernel']), expected('an array of "nn", "pde", "kernel"'));
const box = z.union(
  [
    strict({ lower: z.array(z.number()), upper: z.array(z.number()) }),
    z.tuple([z.array(z.number()), z.array(z.number())]),
  ],
  expected('a box {lower, upper} or [[lo…], [hi…]]'),
);

const gridPoints = intAtLeast(CONFIG_LIMITS.minGridPoints);
const grid = strict({
  dim: schema.dimension(),
  halfWidth: z.union([positive(), z.array(positive())], expected('a positive number or one per axis')),
  n: z.union(
    [gridPoints, z.array(gridPoints)],
    expected(`an integer ≥ ${CONFIG_LIMITS.minGridPoints} or one per axis`),
  ),
});

const engine = oneOf(['auto', 'float64', 'nufft', 'tfjs']).default('auto');
const twoLayer = strict({
  kind: z.literal('twoLayer'),
  width: widthInt(),
  // σ_a is also the spread of a and b at initialisation (THEORY.md §1), so it must be > 0; the
  // diffusion-free case is `trainW: false`
  sigmaA: positive().default(1),
  mirrored: bool().default(true),
  trainW: bool().default(true),
  engine,
});
const deep = strict({
  kind: z.literal('deep'),
  /** Frequencies of the embedding (the DeepFF's `features`). */
  width: widthInt(),
  hiddenLayers: positiveInt().default(3),
  hiddenWidth: positiveInt().default(256),
  activation: oneOf(['tanh', 'relu', 'sin']).default('tanh'),
  trainW: bool().default(true),
});
const network = z.discriminatedUnion('kind', [twoLayer, deep], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'expected one of "twoLayer", "deep"' : 'expected an object',
});

const training = strict({
  learningRate: z
    .union([z.literal('auto'), positive()], expected('"auto" or a positive number'))
    .default('auto'),
  time: positive(),
  snapshots: z
    .union(
      [
        positiveInt().max(CONFIG_LIMITS.maxSnapshots, expected(`a count ≤ ${CONFIG_LIMITS.maxSnapshots}`)),
        z
          .array(nonNegative())
          .max(CONFIG_LIMITS.maxSnapshots, expected(`at most ${CONFIG_LIMITS.maxSnapshots} times`)),
      ],
      expected('a count ≥ 2 or an array of times'),
    )
    .default(41),
  seeds: z
    .array(nonNegativeInt(), expected('an array of integers ≥ 0'))
    .min(1, expected('at least one seed'))
    .default([0]),
  optimizer: oneOf(['gd', 'adam']).default('gd'),
  // how far GD may be from gradient flow (relL2 in the kernel regime); 'auto' lowers η to stay within
  flowTolerance: z
    .number(expected('a number in (0, 1)'))
    .gt(0, expected('a number in (0, 1)'))
    .lt(1, expected('a number in (0, 1)'))
    .default(0.01),
});

const pde = strict({
  enabled: bool().optional(),
  // a Gmsh MSH 4.1 ASCII mesh of the PDE's domain, relative to the config's folder (instead of the
  // box [−Ξ, Ξ]^d with cellsPerAxis cells)
  mesh: z
    .string(expected('a path to a Gmsh MSH 4.1 ASCII file'))
    .min(1, expected('a path to a Gmsh MSH 4.1 ASCII file'))
    .optional(),
  band: positive().optional(),
  cellsPerAxis: intAtLeast(CONFIG_LIMITS.minCellsPerAxis).optional(),
  degree: z.union([z.literal(1), z.literal(2)], expected('1 or 2')).default(1),
  dt: positive().optional(),
  scheme: oneOf(['crankNicolson', 'backwardEuler', 'bdf2']).default('crankNicolson'),
});

const comparison = strict({
  band: z
    .union([z.literal('auto'), positive(), box], expected('"auto", a positive number Ξ or a box'))
    .default('auto'),
  threshold: z
    .number(expected('a number in (0, 1)'))
    .gt(0, expected('a number in (0, 1)'))
    .lt(1, expected('a number in (0, 1)'))
    .default(1e-3),
  frequencies: z.array(frequency, expected('an array of frequencies')).default([]),
});

const claimBase = { description: z.string(expected('a string')).optional() };
const claim = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) ? { ...v, kind: 'metric' } : v),
  z.discriminatedUnion(
    'kind',
    [
      strict({
        kind: z.literal('metric'),
        metric: z
          .string()
          .regex(/^[A-Za-z]\w*(\.\w+)*$/, expected('a dotted metric path like "nnVsPde.max"')),
        op: comparisonOp,
        value: z.number(expected('a number')),
        ...claimBase,
      }),
      strict({
        kind: z.literal('learningTimeRatio'),
        numerator: frequency,
        denominator: frequency,
        op: comparisonOp,
        value: positive(),
        series: series.optional(),
        ...claimBase,
      }),
      strict({
        kind: z.literal('learningTimesWithin'),
        frequencies: z.array(frequency).min(2, expected('at least two frequencies')),
        tolerance: positive(),
        series: series.optional(),
        ...claimBase,
      }),
      strict({
        kind: z.literal('learningOrder'),
        first: frequency,
        // biome-ignore lint/suspicious/noThenProperty: a frequency (never callable), so not a thenable; the name reads as "first … then …"
        then: frequency,
        series: series.optional(),
        ...claimBase,
      }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? 'expected one of "metric" (or no kind), "learningTimeRatio", "learningTimesWithin", "learningOrder"'
          : 'expected an object',
    },
  ),
);

const experiment = strict({
  $schema: z.string().optional(),
  name: nonEmptyString(),
  description: z.string(expected('a string')).default(''),
  grid,
  /** @freqbias/nn's target spec (sines, bumps, expression, image). */
  target: targetSpecSchema,
  /** @freqbias/nn's distribution spec (gaussian, uniformBox, uniformDisk, laplace, cauchy, mixture, expression). */
  distribution: distributionSpecSchema,
  network,
  training,
  pde: pde.default({ degree: 1, scheme: 'crankNicolson' }),
  kernel: strict({ enabled: bool().optional() }).default({}),
  comparison: comparison.default({ band: 'auto', threshold: 1e-3, frequencies: [] }),
  claims: z.array(claim, expected('an array of claims')).default([]),
});

type Raw = z.output<typeof experiment>;
type Frequency = z.output<typeof frequency>;
type Series = z.output<typeof series>[number];

/**
 * A validated experiment config with every default resolved: the schema's output as {@link resolve}
 * completes it. `grid.halfWidth` and `grid.n` hold one value per axis; `training.snapshots` ascending
 * times in [0, time] (a count c gives c equally spaced times); `pde.band` Ξ defaults to the grid's
 * Nyquist frequency min π/h and `pde.enabled`, `kernel.enabled` to (network is twoLayer) (THEORY.md
 * §3 has no deep kernel); frequencies are arrays ([ξ] or [ξ1, ξ2]).
 */
export type ExperimentConfig = ReturnType<typeof resolve>;

/**
 * A check for the validate script, frequencies resolved to arrays: a metric against a value, a ratio
 * of learning times, learning times within `tolerance` of each other (max/min ≤ 1 + tolerance), or
 * `first` learned before `then` (a time not reached counts as longer than the run).
 */
export type Claim = ExperimentConfig['claims'][number];

/** An invalid config: `issues` holds one readable line per problem, `message` all of them. */
export class ConfigError extends Error {
  readonly issues: string[];
  constructor(
    readonly source: string,
    issues: string[],
  ) {
    const merged = mergeTypos(issues);
    const rest = merged.length > 1 ? ` (and ${merged.length - 1} more: ${merged.slice(1).join('; ')})` : '';
    super(`${source}: ${merged[0]}${rest}`);
    this.issues = merged;
    this.name = 'ConfigError';
  }
}

/** Levenshtein distance, for "did you mean" (short keys only). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * A misspelt key gives two issues, "x.scael: unknown key" and "x.scale: … missing"; say it once, as
 * "x.scael: unknown key; did you mean "scale"?", and suggest the nearest allowed key for any unknown one.
 */
function mergeTypos(issues: readonly string[]): string[] {
  const out = [...issues];
  for (let i = 0; i < out.length; i++) {
    const m = /^(.*?)([^.[\]]+): unknown key \(allowed: ([^)]*)\)$/.exec(out[i]);
    if (!m) continue;
    const [, prefix, key, allowed] = m;
    const candidates = allowed
      .split(', ')
      .map((a) => [a, editDistance(key.toLowerCase(), a.toLowerCase())] as const);
    const [best, distance] = candidates.sort((p, q) => p[1] - q[1])[0] ?? ['', Infinity];
    if (!(distance <= (key.length <= 3 ? 1 : 2))) continue;
    out[i] = `${prefix}${key}: unknown key; did you mean ${JSON.stringify(best)}? (allowed: ${allowed})`;
    const missing = out.findIndex(
      (line) => line.startsWith(`${prefix}${best}: `) && line.endsWith('but it is missing'),
    );
    if (missing >= 0) {
      out.splice(missing, 1);
      if (missing < i) i--;
    }
  }
  // the unknown key first: it is the cause, the rest often follows from it
  return out.sort((a, b) => Number(/did you mean/.test(b)) - Number(/did you mean/.test(a)));
}

function asArray(value: number | number[], dim: number): number[] {
  return Array.isArray(value) ? value : Array(dim).fill(value);
}
function asFrequency(f: Frequency): number[] {
  return Array.isArray(f) ? [...f] : [f];
}

/** Checks that involve more than one field; returns readable lines. */
function crossCheck(c: Raw, baseDir: string): string[] {
  const problems: string[] = [];
  const dim = c.grid.dim;
  for (const key of ['halfWidth', 'n'] as const) {
    const v = c.grid[key];
    if (Array.isArray(v) && v.length !== dim)
      problems.push(`grid.${key}: expected ${dim} value(s) for a ${dim}D grid, got ${show(v)}`);
  }
  const gridOk = problems.length === 0;
  problems.push(...specProblems(c, baseDir, gridOk));
  if (c.pde.mesh !== undefined) problems.push(...meshProblems(c, baseDir));
  if (c.network.kind === 'twoLayer' && c.network.mirrored && c.network.width % 2 !== 0)
    problems.push(
      `network.width: expected an even width with mirrored initialisation, got ${c.network.width}`,
    );
  const snaps = c.training.snapshots;
  if (typeof snaps === 'number' && snaps < 2)
    problems.push(`training.snapshots: expected a count ≥ 2 or an array of times, got ${snaps}`);
  if (Array.isArray(snaps)) {
    if (
      snaps.length < 2 ||
      snaps.some((t, j) => j > 0 && !(t > snaps[j - 1])) ||
      snaps.at(-1)! > c.training.time
    )
      problems.push(
        `training.snapshots: expected at least two increasing times within [0, training.time = ${c.training.time}], got ${show(snaps)}`,
      );
  }
  if (c.network.kind === 'deep' && c.pde.enabled)
    problems.push(
      'pde.enabled: expected false for a deep network (the PDE exists for two-layer networks only), got true',
    );
  const checkFrequency = (where: string, f: Frequency) => {
    if (asFrequency(f).length !== dim)
      problems.push(
        `${where}: expected ${dim === 1 ? 'a number ξ' : '[ξ1, ξ2]'} for a ${dim}D grid, got ${show(f)}`,
      );
  };
  c.comparison.frequencies.forEach((f, j) => {
    checkFrequency(`comparison.frequencies[${j}]`, f);
  });
  const band = c.comparison.band;
  if (typeof band === 'object') {
    const [lower, upper] = Array.isArray(band) ? band : [band.lower, band.upper];
    if (lower.length !== dim || upper.length !== dim || lower.some((lo, a) => !(lo < upper[a])))
      problems.push(
        `comparison.band: expected a box with ${dim} coordinate(s) per corner and lower < upper, got ${show(band)}`,
      );
  }
  c.claims.forEach((claim, j) => {
    const where = `claims[${j}]`;
    if (claim.kind === 'learningTimeRatio') {
      checkFrequency(`${where}.numerator`, claim.numerator);
      checkFrequency(`${where}.denominator`, claim.denominator);
    } else if (claim.kind === 'learningTimesWithin') {
      claim.frequencies.forEach((f, k) => {
        checkFrequency(`${where}.frequencies[${k}]`, f);
      });
    } else if (claim.kind === 'learningOrder') {
      checkFrequency(`${where}.first`, claim.first);
      checkFrequency(`${where}.then`, claim.then);
    }
  });
  return problems;
}

/** `field: …` lines of an nn error, with the spec's place in the config in front. */
function under(where: string, error: unknown): string[] {
  return (error as Error).message.split('\n').map((line) => `${where}.${line}`);
}

/** A spec that fixes a dimension other than the grid's: the line naming the field that does. */
function dimensionProblem(where: string, fixed: SpecDimension | undefined, dim: 1 | 2): string[] {
  if (!fixed || fixed.dim === dim) return [];
  return [`${where}${fixed.field ? `.${fixed.field}` : ''}: ${fixed.reason} but grid.dim is ${dim}`];
}

/**
 * The distribution and the target against the grid, then built by @freqbias/nn as the run will build
 * them, so that what only their constructors can tell (a mathjs expression that does not parse, a
 * negative density, an image that is not there) is known before any run. An expression target is
 * also evaluated on a 4-point-per-axis grid of the same extent (undefined variables, non-finite values).
 */
function specProblems(c: Raw, baseDir: string, gridOk: boolean): string[] {
  const dim = c.grid.dim;
  const problems: string[] = [];
  const rho = dimensionProblem('distribution', distributionDimension(c.distribution), dim);
  problems.push(...rho);
  if (rho.length === 0) {
    try {
      distributionFromSpec(c.distribution, { dim });
    } catch (error) {
      problems.push(...under('distribution', error));
    }
  }
  const g = dimensionProblem('target', targetDimension(c.target), dim);
  problems.push(...g);
  if (g.length === 0) {
    try {
      const target = targetFromSpec(c.target, { baseDir, dim });
      if (c.target.kind === 'expression' && gridOk)
        target.evaluate(uniformGrid({ dim, halfWidth: c.grid.halfWidth, n: 4 }));
    } catch (error) {
      problems.push(...under('target', error));
    }
  }
  return problems;
}

/** The absolute path of `pde.mesh`. */
function meshPath(c: Raw, baseDir: string): string {
  const path = c.pde.mesh as string;
  return isAbsolute(path) ? path : resolvePath(baseDir, path);
}

/**
 * Reads a `pde.mesh` file (Gmsh MSH 4.1 ASCII), naming the field and the file in every error.
 *
 * @example
 * loadPdeMesh('meshes/disk.msh'); // a fem Mesh
 */
export function loadPdeMesh(path: string): Mesh {
  if (!existsSync(path)) throw new Error(`pde.mesh: no such file ${path}`);
  if (!statSync(path).isFile()) throw new Error(`pde.mesh: ${path} is not a file`);
  try {
    return readGmsh(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`pde.mesh: ${path}: ${(error as Error).message.replace(/^readGmsh: /, '')}`);
  }
}

function meshProblems(c: Raw, baseDir: string): string[] {
  const problems: string[] = [];
  if (c.pde.cellsPerAxis !== undefined)
    problems.push(
      'pde.cellsPerAxis: not used with pde.mesh (the mesh has its own cells); remove one of them',
    );
  if (c.pde.band !== undefined)
    problems.push('pde.band: not used with pde.mesh (the mesh is the domain); remove one of them');
  try {
    const mesh = loadPdeMesh(meshPath(c, baseDir));
    if (mesh.dim !== c.grid.dim)
      problems.push(`pde.mesh: a ${mesh.dim}D mesh, but grid.dim is ${c.grid.dim}`);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

/** max |ξ_a| over the mesh's points: the half-width of the smallest centred box holding it. */
function meshExtent(mesh: Mesh): number {
  let m = 0;
  for (const v of mesh.points) m = Math.max(m, Math.abs(v));
  return m;
}

/** The config with every default filled in: an {@link ExperimentConfig}. */
function resolve(c: Raw, baseDir: string) {
  const dim = c.grid.dim;
  const halfWidth = asArray(c.grid.halfWidth, dim);
  const n = asArray(c.grid.n, dim);
  const nyquist = Math.min(...halfWidth.map((X, a) => (Math.PI * n[a]) / (2 * X)));
  const twoLayer = c.network.kind === 'twoLayer';
  const snaps = c.training.snapshots;
  const times = Array.isArray(snaps)
    ? [...snaps]
    : Array.from({ length: snaps }, (_, j) =>
        j === snaps - 1 ? c.training.time : (c.training.time * j) / (snaps - 1),
      );
  const pdeEnabled = c.pde.enabled ?? twoLayer;
  const defaultSeries: Series[] = pdeEnabled ? ['nn', 'pde'] : ['nn'];
  const band = c.comparison.band;
  const claims = c.claims.map((claim) => {
    switch (claim.kind) {
      case 'metric':
        return { ...claim };
      case 'learningTimeRatio':
        return {
          ...claim,
          numerator: asFrequency(claim.numerator),
          denominator: asFrequency(claim.denominator),
          series: claim.series ?? defaultSeries,
        };
      case 'learningTimesWithin':
        return {
          ...claim,
          frequencies: claim.frequencies.map(asFrequency),
          series: claim.series ?? defaultSeries,
        };
      default:
        return {
          ...claim,
          first: asFrequency(claim.first),
          // biome-ignore lint/suspicious/noThenProperty: a frequency, not a callable then
          then: asFrequency(claim.then),
          series: claim.series ?? defaultSeries,
        };
    }
  });
  return {
    name: c.name,
    description: c.description,
    grid: { dim, halfWidth, n },
    // nn's spec types by name (the schemas' output is exactly these), so that declarations refer to
    // them instead of unrolling the recursive mixture
    target: c.target as TargetSpec,
    distribution: c.distribution as DistributionSpec,
    network: c.network,
    training: { ...c.training, snapshots: times },
    pde: {
      ...c.pde,
      ...(c.pde.mesh !== undefined ? { mesh: meshPath(c, baseDir) } : {}),
      enabled: pdeEnabled,
      band:
        c.pde.mesh !== undefined ? meshExtent(loadPdeMesh(meshPath(c, baseDir))) : (c.pde.band ?? nyquist),
      cellsPerAxis: c.pde.cellsPerAxis ?? (dim === 1 ? 512 : 64),
    },
    kernel: { enabled: c.kernel.enabled ?? twoLayer },
    comparison: {
      band:
        typeof band === 'object' ? (Array.isArray(band) ? { lower: band[0], upper: band[1] } : band) : band,
      threshold: c.comparison.threshold,
      frequencies: c.comparison.frequencies.map(asFrequency),
    },
    claims,
  };
}

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** The folder relative paths in the config (an image target's) refer to; default: `source`'s. */
  readonly baseDir?: string;
}

/**
 * Validates an experiment config (parsed JSON) and resolves its defaults. Throws a {@link ConfigError}
 * whose message names the source, each offending field path, the value and what is allowed. The
 * distribution and the target are built once here (see {@link specProblems}), so their errors come
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
  const result = experiment.safeParse(json, { reportInput: true });
  if (!result.success)
    throw new ConfigError(
      source,
      result.error.issues.flatMap((issue) => describeIssue(issue, '(config)')),
    );
  const baseDir = options.baseDir ?? dirname(source);
  const problems = crossCheck(result.data, baseDir);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return resolve(result.data, baseDir);
}

/** Command-line overrides applied to raw config JSON before {@link parseConfig}. */
export interface ConfigOverrides {
  seed?: number;
  width?: number;
  time?: number;
}

/**
 * A copy of raw config JSON with CLI overrides applied (`--seed n` → seeds [n], `--width m`,
 * `--time t`; explicit snapshot times beyond t are dropped, keeping t itself).
 *
 * @example
 * parseConfig(withOverrides(json, { width: 256, time: 5 }), 'gaussian-1d');
 */
export function withOverrides(json: unknown, overrides: ConfigOverrides): unknown {
  if (!json || typeof json !== 'object') return json;
  const c = structuredClone(json) as Record<string, Record<string, unknown> | undefined>;
  if (overrides.width !== undefined && c.network) c.network.width = overrides.width;
  if (c.training) {
    if (overrides.seed !== undefined) c.training.seeds = [overrides.seed];
    const t = overrides.time;
    if (t !== undefined) {
      c.training.time = t;
      const snaps = c.training.snapshots;
      if (Array.isArray(snaps)) {
        const kept = snaps.filter((s) => typeof s === 'number' && s < t);
        c.training.snapshots = [...kept, t];
      }
    }
  }
  return c;
}
