import { dirname, resolve } from 'node:path';
import { distributionFromSpec, distributionSpecSchema, schema } from '@freqbias/nn';
import * as z from 'zod';
import { listBundled, readBundledJson } from '../config/bundled.js';
import { ConfigError, type ExperimentConfig, parseConfig } from '../config/index.js';
import { type DensityFamily, freeFamily, mixtureFamily } from './density.js';

/*
 * The design spec (issue 12): an experiment config without `distribution`, plus the `goal` (what the
 * training should do) and the `family` of ρ_w to choose from. The config part is validated by
 * parseConfig itself, with the family's starting guess as its distribution, so its errors read as a
 * config's do; the design part is strict like the rest.
 */

const { expected, positive, positiveInt, strict, oneOf } = schema;

const range = () =>
  z
    .tuple([positive(), positive()], expected('a range [lo, hi] of positive numbers'))
    .refine(([lo, hi]) => lo < hi, expected('a range [lo, hi] with lo < hi'));

const frequency = z.union(
  [z.number(expected('a frequency')), z.tuple([z.number(), z.number()])],
  expected('a frequency ξ or [ξ1, ξ2]'),
);

const goal = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('fastest'),
      /** The goal is the first time the loss falls below this fraction of its start, as early as possible. */
      lossFraction: z
        .number(expected('a number in (0, 1)'))
        .gt(0, expected('a number in (0, 1)'))
        .lt(1, expected('a number in (0, 1)')),
    }),
    strict({
      kind: z.literal('learningTimes'),
      /** The frequencies whose learning times are shaped: a list, or {from, to, count} in 1D. */
      band: z.union(
        [
          z.array(frequency).min(2, expected('at least two frequencies')),
          strict({
            from: z.number(expected('a frequency')),
            to: z.number(expected('a frequency')),
            count: positiveInt().min(2, expected('an integer ≥ 2')),
          }),
        ],
        expected('an array of frequencies or {from, to, count}'),
      ),
      /**
       * The wanted learning times up to a common scale: flat (no bias), decreasing (τ ∝ 1/|ξ|: the
       * bias reversed), increasing (τ ∝ |ξ|), or one positive value per band frequency.
       */
      profile: z
        .union(
          [
            oneOf(['flat', 'decreasing', 'increasing']),
            z.array(positive()).min(2, expected('one positive value per band frequency')),
          ],
          expected('"flat", "decreasing", "increasing" or one positive value per band frequency'),
        )
        .default('flat'),
    }),
  ],
  expected('a goal {kind: "fastest" | "learningTimes", …}'),
);

const family = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('gaussian'),
      /** The range of σ_w searched; in 2D the same σ on both axes unless `anisotropic`. */
      sigma: range(),
      start: positive().optional(),
      anisotropic: z.boolean(expected('true or false')).default(false),
    }),
    strict({ kind: z.literal('uniformBox'), B: range(), start: positive().optional() }),
    strict({ kind: z.literal('laplace'), scale: range(), start: positive().optional() }),
    strict({
      kind: z.literal('mixture'),
      /** Gaussian components, each with its weight, centre and width (optimised by gradients). */
      components: positiveInt().max(8, expected('an integer from 1 to 8')),
      /** The range of every centre coordinate. */
      center: z
        .tuple([z.number(expected('a number')), z.number(expected('a number'))], expected('a range [lo, hi]'))
        .refine(([lo, hi]) => lo < hi, expected('a range [lo, hi] with lo < hi')),
      /** The range of the components' widths (σ of each Gaussian). */
      width: range(),
      start: strict({
        weights: z.array(positive()).optional(),
        centers: z.array(frequency).optional(),
        widths: z.array(positive()).optional(),
      }).optional(),
    }),
    strict({
      kind: z.literal('free'),
      /** B: the density is tabulated on |ξ_a| ≤ B per axis (0 beyond), optimised by gradients. */
      support: positive(),
      /** Cells of the table on [0, B] (cells + 1 free values per axis). */
      cells: positiveInt()
        .min(2, expected('an integer from 2 to 256'))
        .max(256, expected('an integer from 2 to 256'))
        .default(24),
      /**
       * Weight of the table's roughness (mean squared second difference of log ρ) added to the goal,
       * relative to the start's goal value (default 0.1; 0: none): keeps the table from zigzagging
       * where the goal does not see it.
       */
      smoothness: z.number(expected('a number ≥ 0')).nonnegative(expected('a number ≥ 0')).default(0.1),
      /** The starting guess, tabulated (default: a Gaussian with σ = B/4). */
      start: distributionSpecSchema.optional(),
    }),
  ],
  expected('a family {kind: "gaussian" | "uniformBox" | "laplace" | "mixture" | "free", …}'),
);

