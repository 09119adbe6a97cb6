import { checkCount } from '../numeric/checks.js';
import type { Rng } from '../random.js';
import { type PiecewiseLinear, piecewiseLinear } from './piecewise-linear.js';
import type { FrequencyDistribution } from './types.js';
import { mirrored, symmetrize } from './validate.js';

/**
 * One axis of a {@link tabulated} density: nonnegative `values` (not all 0) at increasing `nodes`,
 * or at `support[1] − support[0]` split into values.length − 1 equal cells.
 */
export interface TabulatedAxis {
  readonly values: readonly number[];
  readonly nodes?: readonly number[];
  readonly support?: readonly number[];
}

/**
 * A density given by a table: piecewise linear between the nodes, 0 outside [x_0, x_m], normalised
 * by its exact integral. In 2D (two axes) it is the product of the two tabulated marginals. Sampling
 * is the exact inverse CDF (a quadratic per cell); `kernel` and `sineKernel` are the interpolant's
 * exact characteristic function (a closed form per cell), so k(0) = 1 and nothing aliases.
 * Each error names its field (`values[2]`, `nodes`, `axes[1].support`, …).
 *
 * @example
 * const rho = tabulated({ nodes: [-10, 0, 10], values: [0, 1, 0] }); // the hat on [−10, 10]
 * rho.density([0]); // 0.1
 * rho.cdf?.([-5]); // 0.125
 * tabulated([{ support: [-1, 1], values: [1, 1] }, { support: [0, 2], values: [1, 3] }]).dim; // 2
 */
export function tabulated(axes: TabulatedAxis | readonly TabulatedAxis[]): FrequencyDistribution {
  const list: readonly TabulatedAxis[] = Array.isArray(axes) ? axes : [axes as TabulatedAxis];
  if (list.length !== 1 && list.length !== 2)
    throw new Error(`axes: expected one or two axes (one per dimension), got ${list.length}`);
  const d = list.length as 1 | 2;
  const tables = list.map((axis, a) => tabulatedAxis(axis, d === 1 ? '' : `axes[${a}].`));
  const density = (xi: ArrayLike<number>): number => {
    let p = 1;
    for (let a = 0; a < d; a++) p *= tables[a].density(xi[a]);
    return p;
  };
  const characteristic = (z: ArrayLike<number>): [number, number] => {
    let [re, im] = tables[0].characteristic(z[0]);
    if (d === 2) {
      const [r2, i2] = tables[1].characteristic(z[1]);
      [re, im] = [re * r2 - im * i2, re * i2 + im * r2];
    }
    return [re, im];
  };
  const describe = (t: PiecewiseLinear) =>
    `${t.nodes.length} nodes on [${t.nodes[0]}, ${t.nodes[t.nodes.length - 1]}]`;
  return {
    dim: d,
    name: `tabulated(${tables.map(describe).join(' × ')})`,
    sample(n: number, rng: Rng): Float64Array {
      const out = new Float64Array(checkCount('n', n) * d);
      for (let i = 0; i < out.length; i++) out[i] = tables[i % d].quantile(rng.uniform());
      return out;
    },
    density,
    symmetricDensity: symmetrize(density, d),
    kernel: (z) => characteristic(z)[0],
    sineKernel: (z) => characteristic(z)[1],
    cdf(xi) {
      let p = 1;
      for (let a = 0; a < d; a++) p *= tables[a].cdf(xi[a]);
      return p;
    },
    inverseCdf(u, out, offset = 0) {
      for (let a = 0; a < d; a++) out[offset + a] = tables[a].quantile(u[a]);
    },
    jumps: mirrored(tables.map((t) => [t.nodes[0], t.nodes[t.nodes.length - 1]])),
    peaks: mirrored(tables.map((t) => [t.argmax])),
  };
}

/** Checks one axis (errors prefixed by `path`) and builds its normalised interpolant. */
function tabulatedAxis(axis: TabulatedAxis, path: string): PiecewiseLinear {
  if (typeof axis !== 'object' || axis === null)
    throw new Error(`${path || 'axes'}: expected { values, nodes | support }`);
  const { values, nodes, support } = axis;
  if (!Array.isArray(values) || values.length < 2)
    throw new Error(`${path}values: expected an array of at least 2 numbers ≥ 0, got ${shown(values)}`);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`${path}values[${i}]: expected a finite number ≥ 0, got ${shown(v)}`);
  });
  if (!values.some((v) => v > 0))
    throw new Error(`${path}values: expected at least one value > 0, got all 0`);
  if ((nodes === undefined) === (support === undefined))
    throw new Error(`${path}nodes: expected exactly one of nodes and support`);
  let x: Float64Array;
  if (nodes !== undefined) {
    if (!Array.isArray(nodes) || nodes.length !== values.length)
      throw new Error(
        `${path}nodes: expected ${values.length} nodes (one per value), got ${Array.isArray(nodes) ? nodes.length : shown(nodes)}`,
      );
    nodes.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(`${path}nodes[${i}]: expected a finite number, got ${shown(v)}`);
      if (i > 0 && !(v > nodes[i - 1]))
        throw new Error(
          `${path}nodes[${i}]: expected more than nodes[${i - 1}] = ${nodes[i - 1]} (increasing), got ${v}`,
        );
    });
    x = Float64Array.from(nodes);
  } else {
    if (!Array.isArray(support) || support.length !== 2)
      throw new Error(`${path}support: expected [a, b] with a < b, got ${shown(support)}`);
    const [a, b] = support;
    if (
      typeof a !== 'number' ||
      typeof b !== 'number' ||
      !Number.isFinite(a) ||
      !Number.isFinite(b) ||
      !(b > a)
    )
      throw new Error(`${path}support: expected [a, b] with finite a < b, got ${shown(support)}`);
    const m = values.length - 1;
    x = Float64Array.from({ length: m + 1 }, (_, i) => (i === m ? b : a + ((b - a) * i) / m));
  }
  return piecewiseLinear(x, Float64Array.from(values));
}

function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}
