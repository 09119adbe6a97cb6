import { cauchy } from './cauchy.js';
import { expressionDensity } from './expression.js';
import { gaussian } from './gaussian.js';
import { laplace } from './laplace.js';
import { mixture } from './mixture.js';
import { shifted } from './shifted.js';
import type { FrequencyDistribution } from './types.js';
import { uniformBox } from './uniform-box.js';
import { uniformDisk } from './uniform-disk.js';

/** Any distribution may carry a `center`: it is then {@link shifted} there. */
interface Centred {
  readonly center?: number | readonly number[];
}

/**
 * A frequency distribution as plain JSON (the CLI's config). `dim` defaults to the array lengths of
 * the parameters, else to the `dim` passed to {@link distributionFromSpec}, else 1.
 */
export type DistributionSpec =
  | ({
      readonly kind: 'gaussian';
      readonly sigma: number | readonly number[];
      readonly dim?: 1 | 2;
    } & Centred)
  | ({ readonly kind: 'uniformBox'; readonly B: number | readonly number[]; readonly dim?: 1 | 2 } & Centred)
  | ({ readonly kind: 'uniformDisk'; readonly B: number } & Centred)
  | ({ readonly kind: 'laplace'; readonly scale: number | readonly number[]; readonly dim?: 1 | 2 } & Centred)
  | ({ readonly kind: 'cauchy'; readonly gamma: number } & Centred)
  | ({
      readonly kind: 'mixture';
      readonly weights: readonly number[];
      readonly components: readonly DistributionSpec[];
    } & Centred)
  | ({
      readonly kind: 'expression';
      readonly expression: string;
      readonly support: readonly (readonly number[])[];
      readonly dim?: 1 | 2;
      readonly resolution?: number;
    } & Centred);

const kinds = ['gaussian', 'uniformBox', 'uniformDisk', 'laplace', 'cauchy', 'mixture', 'expression'];

/**
 * Builds a distribution from its JSON spec; errors name the offending field by its path
 * (e.g. `components[1].sigma: …`).
 *
 * @example
 * distributionFromSpec({ kind: 'gaussian', sigma: 10 }).kernel([0.1]); // exp(-0.5)
 * distributionFromSpec({
 *   kind: 'mixture',
 *   weights: [1, 1],
 *   components: [{ kind: 'gaussian', sigma: 2, center: -25 }, { kind: 'gaussian', sigma: 2, center: 25 }],
 * }).name; // 'mixture(0.500·shifted(gaussian(σ=2), c=[-25]) + …)'
 */
export function distributionFromSpec(
  spec: DistributionSpec,
  defaults: { dim?: 1 | 2 } = {},
): FrequencyDistribution {
  return build(spec, defaults.dim, '');
}

function build(spec: unknown, dim: 1 | 2 | undefined, path: string): FrequencyDistribution {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new Error(`${path || 'spec'}: expected an object with a "kind", got ${JSON.stringify(spec)}`);
  }
  const s = spec as Record<string, unknown>;
  const field = (name: string) => `${path}${name}`;
  const required = (name: string) => {
    if (s[name] === undefined) throw new Error(`${field(name)}: required for kind "${String(s.kind)}"`);
    return s[name] as never;
  };
  const withPath = <T>(make: () => T): T => {
    try {
      return make();
    } catch (e) {
      const message = (e as Error).message;
      throw new Error(path && !message.startsWith(path) ? `${path}${message}` : message);
    }
  };
  const dimOf = (): 1 | 2 | undefined => (s.dim === undefined ? dim : (s.dim as 1 | 2));
  const perAxisDim = (name: string) => (Array.isArray(s[name]) ? (s.dim as 1 | 2 | undefined) : dimOf());
  let base: FrequencyDistribution;
  switch (s.kind) {
    case 'gaussian':
      base = withPath(() => gaussian(required('sigma'), perAxisDim('sigma')));
      break;
    case 'uniformBox':
      base = withPath(() => uniformBox(required('B'), perAxisDim('B')));
      break;
    case 'uniformDisk':
      base = withPath(() => uniformDisk(required('B')));
      break;
    case 'laplace':
      base = withPath(() => laplace(required('scale'), perAxisDim('scale')));
      break;
    case 'cauchy':
      base = withPath(() => cauchy(required('gamma')));
      break;
    case 'mixture': {
      const components = required('components') as unknown;
      if (!Array.isArray(components)) throw new Error(`${field('components')}: expected an array of specs`);
      const built = components.map((c, k) => build(c, dim, `${field(`components[${k}]`)}.`));
      base = withPath(() => mixture(required('weights'), built));
      break;
    }
    case 'expression':
      base = withPath(() =>
        expressionDensity({
          expression: required('expression'),
          support: required('support'),
          dim: s.dim as 1 | 2 | undefined,
          resolution: s.resolution as number | undefined,
        }),
      );
      break;
    default:
      throw new Error(`${field('kind')}: expected one of ${kinds.join(', ')}, got ${JSON.stringify(s.kind)}`);
  }
  if (s.center === undefined) return base;
  return withPath(() => shifted(base, s.center as number | readonly number[]));
}