const search = strict({
  /** Points of the first, coarse scan of each parameter's range (log-spaced). */
  scan: positiveInt().min(3, expected('an integer ≥ 3')).default(9),
  /** Relative tolerance on each parameter of the refinement by golden sections. */
  tolerance: z
    .number(expected('a number in (0, 0.5)'))
    .gt(0, expected('a number in (0, 0.5)'))
    .lt(0.5, expected('a number in (0, 0.5)'))
    .default(0.01),
  /** Rounds over the parameters (coordinate search) for families of more than one parameter. */
  rounds: positiveInt().max(10, expected('an integer from 1 to 10')).default(2),
  /** PDE settings of the search's solves (coarser than the config's to save time); the final prediction uses the config's. */
  pde: strict({
    cellsPerAxis: positiveInt().min(8, expected('an integer ≥ 8')).optional(),
    dt: positive().optional(),
    degree: z.union([z.literal(1), z.literal(2)], expected('1 or 2')).optional(),
  }).default({}),
  /** Times at which the PDE's prediction is output over the run (evenly spaced). */
  outputs: positiveInt().min(50, expected('an integer ≥ 50')).default(400),
  /**
   * Trainings that refine a one-parameter design on the network itself, by golden sections inside
   * the range where the PDE's goal is within `flat` of its best (default 3; 0: the PDE's optimum
   * as it is). The PDE models gradient flow at infinite width; near a flat optimum GD's step and the
   * finite width can move the network's best by a few per cent of the parameter.
   */
  network: z
    .int(expected('an integer from 0 to 20'))
    .min(0, expected('an integer from 0 to 20'))
    .max(20, expected('an integer from 0 to 20'))
    .default(3),
  /** The relative excess of the PDE's goal over its best that still counts as near-optimal (default 3%). */
  flat: z
    .number(expected('a number in (0, 1)'))
    .gt(0, expected('a number in (0, 1)'))
    .lt(1, expected('a number in (0, 1)'))
    .default(0.03),
  /** Iterations (L-BFGS steps) of a gradient-based design (mixture, free) at most. */
  iterations: positiveInt().max(1000, expected('an integer from 1 to 1000')).default(40),
}).default({
  scan: 9,
  tolerance: 0.01,
  rounds: 2,
  pde: {},
  outputs: 400,
  network: 3,
  flat: 0.03,
  iterations: 40,
});

/** The keys of a design spec beyond an experiment config's. */
const DESIGN_KEYS = ['goal', 'family', 'search'] as const;

const designPart = strict({ goal, family, search });

/** A design goal (see the README's "Design"). */
export type DesignGoal = z.output<typeof goal>;
/** A family of ρ_w and the range of its parameter(s). */
export type DesignFamily = z.output<typeof family>;
/** How the PDE is searched. */
export type DesignSearch = z.output<typeof search>;

