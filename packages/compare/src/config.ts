import * as z from 'zod';

/*
 * The experiment config (issue 4): a strict JSON schema (unknown keys are errors) and its resolved
 * form with every default filled in. `target` and `distribution` are passed through to @freqbias/nn,
 * which validates them; here they only need a `kind`.
 */

const expected = (what: string) => ({ error: `expected ${what}` });
const positive = () => z.number(expected('a positive number')).positive(expected('a positive number'));
const nonNegative = () => z.number(expected('a number ≥ 0')).nonnegative(expected('a number ≥ 0'));
const positiveInt = () => z.int(expected('a positive integer')).positive(expected('a positive integer'));
const nonNegativeInt = () => z.int(expected('an integer ≥ 0')).nonnegative(expected('an integer ≥ 0'));
const bool = () => z.boolean(expected('true or false'));
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, expected(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`));
const kindString = () => z.string(expected('a non-empty string')).min(1, expected('a non-empty string'));

/** A strict object whose unknown-key error lists the allowed keys. */
function strict<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `allowed: ${Object.keys(shape).join(', ')}` : 'expected an object',
  });
}
function loose<S extends z.ZodRawShape>(shape: S) {
  return z.looseObject(shape, expected('an object'));
}

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

const grid = strict({
  dim: z.union([z.literal(1), z.literal(2)], expected('1 or 2')),
  halfWidth: z.union([positive(), z.array(positive())], expected('a positive number or one per axis')),
  n: z.union([positiveInt(), z.array(positiveInt())], expected('a positive integer or one per axis')),
});

const engine = oneOf(['auto', 'float64', 'nufft', 'tfjs']).default('auto');
const twoLayer = strict({
  kind: z.literal('twoLayer'),
  width: positiveInt(),
  // σ_a is also the spread of a and b at initialisation (THEORY.md §1), so it must be > 0; the
  // diffusion-free case is `trainW: false`
  sigmaA: positive().default(1),
  mirrored: bool().default(true),
  trainW: bool().default(true),
  engine,
});
const deep = strict({
  kind: z.literal('deep'),
  width: positiveInt(),
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
    .union([positiveInt(), z.array(nonNegative())], expected('a count ≥ 2 or an array of times'))
    .default(41),
  seeds: z
    .array(nonNegativeInt(), expected('an array of integers ≥ 0'))
    .min(1, expected('at least one seed'))
    .default([0]),
  optimizer: oneOf(['gd', 'adam']).default('gd'),
});

const pde = strict({
  enabled: bool().optional(),
  band: positive().optional(),
  cellsPerAxis: positiveInt().optional(),
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
  name: kindString(),
  description: z.string(expected('a string')).default(''),
  grid,
  target: loose({ kind: kindString() }),
  distribution: loose({ kind: kindString() }),
  network,
  training,
  pde: pde.default({ degree: 1, scheme: 'crankNicolson' }),
  kernel: strict({ enabled: bool().optional() }).default({}),
  comparison: comparison.default({ band: 'auto', threshold: 1e-3, frequencies: [] }),
  claims: z.array(claim, expected('an array of claims')).default([]),
});

type Frequency = number | [number, number];
type Op = '<=' | '<' | '>=' | '>' | '==';
type Series = 'nn' | 'pde' | 'kernel';

/** A check for the validate script. Frequencies are resolved to arrays ([ξ] or [ξ1, ξ2]). */
export type Claim =
  | { kind: 'metric'; metric: string; op: Op; value: number; description?: string }
  | {
      kind: 'learningTimeRatio';
      numerator: number[];
      denominator: number[];
      op: Op;
      value: number;
      series: Series[];
      description?: string;
    }
  /** Learning times at `frequencies` within `tolerance` of each other: max/min ≤ 1 + tolerance. */
  | {
      kind: 'learningTimesWithin';
      frequencies: number[][];
      tolerance: number;
      series: Series[];
      description?: string;
    }
  /** `first` is learned before `then` (a time not reached counts as longer than the run). */
  | { kind: 'learningOrder'; first: number[]; then: number[]; series: Series[]; description?: string };

/** A validated experiment config with every default resolved. */
export interface ExperimentConfig {
  name: string;
  description: string;
  grid: { dim: 1 | 2; halfWidth: number[]; n: number[] };
  /** Passed to @freqbias/nn's target constructor (windowedSines, gaussianBump, expression, image, …). */
  target: { kind: string; [key: string]: unknown };
  /** Passed to @freqbias/nn's distribution constructor (gaussian, uniformBox, mixture, …). */
  distribution: { kind: string; [key: string]: unknown };
  network:
    | {
        kind: 'twoLayer';
        width: number;
        sigmaA: number;
        mirrored: boolean;
        trainW: boolean;
        engine: 'auto' | 'float64' | 'nufft' | 'tfjs';
      }
    | {
        kind: 'deep';
        width: number;
        hiddenLayers: number;
        hiddenWidth: number;
        activation: 'tanh' | 'relu' | 'sin';
        trainW: boolean;
      };
  /** `snapshots` resolved to ascending times in [0, time]; a count c gives c equally spaced times. */
  training: {
    learningRate: number | 'auto';
    time: number;
    snapshots: number[];
    seeds: number[];
    optimizer: 'gd' | 'adam';
  };
  /** `band` Ξ defaults to the grid's Nyquist frequency min π/h; enabled defaults to (network is twoLayer). */
  pde: {
    enabled: boolean;
    band: number;
    cellsPerAxis: number;
    degree: 1 | 2;
    dt?: number;
    scheme: 'crankNicolson' | 'backwardEuler' | 'bdf2';
  };
  /** The kernel-regime baseline; defaults to enabled for twoLayer networks only (THEORY.md §3 has no deep kernel). */
  kernel: { enabled: boolean };
  comparison: {
    band: 'auto' | number | { lower: number[]; upper: number[] };
    threshold: number;
    frequencies: number[][];
  };
  claims: Claim[];
}

/** An invalid config: `issues` holds one readable line per problem, `message` all of them. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`${source}: ${issues.length === 1 ? issues[0] : `invalid config\n  ${issues.join('\n  ')}`}`);
    this.name = 'ConfigError';
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, key) => (typeof key === 'number' ? `${s}[${key}]` : s ? `${s}.${String(key)}` : String(key)),
    '',
  );
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = pathText(issue.path);
  const message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => `${pathText([...issue.path, key])}: unknown key (${message})`);
  let input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    input = (input as Record<string, unknown> | undefined)?.[issue.discriminator as string];
  }
  const got = input === undefined ? 'but it is missing' : `got ${show(input)}`;
  return [`${path || '(config)'}: ${message}, ${got}`];
}

function asArray(value: number | number[], dim: number): number[] {
  return Array.isArray(value) ? value : Array(dim).fill(value);
}
function asFrequency(f: Frequency): number[] {
  return Array.isArray(f) ? [...f] : [f];
}

/** Checks that involve more than one field; returns readable lines. */
function crossCheck(c: z.output<typeof experiment>): string[] {
  const problems: string[] = [];
  const dim = c.grid.dim;
  for (const key of ['halfWidth', 'n'] as const) {
    const v = c.grid[key];
    if (Array.isArray(v) && v.length !== dim)
      problems.push(`grid.${key}: expected ${dim} value(s) for a ${dim}D grid, got ${show(v)}`);
  }
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

function resolve(c: z.output<typeof experiment>): ExperimentConfig {
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
  const claims: Claim[] = c.claims.map((claim) => {
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
    target: c.target,
    distribution: c.distribution,
    network: c.network,
    training: { ...c.training, snapshots: times },
    pde: {
      ...c.pde,
      enabled: pdeEnabled,
      band: c.pde.band ?? nyquist,
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

/**
 * Validates an experiment config (parsed JSON) and resolves its defaults. Throws a {@link ConfigError}
 * whose message names the source, each offending field path, the value and what is allowed.
 *
 * @example
 * parseConfig({ name: 'x', grid: { dim: 1, halfWidth: 8, n: -4 }, … }, 'x.json');
 * // throws ConfigError: "x.json: grid.n: expected a positive integer, got -4"
 */
export function parseConfig(json: unknown, source = 'config'): ExperimentConfig {
  const result = experiment.safeParse(json, { reportInput: true });
  if (!result.success) throw new ConfigError(source, result.error.issues.flatMap(describeIssue));
  const problems = crossCheck(result.data);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return resolve(result.data);
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
