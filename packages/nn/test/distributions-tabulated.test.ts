import { describe, expect, it } from 'vitest';
import {
  cauchy,
  distributionFromSpec,
  distributionSpecSchema,
  type FrequencyDistribution,
  gaussian,
  laplace,
  mixture,
  normalCdf,
  normalQuantile,
  shifted,
  tabulated,
  uniformBox,
} from '../src/distributions/index.js';
import { createRng } from '../src/random.js';
import { parseOrThrow } from '../src/schema/issues.js';
import { ksStatistic, simpson1d, tabulatedCdf } from './helpers/quadrature.js';

/** The KS critical value at level α = 0.01 for n samples (asymptotic, c(α) = 1.628). */
const ks01 = (n: number) => 1.628 / Math.sqrt(n);
const N = 100_000;

/** Test shapes: a hat, a non-uniform table with a zero gap (two modes), a steep ramp, a Gaussian table. */
const shapes: [string, { nodes?: number[]; support?: number[]; values: number[] }][] = [
  ['hat on [−10, 10]', { nodes: [-10, 0, 10], values: [0, 1, 0] }],
  [
    'two modes with a gap, uneven nodes',
    { nodes: [-30, -22, -20, -5, 4, 5, 17], values: [0, 3, 1, 0, 0, 2, 0.5] },
  ],
  ['steep ramp', { support: [0, 1], values: [0, 0, 0, 0.001, 50] }],
  [
    'Gaussian values on a uniform table',
    {
      support: [-40, 40],
      values: Array.from({ length: 161 }, (_, i) => Math.exp(-0.5 * ((-40 + i / 2) / 10) ** 2)),
    },
  ],
];

/** The exact integral of x^p ρ over each cell by Simpson's rule (exact: x^p times a line is a cubic for p ≤ 2). */
function moment(rho: FrequencyDistribution, nodes: number[], p: number): number {
  let s = 0;
  for (let i = 0; i + 1 < nodes.length; i++) {
    const [a, b] = [nodes[i], nodes[i + 1]];
    const f = (x: number) => x ** p * rho.density([Math.min(b, Math.max(a, x))]);
    // one-sided ends: the density is continuous inside a cell
    s += ((b - a) / 6) * (f(a) + 4 * f(0.5 * (a + b)) + f(b));
  }
  return s;
}

const nodesOf = (t: { nodes?: number[]; support?: number[]; values: number[] }) =>
  t.nodes ??
  t.values.map(
    (_, i) =>
      (t.support as number[])[0] +
      (i * ((t.support as number[])[1] - (t.support as number[])[0])) / (t.values.length - 1),
  );

describe('tabulated: inverse-CDF samples follow the density (KS, 10^5 samples, α = 0.01)', () => {
  for (const [name, table] of shapes) {
    it(name, () => {
      const rho = tabulated(table);
      const nodes = nodesOf(table);
      const [a, b] = [nodes[0], nodes[nodes.length - 1]];
      // the exact CDF agrees with an independent one (trapezoid of the density on a fine grid)
      const independent = tabulatedCdf((x) => rho.density([x]), a, b, 400_000);
      for (let k = 0; k <= 50; k++) {
        const x = a + ((b - a) * k) / 50;
        expect(Math.abs((rho.cdf as (x: number[]) => number)([x]) - independent(x))).toBeLessThan(1e-6);
      }
      const samples = rho.sample(N, createRng(7));
      expect(samples.every((w) => w >= a && w <= b)).toBe(true);
      expect(ksStatistic(samples, (x) => (rho.cdf as (x: number[]) => number)([x]))).toBeLessThan(ks01(N));
    });
  }
  it('the KS test can fail: hat samples against the hat shifted by 0.2 (2% of its width)', () => {
    const samples = tabulated(shapes[0][1]).sample(N, createRng(8));
    const wrong = tabulated({ nodes: [-9.8, 0.2, 10.2], values: [0, 1, 0] });
    expect(ksStatistic(samples, (x) => (wrong.cdf as (x: number[]) => number)([x]))).toBeGreaterThan(ks01(N));
  });
  it('the hat CDF in closed form: F(x) = (x + 10)²/200 on [−10, 0]', () => {
    const rho = tabulated(shapes[0][1]);
    for (const x of [-10, -7.5, -3, 0]) expect(rho.cdf?.([x])).toBeCloseTo((x + 10) ** 2 / 200, 14);
    for (const u of [1e-9, 0.01, 0.3, 0.5])
      expect(quantile(rho, u)).toBeCloseTo(-10 + Math.sqrt(200 * u), 10);
  });
  it('F(F⁻¹(u)) = u for every shape, also across the zero gap', () => {
    for (const [, table] of shapes) {
      const rho = tabulated(table);
      for (let k = 0; k <= 1000; k++) {
        const u = k / 1000;
        expect(Math.abs((rho.cdf as (x: number[]) => number)([quantile(rho, u)]) - u)).toBeLessThan(1e-12);
      }
      // F⁻¹ never lands inside a zero-mass stretch
      expect(rho.density([quantile(rho, 0.6)])).toBeGreaterThan(0);
    }
  });
});

