import { checkDimension, type SpecDimension } from '../schema/dimension.js';
import { parseOrThrow } from '../schema/issues.js';
import { cauchy } from './cauchy.js';
import { expressionDensity } from './expression.js';
import { gaussian } from './gaussian.js';
import { laplace } from './laplace.js';
import { mixture } from './mixture.js';
import { type DistributionSpec, distributionSpecSchema } from './schema.js';
import { shifted } from './shifted.js';
import { tabulated } from './tabulated.js';
import type { FrequencyDistribution } from './types.js';
import { uniformBox } from './uniform-box.js';
import { uniformDisk } from './uniform-disk.js';

/**
 * The dimension a valid spec fixes, or undefined when it takes any (one isotropic parameter and no
 * `dim`, `center` array or support). The first field that fixes it wins; fields that disagree with
 * it are the constructors' errors.
 *
 * @example
 * distributionDimension({ kind: 'uniformDisk', B: 1 }); // { dim: 2, field: '', reason: 'uniformDisk is 2D' }
 * distributionDimension({ kind: 'gaussian', sigma: 10 }); // undefined
 */
export function distributionDimension(spec: DistributionSpec, path = ''): SpecDimension | undefined {
  const at = (name: string) => (path ? `${path}.${name}` : name);
  const { kind } = spec;
  if ('dim' in spec && spec.dim !== undefined)
    return { dim: spec.dim, field: at('dim'), reason: `dim ${spec.dim} makes ${kind} ${spec.dim}D` };
  const arrayOf = (name: string, value: number | readonly number[]): SpecDimension | undefined => {
    if (typeof value === 'number') return undefined;
    const d = value.length as 1 | 2;
    return { dim: d, field: at(name), reason: `${d} value(s) of ${name} make ${kind} ${d}D` };
  };
  let own: SpecDimension | undefined;
  switch (spec.kind) {
    case 'uniformDisk':
      own = { dim: 2, field: path, reason: 'uniformDisk is 2D' };
      break;
    case 'cauchy':
      own = { dim: 1, field: path, reason: 'cauchy is 1D' };
      break;
    case 'gaussian':
      own = arrayOf('sigma', spec.sigma);
      break;
    case 'uniformBox':
      own = arrayOf('B', spec.B);
      break;
    case 'laplace':
      own = arrayOf('scale', spec.scale);
      break;
    case 'expression': {
      const d = spec.support[0].length as 1 | 2;
      own = { dim: d, field: at('support'), reason: `a support with ${d}-coordinate corners is ${d}D` };
      break;
    }
    case 'tabulated':
      if (spec.axes) {
        const d = spec.axes.length as 1 | 2;
        own = { dim: d, field: at('axes'), reason: `${d} table(s) of axes make tabulated ${d}D` };
      }
      break;
    case 'mixture':
      own = spec.components
        .map((c, k) => distributionDimension(c, at(`components[${k}]`)))
        .find((d) => d !== undefined);
      break;
  }
  return own ?? (spec.center === undefined ? undefined : arrayOf('center', spec.center));
}

/**
 * Builds a distribution from its JSON spec, validated by {@link distributionSpecSchema}; every error
 * names the offending field by its path (e.g. `components[1].sigma: …`, one line per problem).
 * `dim` is the dimension the distribution must have (the grid's); one parameter for every axis is
 * isotropic in it. Without `dim`, the spec's own (array lengths, `dim`, support, center) is used,
 * else 1.
 *
 * @example
 * distributionFromSpec({ kind: 'gaussian', sigma: 10 }).kernel([0.1]); // exp(-0.5)
 * distributionFromSpec({
 *   kind: 'mixture',
 *   weights: [1, 1],
 *   components: [{ kind: 'gaussian', sigma: 2, center: -25 }, { kind: 'gaussian', sigma: 2, center: 25 }],
 * }).name; // 'mixture(0.500·shifted(gaussian(σ=2), c=[-25]) + …)'
 * distributionFromSpec({ kind: 'uniformDisk', B: 1 }, { dim: 1 }); // throws 'kind: uniformDisk is 2D but dim is 1'
 */
export function distributionFromSpec(
  spec: DistributionSpec,
  options: { dim?: 1 | 2 } = {},
): FrequencyDistribution {
  const valid = parseOrThrow(distributionSpecSchema, spec, '(spec)');
  const fixed = distributionDimension(valid);
  checkDimension(fixed, options.dim);
  return build(valid, options.dim ?? fixed?.dim ?? 1, '');
}

/** The distribution of a valid spec whose isotropic parameters are `dim`-dimensional. */
function build(s: DistributionSpec, dim: 1 | 2, path: string): FrequencyDistribution {
  const withPath = <T>(make: () => T): T => {
    try {
      return make();
    } catch (e) {
      const message = (e as Error).message;
      throw new Error(path && !message.startsWith(path) ? `${path}${message}` : message);
    }
  };
  // An array parameter brings its own dimension; a `dim` beside it must agree (the constructors check).
  const own = 'dim' in s ? s.dim : undefined;
  const axes = (value: number | readonly number[]) => (Array.isArray(value) ? own : (own ?? dim));
  let base: FrequencyDistribution;
  switch (s.kind) {
    case 'gaussian':
      base = withPath(() => gaussian(s.sigma, axes(s.sigma)));
      break;
    case 'uniformBox':
      base = withPath(() => uniformBox(s.B, axes(s.B)));
      break;
    case 'uniformDisk':
      base = withPath(() => uniformDisk(s.B));
      break;
    case 'laplace':
      base = withPath(() => laplace(s.scale, axes(s.scale)));
      break;
    case 'cauchy':
      base = withPath(() => cauchy(s.gamma));
      break;
    case 'mixture': {
      const built = s.components.map((c, k) => build(c, dim, `${path}components[${k}].`));
      base = withPath(() => mixture(s.weights, built));
      break;
    }
    case 'tabulated': {
      // one table is isotropic: the same marginal on every axis (a product density)
      const one = { values: s.values ?? [], nodes: s.nodes, support: s.support };
      const tables = s.axes ?? Array.from({ length: own ?? dim }, () => one);
      base = withPath(() => tabulated(tables));
      break;
    }
    case 'expression':
      base = withPath(() =>
        expressionDensity({
          expression: s.expression,
          support: s.support,
          dim: s.dim,
          resolution: s.resolution,
        }),
      );
      break;
  }
  if (s.center === undefined) return base;
  const center = s.center;
  return withPath(() => shifted(base, center));
}
