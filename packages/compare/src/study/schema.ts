import { schema } from '@freqbias/nn';
import * as z from 'zod';

/*
 * The study file (issue 11): a base config, fixed changes to it (`set`), axes of config paths and
 * values, how the axes combine, and the plots of the collected table. Strict like the config schema
 * (an unknown key is an error with a did-you-mean), with nn's field builders so that every message
 * reads alike. What the schema cannot see (config paths, the points' configs, metric names) is
 * checked by loadStudy, with the same one-line errors.
 */

const { expected, nonEmptyString, oneOf, positive, strict } = schema;

/** Limits that keep a study from exhausting memory before anything runs. */
export const STUDY_LIMITS = {
  /** Points of a study, at most (the grid's product is checked before it is expanded). */
  maxPoints: 100_000,
} as const;

const finite = () => z.number(expected('a finite number'));

/** An axis's values: a list, an arithmetic range or a geometric one (both ends included). */
const values = z.union(
  [
    z.array(z.unknown()),
    strict({ from: finite(), to: finite(), step: positive() }),
    strict({
      from: positive(),
      to: positive(),
      factor: z.number(expected('a number > 1')).gt(1, expected('a number > 1')),
    }),
  ],
  expected('an array of values, {from, to, step} or {from, to, factor}'),
);

const axis = strict({
  /** A config path (`network.width`, `distribution.components[0].sigma`) or `seed`. */
  path: nonEmptyString(),
  values,
  /** Names of the values in tables and legends (default: the values themselves). */
  labels: z.array(nonEmptyString(), expected('an array of non-empty strings')).optional(),
});

const scale = oneOf(['auto', 'log', 'linear']).default('auto');
const metricName = nonEmptyString();

const plot = strict({
  /** A column of study.csv (`nnVsPde.max`, `learningTime.nn.25`), a ratio `a / b`, or several. */
  metric: z.union(
    [metricName, z.array(metricName).min(1, expected('at least one metric'))],
    expected('a metric name or an array of them'),
  ),
  /** The axis path on the horizontal axis (numeric values). */
  x: nonEmptyString(),
  /** The band over seeds around their mean: min–max, ±1 standard deviation, or none. */
  band: oneOf(['minmax', 'sd', 'none']).default('minmax'),
  /** `auto`: log–log when x is a width, linear otherwise. */
  xScale: scale,
  yScale: scale,
  title: z.string(expected('a string')).optional(),
});

/** The study file as JSON: strict (unknown keys are errors at any depth), defaults filled in. */
export const studySchema = strict({
  $schema: z.string().optional(),
  // the default output folder is out/<name>, and a point's config is named <name>-<id>
  name: nonEmptyString().refine(
    (name) => /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/.test(name),
    expected('a plain name of letters, digits, ".", "_", "-" (at most 100), used as out/<name>'),
  ),
  description: z.string(expected('a string')).default(''),
  /** A config: a bundled experiment's name, a path relative to the study file, or the config itself. */
  base: z.union(
    [nonEmptyString(), z.record(z.string(), z.unknown())],
    expected('a bundled experiment name, a config file path, or an inline config object'),
  ),
  /** Config paths set to one value in every point (applied before the axes). */
  set: z.record(z.string(), z.unknown(), expected('an object of config paths and values')).default({}),
  axes: z.array(axis, expected('an array of axes')).min(1, expected('at least one axis')),
  /** `grid`: every combination (the last axis varies fastest); `zip`: the i-th values together. */
  combine: oneOf(['grid', 'zip']).default('grid'),
  /** Study plots (default: nnVsPde.max, or the first learning time, against each numeric axis). */
  plots: z.array(plot, expected('an array of plots')).optional(),
});

/** A study file as the schema outputs it. */
export type RawStudy = z.output<typeof studySchema>;
/** One axis as written. */
export type RawAxis = RawStudy['axes'][number];
/** One plot as written, defaults filled in. */
export type PlotSpec = NonNullable<RawStudy['plots']>[number];