const quantile = (rho: FrequencyDistribution, u: number) => {
  const out = new Float64Array(rho.dim);
  (rho.inverseCdf as NonNullable<FrequencyDistribution['inverseCdf']>)([u, u], out);
  return out[0];
};

describe('tabulated: normalisation, moments, kernel', () => {
  it('the hat: mean 0, variance a²/6 = 100/6, ∫ρ = 1', () => {
    const rho = tabulated(shapes[0][1]);
    expect(moment(rho, [-10, 0, 10], 0)).toBeCloseTo(1, 14);
    expect(moment(rho, [-10, 0, 10], 1)).toBeCloseTo(0, 14);
    expect(moment(rho, [-10, 0, 10], 2)).toBeCloseTo(100 / 6, 12);
  });
  for (const [name, table] of shapes) {
    it(`${name}: sample mean and variance within 4 standard errors of the exact moments`, () => {
      const rho = tabulated(table);
      const nodes = nodesOf(table);
      expect(moment(rho, nodes, 0)).toBeCloseTo(1, 12);
      const mean = moment(rho, nodes, 1);
      const variance = moment(rho, nodes, 2) - mean * mean;
      const w = rho.sample(N, createRng(9));
      const m = w.reduce((s, x) => s + x, 0) / N;
      const v = w.reduce((s, x) => s + (x - m) ** 2, 0) / (N - 1);
      expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(variance / N));
      // var of the sample variance ≈ (μ₄ − σ⁴)/n; μ₄ ≤ 9σ⁴ for these shapes is generous
      expect(Math.abs(v - variance)).toBeLessThan(4 * Math.sqrt((8 * variance * variance) / N));
    });
    it(`${name}: kernel and sineKernel are the exact transform (against Simpson per cell)`, () => {
      const rho = tabulated(table);
      const nodes = nodesOf(table);
      expect(rho.kernel([0])).toBeCloseTo(1, 14);
      const width = nodes[nodes.length - 1] - nodes[0];
      for (const z of [1e-4, 0.003, 0.7 / width, 5 / width, 40 / width]) {
        const integral = (g: (x: number) => number) => {
          let s = 0;
          for (let i = 0; i + 1 < nodes.length; i++)
            s += simpson1d((x) => rho.density([x]) * g(x), nodes[i], nodes[i + 1], [], 2000);
          return s;
        };
        expect(rho.kernel([z])).toBeCloseTo(
          integral((x) => Math.cos(z * x)),
          9,
        );
        expect(rho.sineKernel?.([z])).toBeCloseTo(
          integral((x) => Math.sin(z * x)),
          9,
        );
      }
    });
  }
  it('2D product: density, kernel and CDF are the marginals’ products; each axis samples its marginal', () => {
    const ax = { nodes: [-10, 0, 10], values: [0, 1, 0] };
    const ay = { support: [0, 2], values: [1, 3] };
    const rho = tabulated([ax, ay]);
    const [px, py] = [tabulated(ax), tabulated(ay)];
    expect(rho.dim).toBe(2);
    expect(rho.density([-3, 0.5])).toBeCloseTo(px.density([-3]) * py.density([0.5]), 15);
    expect(rho.kernel([0.2, 1.1])).toBeCloseTo(
      px.kernel([0.2]) * py.kernel([1.1]) - (px.sineKernel?.([0.2]) ?? 0) * (py.sineKernel?.([1.1]) ?? 0),
      14,
    );
    expect(rho.cdf?.([-3, 0.5])).toBeCloseTo((px.cdf?.([-3]) ?? 0) * (py.cdf?.([0.5]) ?? 0), 15);
    const w = rho.sample(N, createRng(10));
    const axis = (a: number) => Float64Array.from({ length: N }, (_, i) => w[2 * i + a]);
    expect(ksStatistic(axis(0), (x) => px.cdf?.([x]) ?? 0)).toBeLessThan(ks01(N));
    expect(ksStatistic(axis(1), (y) => (y - 0) ** 2 / 8 + (y - 0) / 4)).toBeLessThan(ks01(N)); // F = (y² + 2y)/8
  });
});