/** A validated design spec. */
export interface DesignSpec {
  readonly name: string;
  readonly source: string;
  readonly goal: DesignGoal;
  readonly family: DesignFamily;
  readonly search: DesignSearch;
  /** The experiment config with the family's starting guess as its distribution. */
  readonly config: ExperimentConfig;
  /** The config part of the spec as JSON (no distribution): each candidate adds its own. */
  readonly configJson: Record<string, unknown>;
  readonly baseDir: string;
  /** The goal's band as frequencies ([ξ] or [ξ1, ξ2]); for `fastest` none. */
  readonly band: number[][];
}

/** The family's parameters: names (as in the distribution block), ranges and starting values. */
export interface FamilyParameters {
  readonly names: string[];
  readonly lower: number[];
  readonly upper: number[];
  readonly start: number[];
}

/**
 * The parameters a family searches: one (σ, B or scale), or two (σ per axis) for an anisotropic
 * Gaussian in 2D. The start is `start` or the geometric middle of the range.
 *
 * @example
 * familyParameters({ kind: 'gaussian', sigma: [2, 50], anisotropic: false }, 1); // { names: ['sigma'], start: [10], … }
 */
export function familyParameters(f: DesignFamily, dim: 1 | 2): FamilyParameters {
  if (f.kind === 'mixture' || f.kind === 'free')
    throw new Error(`family: a ${f.kind} is designed by gradients (see gradientFamily), not searched`);
  const [lo, hi] = f.kind === 'gaussian' ? f.sigma : f.kind === 'uniformBox' ? f.B : f.scale;
  const start = f.start ?? Math.sqrt(lo * hi);
  const name = f.kind === 'gaussian' ? 'sigma' : f.kind === 'uniformBox' ? 'B' : 'scale';
  const count = f.kind === 'gaussian' && f.anisotropic && dim === 2 ? 2 : 1;
  return {
    names: count === 2 ? [`${name}[0]`, `${name}[1]`] : [name],
    lower: Array(count).fill(lo),
    upper: Array(count).fill(hi),
    start: Array(count).fill(start),
  };
}

/**
 * The distribution block of a family member: usable as-is in a config's `distribution`.
 *
 * @example
 * familyDistribution({ kind: 'gaussian', sigma: [2, 50], anisotropic: false }, [12]); // { kind: 'gaussian', sigma: 12 }
 */
export function familyDistribution(f: DesignFamily, values: readonly number[]): Record<string, unknown> {
  if (f.kind === 'mixture' || f.kind === 'free')
    throw new Error(`family: a ${f.kind}'s members come from gradientFamily`);
  const value = values.length === 1 ? values[0] : [...values];
  if (f.kind === 'gaussian') return { kind: 'gaussian', sigma: value };
  if (f.kind === 'uniformBox') return { kind: 'uniformBox', B: value };
  return { kind: 'laplace', scale: value };
}

/** A family optimised by gradients through the PDE (`mixture`, `free`). */
export type GradientFamilySpec = Extract<DesignFamily, { kind: 'mixture' | 'free' }>;

/** Whether the family is designed by gradients (mixture, free) rather than a parameter search. */
export function isGradientFamily(f: DesignFamily): f is GradientFamilySpec {
  return f.kind === 'mixture' || f.kind === 'free';
}

/**
 * The parametrised density of a `mixture` or `free` family (see density.ts), its start included.
 *
 * @example
 * gradientFamily({ kind: 'free', support: 40, cells: 20 }, 1).distribution(…start); // a tabulated block
 */
export function gradientFamily(f: GradientFamilySpec, dim: 1 | 2): DensityFamily {
  if (f.kind === 'mixture')
    return mixtureFamily({ dim, components: f.components, center: f.center, width: f.width, start: f.start });
  const start = distributionFromSpec(f.start ?? { kind: 'gaussian', sigma: f.support / 4 }, { dim });
  return freeFamily({ dim, support: f.support, cells: f.cells, start: (xi) => start.symmetricDensity(xi) });
}

