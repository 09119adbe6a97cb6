import { distributionSpecSchema, operatorSpecSchema, schema, targetSpecSchema } from '@freqbias/nn';
import * as z from 'zod';

/*
 * The experiment config (issue 4): a strict JSON schema (unknown keys are errors, at any depth: the
 * `target` and `distribution` schemas are @freqbias/nn's) and its resolved form with every default
 * filled in. The field builders and the issue format are nn's too, so every message reads alike.
 */

const { bool, expected, nonEmptyString, nonNegative, nonNegativeInt, oneOf, positive, positiveInt, strict } =
  schema;

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
  // how the first-layer w's are drawn: independent samples, or stratified through ρ_w's inverse CDF
  // (jittered strata in 1D, a rotated R2 sequence per axis in 2D; nn's stratifiedSample)
  sampling: oneOf(['random', 'stratified']).default('random'),
});
const deep = strict({
  kind: z.literal('deep'),
  /** Frequencies of the embedding (the DeepFF's `features`). */
  width: widthInt(),
  hiddenLayers: positiveInt().default(3),
  hiddenWidth: positiveInt().default(256),
  activation: oneOf(['tanh', 'relu', 'sin']).default('tanh'),
  trainW: bool().default(true),
  sampling: oneOf(['random', 'stratified']).default('random'),
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

/** The experiment config as JSON: strict (unknown keys are errors at any depth), defaults filled in. */
export const experimentSchema = strict({
  $schema: z.string().optional(),
  // the default output folder is out/<name>: one plain folder name, never a path
  name: nonEmptyString().refine(
    (name) => /^(?!\.\.?$)[^/\\:*?"<>|]{1,120}$/.test(name) && ![...name].some((ch) => ch.charCodeAt(0) < 32),
    expected(
      'a plain name (no "/", "\\", "..", or control characters; at most 120 characters), used as out/<name>',
    ),
  ),
  description: z.string(expected('a string')).default(''),
  grid,
  /** @freqbias/nn's target spec (sines, bumps, expression, image). */
  target: targetSpecSchema,
  /** @freqbias/nn's distribution spec (gaussian, uniformBox, uniformDisk, laplace, cauchy, mixture, expression). */
  distribution: distributionSpecSchema,
  /**
   * Train on L f ≈ s (THEORY.md §7): @freqbias/nn's operator spec, e.g. { kind: 'helmholtz', k: 2 };
   * absent means the identity (plain regression, f ≈ g). The errors compared are then residuals.
   */
  operator: operatorSpecSchema.optional(),
  /**
   * With an operator, what `target` is: the source s of L f ≈ s ('source', the default), or a
   * solution g, from which s = L g is computed spectrally on the grid (see config/operator.ts).
   */
  targetIs: oneOf(['source', 'solution']).optional(),
  network,
  training,
  pde: pde.default({ degree: 1, scheme: 'crankNicolson' }),
  kernel: strict({ enabled: bool().optional() }).default({}),
  comparison: comparison.default({ band: 'auto', threshold: 1e-3, frequencies: [] }),
  claims: z.array(claim, expected('an array of claims')).default([]),
});

/** A config as the schema outputs it, before {@link resolve} completes it. */
export type RawConfig = z.output<typeof experimentSchema>;
/** A frequency as written: ξ in 1D, [ξ1, ξ2] in 2D. */
export type Frequency = z.output<typeof frequency>;
/** A series a claim may name. */
export type Series = z.output<typeof series>[number];

/** A frequency as an array: [ξ] or [ξ1, ξ2]. */
export function asFrequency(f: Frequency): number[] {
  return Array.isArray(f) ? [...f] : [f];
}