describe('mixture sampling (KS, 10^5 samples) and its inverse CDF', () => {
  const lopsided = () => mixture([3, 1], [gaussian(4), shifted(laplace(3), [12])]);
  it('samples follow the mixture CDF, which matches an independent one', () => {
    const rho = lopsided();
    const independent = tabulatedCdf((x) => rho.density([x]), -80, 120, 400_000);
    for (const x of [-10, -2, 0, 5, 12, 20]) expect(rho.cdf?.([x])).toBeCloseTo(independent(x), 6);
    const w = rho.sample(N, createRng(11));
    expect(ksStatistic(w, (x) => rho.cdf?.([x]) ?? 0)).toBeLessThan(ks01(N));
  });
  it('F(F⁻¹(u)) = u by bisection, with a tabulated component too', () => {
    for (const rho of [lopsided(), mixture([1, 2], [tabulated(shapes[1][1]), cauchy(3)])]) {
      for (const u of [1e-6, 0.01, 0.25, 0.5, 0.77, 0.999]) {
        expect(Math.abs((rho.cdf?.([quantile(rho, u)]) ?? 0) - u)).toBeLessThan(1e-12);
      }
    }
  });
  it('a 2D mixture has no inverse CDF (not a product)', () => {
    expect(mixture([1, 1], [gaussian(2, 2), shifted(gaussian(2, 2), [3, 0])]).inverseCdf).toBeUndefined();
  });
});

describe('closed-form inverse CDFs', () => {
  it('Φ and Φ⁻¹ against reference values', () => {
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 15);
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 12);
    expect(normalCdf(-10) / 7.61985302416047e-24).toBeCloseTo(1, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
  });
  const kinds: [string, FrequencyDistribution][] = [
    ['gaussian', gaussian(10)],
    ['laplace', laplace(2)],
    ['cauchy', cauchy(5)],
    ['uniformBox', uniformBox(40)],
    ['shifted gaussian', shifted(gaussian(3), [7])],
  ];
  for (const [name, rho] of kinds) {
    it(`${name}: F(F⁻¹(u)) = u, and F matches the density's integral`, () => {
      for (const u of [1e-8, 0.001, 0.2, 0.5, 0.9, 0.999999]) {
        expect(Math.abs((rho.cdf?.([quantile(rho, u)]) ?? 0) - u)).toBeLessThan(1e-13);
      }
      const F = rho.cdf as (x: number[]) => number;
      expect(F([3]) - F([-1])).toBeCloseTo(
        simpson1d((x) => rho.density([x]), -1, 3, [0], 4000),
        10,
      );
    });
  }
});