/** A gradient family's fields checked against the grid and the PDE mesh, before any solve. */
function checkGradientFamily(
  f: GradientFamilySpec,
  dim: 1 | 2,
  pde: { band: number; cells: number },
  fail: (p: string[]) => never,
): void {
  const cell = (2 * pde.band) / pde.cells;
  if (f.kind === 'free') {
    if (f.support > pde.band)
      fail([`family.support: B = ${f.support} reaches beyond the PDE's band Ξ = ${pde.band}; choose B ≤ Ξ`]);
    if (f.support / f.cells < 2 * cell)
      fail([
        `family.cells: the table's cells (B/cells = ${Number((f.support / f.cells).toPrecision(3))}) are narrower than two PDE cells (${Number((2 * cell).toPrecision(3))}); use at most ${Math.floor(f.support / (2 * cell))} cells or a finer search.pde.cellsPerAxis`,
      ]);
    return;
  }
  if (f.width[0] < 2 * cell)
    fail([
      `family.width: the narrowest component (σ = ${f.width[0]}) spans less than two PDE cells (${Number((2 * cell).toPrecision(3))}); raise width[0] or search.pde.cellsPerAxis`,
    ]);
  const st = f.start;
  if (!st) return;
  const n = f.components;
  for (const key of ['weights', 'centers', 'widths'] as const) {
    const list = st[key];
    if (list && list.length !== n)
      fail([`family.start.${key}: expected ${n} entries (one per component), got ${list.length}`]);
  }
  st.centers?.forEach((c, k) => {
    const coords = typeof c === 'number' ? [c] : [...c];
    if (coords.length !== dim)
      fail([
        `family.start.centers[${k}]: expected ${dim === 1 ? 'a number' : 'a pair [ξ1, ξ2]'} (grid.dim is ${dim})`,
      ]);
    if (coords.some((x) => x < f.center[0] || x > f.center[1]))
      fail([
        `family.start.centers[${k}]: outside the family's center range [${f.center[0]}, ${f.center[1]}]`,
      ]);
  });
  st.widths?.forEach((w, k) => {
    if (w < f.width[0] || w > f.width[1])
      fail([
        `family.start.widths[${k}]: ${w} is outside the family's width range [${f.width[0]}, ${f.width[1]}]`,
      ]);
  });
}

/** The goal's band as a list of frequencies, checked against the grid's dimension. */
function goalBand(g: DesignGoal, dim: 1 | 2, fail: (p: string[]) => never): number[][] {
  if (g.kind !== 'learningTimes') return [];
  const band = Array.isArray(g.band)
    ? g.band.map((f) => (typeof f === 'number' ? [f] : [...f]))
    : Array.from({ length: g.band.count }, (_, k) => {
        const { from, to, count } = g.band as { from: number; to: number; count: number };
        return [from + ((to - from) * k) / (count - 1)];
      });
  band.forEach((f, k) => {
    if (f.length !== dim)
      fail([
        `goal.band[${k}]: expected ${dim === 1 ? 'a frequency ξ' : 'a frequency [ξ1, ξ2]'} (grid.dim is ${dim})`,
      ]);
    if (f.every((x) => x === 0))
      fail([`goal.band[${k}]: ξ = 0 has no direction to be learned along; leave it out`]);
  });
  if (Array.isArray(g.profile) && g.profile.length !== band.length)
    fail([`goal.profile: expected ${band.length} values (one per band frequency), got ${g.profile.length}`]);
  return band;
}

/**
 * Validates a design spec (parsed JSON) read from `file`: the design part strictly, the rest as an
 * experiment config with the family's starting guess as its distribution. Errors are one-line
 * {@link ConfigError}s naming the file and the field.
 *
 * @example
 * parseDesignSpec({ ...configWithoutDistribution, goal: { kind: 'fastest', lossFraction: 0.1 },
 *   family: { kind: 'gaussian', sigma: [2, 50] } }, 'spec.json').family.kind; // 'gaussian'
 */