describe('tabulated specs', () => {
  it('nodes or support, a center, and one table for every axis', () => {
    const byNodes = distributionFromSpec({ kind: 'tabulated', nodes: [-10, 0, 10], values: [0, 2, 0] });
    const bySupport = distributionFromSpec({ kind: 'tabulated', support: [-10, 10], values: [0, 2, 0] });
    expect(bySupport.density([3])).toBeCloseTo(byNodes.density([3]), 15);
    expect(byNodes.density([3])).toBeCloseTo(0.07, 15);
    const moved = distributionFromSpec({
      kind: 'tabulated',
      support: [-10, 10],
      values: [0, 2, 0],
      center: 5,
    });
    expect(moved.density([8])).toBeCloseTo(0.07, 15);
    const iso = distributionFromSpec(
      { kind: 'tabulated', support: [-10, 10], values: [0, 2, 0] },
      { dim: 2 },
    );
    expect(iso.dim).toBe(2);
    expect(iso.density([3, 3])).toBeCloseTo(0.07 * 0.07, 15);
    const two = distributionFromSpec({
      kind: 'tabulated',
      axes: [
        { support: [-1, 1], values: [1, 1] },
        { nodes: [0, 1, 2], values: [1, 2, 3] },
      ],
    });
    expect(two.dim).toBe(2);
    expect(() =>
      distributionFromSpec({ kind: 'tabulated', axes: [{ support: [-1, 1], values: [1, 1] }] }, { dim: 2 }),
    ).toThrow(/axes/);
  });
  const bad: [string, unknown, RegExp][] = [
    [
      'a negative value',
      { kind: 'tabulated', support: [0, 1], values: [1, -1, 2] },
      /^values\[1\]: expected a number ≥ 0, got -1$/,
    ],
    [
      'all values 0',
      { kind: 'tabulated', support: [0, 1], values: [0, 0] },
      /^values: expected at least one value > 0, got \[0,0\]$/,
    ],
    [
      'non-increasing nodes',
      { kind: 'tabulated', nodes: [0, 1, 1], values: [1, 1, 1] },
      /^nodes\[2\]: expected more than nodes\[1\] = 1 \(increasing\), got 1$/,
    ],
    [
      'lengths that differ',
      { kind: 'tabulated', nodes: [0, 1], values: [1, 1, 1] },
      /^nodes: expected 3 nodes \(one per value\), got \[0,1\]$/,
    ],
    [
      'NaN',
      { kind: 'tabulated', support: [0, 1], values: [1, Number.NaN] },
      /^values\[1\]: expected a number ≥ 0, got NaN$/,
    ],
    [
      'NaN in nodes',
      { kind: 'tabulated', nodes: [0, Number.NaN], values: [1, 1] },
      /^nodes\[1\]: expected a finite number, got NaN$/,
    ],
    [
      'an empty support',
      { kind: 'tabulated', support: [1, 1], values: [1, 1] },
      /^support: expected \[a, b\] with a < b, got \[1,1\]$/,
    ],
    [
      'both nodes and support',
      { kind: 'tabulated', support: [0, 1], nodes: [0, 1], values: [1, 1] },
      /^nodes: expected exactly one of nodes and support/,
    ],
    [
      'neither',
      { kind: 'tabulated', values: [1, 1] },
      /^support: expected exactly one of nodes and support, but it is missing$/,
    ],
    [
      'a bad axis',
      {
        kind: 'tabulated',
        axes: [
          { support: [0, 1], values: [1, 1] },
          { support: [0, 1], values: [0, 0] },
        ],
      },
      /^axes\[1\]\.values: expected at least one value > 0/,
    ],
    [
      'axes beside values',
      { kind: 'tabulated', values: [1, 1], axes: [{ support: [0, 1], values: [1, 1] }] },
      /^values: expected either axes or a single table/,
    ],
    [
      'an unknown key',
      { kind: 'tabulated', support: [0, 1], values: [1, 1], node: [0, 1] },
      /^node: unknown key/,
    ],
  ];
  for (const [name, spec, message] of bad) {
    it(`rejects ${name} with one line naming the field`, () => {
      let error: Error | undefined;
      try {
        parseOrThrow(distributionSpecSchema, spec);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message.split('\n')).toHaveLength(1);
      expect(error?.message).toMatch(message);
    });
  }
  it('the constructor checks too, naming the field', () => {
    expect(() => tabulated({ nodes: [0, 2, 1], values: [1, 1, 1] })).toThrow(
      /^nodes\[2\]: expected more than nodes\[1\] = 2/,
    );
    expect(() =>
      tabulated([
        { support: [0, 1], values: [1, 1] },
        { support: [0, 1], values: [0, 0] },
      ]),
    ).toThrow(/^axes\[1\]\.values: expected at least one value > 0/);
  });
});