export function parseDesignSpec(json: unknown, file: string): DesignSpec {
  const fail = (problems: string[]): never => {
    throw new ConfigError(file, problems);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail([
      'expected a design spec object: an experiment config without "distribution", plus "goal" and "family"',
    ]);
  const all = json as Record<string, unknown>;
  if ('distribution' in all)
    fail(['distribution: a design spec has none: the family sets it (see "family")']);
  const designJson: Record<string, unknown> = {};
  const configJson: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all))
    ((DESIGN_KEYS as readonly string[]).includes(k) ? designJson : configJson)[k] = v;
  const parsed = designPart.safeParse(designJson, { reportInput: true });
  if (!parsed.success) fail(parsed.error.issues.flatMap((issue) => schema.describeIssue(issue, '(design)')));
  const { goal: g, family: f, search: s } = parsed.data!;
  const dim = (configJson.grid as { dim?: unknown } | undefined)?.dim === 2 ? 2 : 1;
  const baseDir = dirname(resolve(file));
  if (isGradientFamily(f)) {
    let family: DensityFamily;
    try {
      family = gradientFamily(f, dim);
    } catch (error) {
      fail([`family.start: ${(error as Error).message.replace(/^family\.start: /, '')}`]);
    }
    const config = parseConfig({ ...configJson, distribution: family!.distribution(family!.start) }, file, {
      baseDir,
    });
    checkGradientFamily(
      f,
      dim,
      { band: config.pde.band, cells: s.pde.cellsPerAxis ?? config.pde.cellsPerAxis },
      fail,
    );
    return finishSpec(file, g, f, s, config, configJson, baseDir, fail);
  }
  const parameters = familyParameters(f, dim);
  const startValue = f.start;
  if (startValue !== undefined) {
    const [lo, hi] = [parameters.lower[0], parameters.upper[0]];
    if (startValue < lo || startValue > hi)
      fail([`family.start: expected a value in the family's range [${lo}, ${hi}], got ${startValue}`]);
  }
  if (f.kind === 'gaussian' && f.anisotropic && dim === 1)
    fail(['family.anisotropic: a 1D Gaussian has one σ; anisotropic needs grid.dim 2']);
  const config = parseConfig({ ...configJson, distribution: familyDistribution(f, parameters.start) }, file, {
    baseDir,
  });
  return finishSpec(file, g, f, s, config, configJson, baseDir, fail);
}

/** The checks every family shares, and the spec. */
function finishSpec(
  file: string,
  g: DesignGoal,
  f: DesignFamily,
  s: DesignSearch,
  config: ExperimentConfig,
  configJson: Record<string, unknown>,
  baseDir: string,
  fail: (p: string[]) => never,
): DesignSpec {
  if (config.network.kind !== 'twoLayer')
    fail(['network.kind: the PDE that the design searches is the two-layer network\'s; use "twoLayer"']);
  if (!config.pde.enabled) fail(['pde.enabled: the design searches the PDE; it cannot be false']);
  const band = goalBand(g, config.grid.dim, fail);
  return {
    name: config.name,
    source: file,
    goal: g,
    family: f,
    search: s,
    config,
    configJson,
    baseDir,
    band,
  };
}

/**
 * The bundled design specs (experiments/designs/*.json), by name.
 *
 * @example
 * listDesigns().map((d) => d.name); // ['fastest-1d', …]
 */
export function listDesigns(): { name: string; file: string }[] {
  return listBundled('designs');
}

/**
 * Loads a design spec by file path or bundled name and validates it (see {@link parseDesignSpec}).
 *
 * @example
 * loadDesignSpec('fastest-1d').goal.kind; // 'fastest'
 */
export function loadDesignSpec(ref: string): DesignSpec {
  const { file, json } = readBundledJson(ref, 'designs', 'design spec');
  return parseDesignSpec(json, file);
}
