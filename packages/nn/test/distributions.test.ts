import { describe, expect, it } from 'vitest';
import { besselJ1 } from '../src/distributions/bessel.js';
import {
  cauchy,
  distributionDimension,
  distributionFromSpec,
  distributionSpecSchema,
  expressionDensity,
  type FrequencyDistribution,
  gaussian,
  laplace,
  MAX_EXPRESSION_RESOLUTION,
  mixture,
  shifted,
  uniformBox,
  uniformDisk,
} from '../src/distributions/index.js';
import { createRng } from '../src/random.js';
import {
  ksCritical,
  ksStatistic,
  monteCarlo,
  simpson1d,
  simpson2d,
  tabulatedCdf,
} from './helpers/quadrature.js';

const twoBumps = () => mixture([1, 1], [shifted(gaussian(2), [-25]), shifted(gaussian(2), [25])]);
const lopsided = () => mixture([3, 1], [gaussian(4), shifted(laplace(3), [12])]);
const expr1d = () => expressionDensity({ expression: 'exp(-(xi - 5)^2 / 50) + 0.2', support: [[-40], [30]] });
const expr2d = () =>
  expressionDensity({
    expression: '(1 + xi1 / 20) * exp(-(xi1^2 + xi2^2) / 200)',
    support: [
      [-20, -30],
      [20, 30],
    ],
  });

/** 1D cases: distribution, integration interval, breaks. */
const cases1d: [string, () => FrequencyDistribution, number, number][] = [
  ['gaussian', () => gaussian(10), -150, 150],
  ['uniformBox', () => uniformBox(40), -50, 50],
  ['laplace', () => laplace(2), -90, 90],
  ['mixture of shifted Gaussians', twoBumps, -60, 60],
  ['lopsided mixture', lopsided, -80, 120],
  ['expression', expr1d, -45, 35],
];

const cases2d: [string, () => FrequencyDistribution, [number, number, number, number]][] = [
  ['gaussian per axis', () => gaussian([5, 20]), [-60, 60, -200, 200]],
  ['uniformBox', () => uniformBox(3, 2), [-4, 4, -4, 4]],
  ['laplace', () => laplace([1, 2]), [-40, 40, -70, 70]],
  ['shifted gaussian', () => shifted(gaussian(2, 2), [25, -5]), [10, 40, -20, 10]],
  ['expression', expr2d, [-21, 21, -31, 31]],
];

const breaksOf = (rho: FrequencyDistribution, a: number) => [...rho.jumps[a], ...rho.peaks[a]];

describe('densities integrate to 1', () => {
  for (const [name, make, a, b] of cases1d) {
    it(`1D ${name}: ρ and ρ_s`, () => {
      const rho = make();
      const br = breaksOf(rho, 0);
      expect(simpson1d((x) => rho.density([x]), a, b, br)).toBeCloseTo(1, 7);
      expect(simpson1d((x) => rho.symmetricDensity([x]), -Math.max(-a, b), Math.max(-a, b), br)).toBeCloseTo(
        1,
        7,
      );
    });
  }
  it('1D cauchy: ∫_{−L}^{L} ρ = (2/π) atan(L/γ)', () => {
    const rho = cauchy(5);
    expect(simpson1d((x) => rho.density([x]), -200, 200, [0])).toBeCloseTo((2 / Math.PI) * Math.atan(40), 9);
  });
  for (const [name, make, box] of cases2d) {
    it(`2D ${name}`, () => {
      const rho = make();
      const v = simpson2d((x, y) => rho.density([x, y]), box, [breaksOf(rho, 0), breaksOf(rho, 1)], 600);
      expect(v).toBeCloseTo(1, 6);
    });
  }
  it('2D uniformDisk (polar)', () => {
    const rho = uniformDisk(10);
    const v = simpson1d(
      (r) => r * simpson1d((t) => rho.density([r * Math.cos(t), r * Math.sin(t)]), 0, 2 * Math.PI, [], 64),
      0,
      12,
      [10],
      400,
    );
    expect(v).toBeCloseTo(1, 8);
  });
});

describe('samples match the density', () => {
  const n = 20_000;
  for (const [name, make, a, b] of cases1d) {
    it(`1D ${name}: Kolmogorov–Smirnov at α = 0.001`, () => {
      const rho = make();
      const samples = rho.sample(n, createRng(11));
      expect(samples.length).toBe(n);
      const d = ksStatistic(
        samples,
        tabulatedCdf((x) => rho.density([x]), a, b),
      );
      expect(d).toBeLessThan(ksCritical(n));
    });
  }
  it('1D cauchy: KS against the closed-form CDF', () => {
    const samples = cauchy(5).sample(n, createRng(12));
    const d = ksStatistic(samples, (x) => 0.5 + Math.atan(x / 5) / Math.PI);
    expect(d).toBeLessThan(ksCritical(n));
  });
  it('the KS test can fail: σ = 10 samples against σ = 11', () => {
    const samples = gaussian(10).sample(n, createRng(13));
    const wrong = gaussian(11);
    const d = ksStatistic(
      samples,
      tabulatedCdf((x) => wrong.density([x]), -150, 150),
    );
    expect(d).toBeGreaterThan(ksCritical(n));
  });
  for (const [name, make, box] of [
    ...cases2d,
    ['uniformDisk', () => uniformDisk(10), [-10, 10, -10, 10]] as const,
  ]) {
    it(`2D ${name}: first and second moments within 5 standard errors`, () => {
      const rho = make();
      const samples = rho.sample(n, createRng(14));
      expect(samples.length).toBe(2 * n);
      const br: [number[], number[]] = [breaksOf(rho, 0), breaksOf(rho, 1)];
      const moments: ((w: ArrayLike<number>) => number)[] = [
        (w) => w[0],
        (w) => w[1],
        (w) => w[0] * w[0],
        (w) => w[1] * w[1],
        (w) => w[0] * w[1],
      ];
      for (const m of moments) {
        const exact =
          name === 'uniformDisk'
            ? [0, 0, 25, 25, 0][moments.indexOf(m)]
            : simpson2d(
                (x, y) => m([x, y]) * rho.density([x, y]),
                box as [number, number, number, number],
                br,
                200,
              );
        const mc = monteCarlo(samples, 2, m);
        expect(Math.abs(mc.mean - exact)).toBeLessThan(5 * mc.se);
      }
    });
  }
});

describe('kernel(z) = E_w[cos(w·z)] (THEORY §3)', () => {
  const n = 40_000;
  const all: [string, () => FrequencyDistribution][] = [
    ...cases1d.map(([name, make]) => [name, make] as [string, () => FrequencyDistribution]),
    ['cauchy', () => cauchy(5)],
    ...cases2d.map(([name, make]) => [`2D ${name}`, make] as [string, () => FrequencyDistribution]),
    ['uniformDisk', () => uniformDisk(10)],
    ['2D mixture', () => mixture([2, 1], [uniformDisk(8), shifted(laplace(1, 2), [10, 0])])],
  ];
  for (const [name, make] of all) {
    it(`${name}: Monte Carlo within 5 standard errors, for cos and sin`, () => {
      const rho = make();
      const samples = rho.sample(n, createRng(21));
      const zs =
        rho.dim === 1
          ? [[0], [0.013], [0.05], [0.2], [-0.7], [2.1]]
          : [
              [0, 0],
              [0.03, -0.01],
              [0.1, 0.05],
              [-0.2, 0.4],
              [1.3, 0.7],
            ];
      for (const z of zs) {
        const dot = (w: Float64Array) => w[0] * z[0] + (rho.dim === 2 ? w[1] * z[1] : 0);
        const c = monteCarlo(samples, rho.dim, (w) => Math.cos(dot(w)));
        const s = monteCarlo(samples, rho.dim, (w) => Math.sin(dot(w)));
        expect(Math.abs(rho.kernel(z) - c.mean)).toBeLessThanOrEqual(5 * c.se + 1e-12);
        expect(Math.abs(rho.sineKernel!(z) - s.mean)).toBeLessThanOrEqual(5 * s.se + 1e-12);
      }
      expect(rho.kernel(rho.dim === 1 ? [0] : [0, 0])).toBeCloseTo(1, 12);
    });
  }
});

describe('closed forms', () => {
  it('besselJ1 matches reference values', () => {
    expect(besselJ1(1)).toBeCloseTo(0.44005058574493355, 14);
    expect(besselJ1(10)).toBeCloseTo(0.04347274616886144, 14);
    expect(besselJ1(100)).toBeCloseTo(-0.07714535201411216, 14);
  });
  it('shifted and mixture kernels: cos(c·z) k₀(z), weighted sums', () => {
    const rho = twoBumps();
    for (const z of [0.01, 0.1, 0.37, 1.5]) {
      expect(rho.kernel([z])).toBeCloseTo(Math.cos(25 * z) * Math.exp(-2 * z * z), 14);
      expect(rho.sineKernel!([z])).toBeCloseTo(0, 14);
    }
    const one = shifted(gaussian(2), [25]);
    expect(one.sineKernel!([0.1])).toBeCloseTo(Math.sin(2.5) * Math.exp(-0.02), 14);
    // Shifting twice composes: the sine part of the first shift enters the second.
    const twice = shifted(shifted(laplace(1), [3]), [4]);
    expect(twice.kernel([0.3])).toBeCloseTo(Math.cos(7 * 0.3) / (1 + 0.09), 14);
  });
  it('shifted distributions mirror their jumps and peaks into ρ_s', () => {
    const rho = shifted(uniformBox(5), [25]);
    expect(rho.jumps).toEqual([[-30, -20, 20, 30]]);
    expect(shifted(gaussian(1), 3).peaks).toEqual([[-3, 3]]);
    expect(rho.symmetricDensity([22])).toBeCloseTo(0.05, 15);
    expect(rho.symmetricDensity([-22])).toBeCloseTo(0.05, 15);
  });
  it('expression density: its kernel is the Gaussian closed form for a Gaussian expression', () => {
    const rho = expressionDensity({ expression: 'exp(-xi^2 / 200)', support: [[-100], [100]] });
    for (const z of [0.05, 0.3, 2, 16])
      expect(Math.abs(rho.kernel([z]) - gaussian(10).kernel([z]))).toBeLessThan(1e-6);
    expect(rho.density([3])).toBeCloseTo(gaussian(10).density([3]), 8);
    const rho2 = expressionDensity({
      expression: 'exp(-(xi1^2 + xi2^2) / 200)',
      support: [
        [-80, -80],
        [80, 80],
      ],
    });
    for (const z of [
      [0.05, 0.1],
      [0.3, -0.2],
      [2, 1],
    ]) {
      expect(Math.abs(rho2.kernel(z) - gaussian(10, 2).kernel(z))).toBeLessThan(1e-3);
    }
  });
});

describe('bad input names the argument', () => {
  it('distributions', () => {
    expect(() => gaussian(-1)).toThrow(/^sigma:/);
    expect(() => gaussian(Number.NaN)).toThrow(/^sigma: expected a finite number > 0, got NaN$/);
    expect(() => shifted(gaussian(1), [Number.POSITIVE_INFINITY])).toThrow(
      /^center\[0\]: expected a finite number, got Infinity$/,
    );
    expect(() => gaussian([1, 2], 1)).toThrow(/^sigma:/);
    expect(() => uniformBox(0)).toThrow(/^B:/);
    expect(() => uniformDisk(Number.POSITIVE_INFINITY)).toThrow(/^B:/);
    expect(() => laplace(0)).toThrow(/^scale:/);
    expect(() => cauchy(-2)).toThrow(/^gamma:/);
    expect(() => mixture([1], [gaussian(1), gaussian(2)])).toThrow(/^weights:/);
    expect(() => mixture([1, -1], [gaussian(1), gaussian(2)])).toThrow(/^weights\[1\]:/);
    expect(() => mixture([1, 1], [gaussian(1), gaussian(2, 2)])).toThrow(/^components\[1\]:/);
    expect(() => shifted(gaussian(1), [1, 2])).toThrow(/^center:/);
    expect(() => gaussian(1).sample(-1, createRng(1))).toThrow(/^n:/);
  });
  it('expression density: parse errors, negative values, unknown variables, bad support', () => {
    expect(() => expressionDensity({ expression: 'exp(-xi^2', support: [[-1], [1]] })).toThrow(
      /^expression: does not parse/,
    );
    expect(() => expressionDensity({ expression: 'xi', support: [[-1], [1]] })).toThrow(
      /^expression: negative/,
    );
    expect(() => expressionDensity({ expression: 'cos(xi)', support: [[-4], [4]] })).toThrow(
      /^expression: negative/,
    );
    expect(() => expressionDensity({ expression: 'x^2', support: [[-1], [1]] })).toThrow(
      /^expression: cannot evaluate/,
    );
    expect(() => expressionDensity({ expression: '1/xi^2', support: [[-1], [1]] })).toThrow(
      /^expression: not finite/,
    );
    expect(() => expressionDensity({ expression: '0', support: [[-1], [1]] })).toThrow(/^expression:/);
    expect(() => expressionDensity({ expression: '1', support: [[1], [-1]] })).toThrow(/^support:/);
    expect(() => expressionDensity({ expression: '1', support: [[-1]] })).toThrow(/^support:/);
  });
  it('expression density: resolution within its cap', () => {
    const support = [[-1], [1]];
    expect(() => expressionDensity({ expression: '1', support, resolution: 1e9 })).toThrow(
      /^resolution: expected an even integer in \[2, 4194304\] for a 1D density, got 1000000000$/,
    );
    expect(() =>
      expressionDensity({
        expression: '1',
        support: [
          [-1, -1],
          [1, 1],
        ],
        resolution: 4096,
      }),
    ).toThrow(/^resolution: .*\[2, 2048\] for a 2D density/);
    expect(() => expressionDensity({ expression: '1', support, resolution: 7 })).toThrow(/^resolution:/);
    expect(MAX_EXPRESSION_RESOLUTION).toEqual({ 1: 2 ** 22, 2: 2048 });
  });
  it('specs: every error names the field path, one line per problem', () => {
    const spec = (s: unknown) => () => distributionFromSpec(s as never);
    expect(spec({ kind: 'gaussian' })).toThrow(
      /^sigma: expected a positive number or one per axis, but it is missing$/,
    );
    expect(spec({ kind: 'gaussian', sigma: -3 })).toThrow(/^sigma: expected a positive number, got -3$/);
    expect(spec({ kind: 'gaussian', sigma: Number.POSITIVE_INFINITY })).toThrow(/^sigma: .*got Infinity$/);
    expect(spec({ kind: 'gaussian', sigma: Number.NaN })).toThrow(/^sigma: .*got NaN$/);
    expect(spec({ kind: 'nope' })).toThrow(
      /^kind: expected one of "gaussian", "uniformBox", .*, got "nope"$/,
    );
    expect(spec(7)).toThrow(/^\(spec\): expected an object, got 7$/);
    expect(
      spec({
        kind: 'mixture',
        weights: [1, 1],
        components: [
          { kind: 'gaussian', sigma: 1 },
          { kind: 'gaussian', sigma: 0 },
        ],
      }),
    ).toThrow(/^components\[1\]\.sigma: expected a positive number, got 0$/);
    expect(
      spec({
        kind: 'mixture',
        weights: [1],
        components: [{ kind: 'expression', expression: '-1', support: [[-1], [1]] }],
      }),
    ).toThrow(/^components\[0\]\.expression: negative/);
    expect(
      spec({
        kind: 'mixture',
        weights: [1],
        components: [
          { kind: 'gaussian', sigma: 1 },
          { kind: 'gaussian', sigma: 2 },
        ],
      }),
    ).toThrow(/^weights: expected 2 weight\(s\), one per component, got \[1\]$/);
    expect(spec({ kind: 'mixture', weights: [0], components: [{ kind: 'cauchy', gamma: 1 }] })).toThrow(
      /^weights: expected a positive sum/,
    );
    expect(spec({ kind: 'expression', expression: '1', support: [[-1], [1]], resolution: 1e9 })).toThrow(
      /^resolution: expected at most 4194304 for a 1D density/,
    );
    expect(spec({ kind: 'expression', expression: ' ', support: [[-1], [1]] })).toThrow(
      /^expression: expected a non-empty string/,
    );
    expect(spec({ kind: 'expression', expression: '1', support: [[-1], [1, 2]] })).toThrow(/^support: /);
    expect(spec({ kind: 'gaussian', sigma: [1, 2, 3] })).toThrow(/^sigma: /);
    const twoProblems = spec({ kind: 'laplace', scael: 2 });
    expect(twoProblems).toThrow(/^scale: .*but it is missing\nscael: unknown key/);
  });
  it('specs are strict at every depth: an unknown key lists the allowed ones', () => {
    const spec = (s: unknown) => () => distributionFromSpec(s as never);
    expect(spec({ kind: 'gaussian', sigma: 10, centre: 25 })).toThrow(
      /^centre: unknown key \(allowed: kind, sigma, dim, center\)$/,
    );
    expect(spec({ kind: 'laplace', scale: 2, scael: 2 })).toThrow(
      /^scael: unknown key \(allowed: kind, scale, dim, center\)$/,
    );
    expect(spec({ kind: 'uniformDisk', B: 1, dim: 2 })).toThrow(
      /^dim: unknown key \(allowed: kind, B, center\)$/,
    );
    expect(
      spec({
        kind: 'mixture',
        weights: [1],
        components: [
          { kind: 'mixture', weights: [1], components: [{ kind: 'cauchy', gamma: 1, amplitude: 2 }] },
        ],
      }),
    ).toThrow(/^components\[0\]\.components\[0\]\.amplitude: unknown key \(allowed: kind, gamma, center\)$/);
    expect(distributionSpecSchema.safeParse({ kind: 'cauchy', gamma: 1 }).success).toBe(true);
  });
  it('specs against a required dimension: the field that fixes another one is named', () => {
    const in1d = (s: unknown) => () => distributionFromSpec(s as never, { dim: 1 });
    expect(in1d({ kind: 'uniformDisk', B: 1 })).toThrow(/^kind: uniformDisk is 2D but dim is 1$/);
    expect(in1d({ kind: 'gaussian', sigma: [1, 2] })).toThrow(
      /^sigma: 2 value\(s\) of sigma make gaussian 2D but dim is 1$/,
    );
    expect(in1d({ kind: 'gaussian', sigma: 1, center: [1, 2] })).toThrow(/^center: .* 2D but dim is 1$/);
    expect(in1d({ kind: 'laplace', scale: 1, dim: 2 })).toThrow(/^dim: dim 2 makes laplace 2D but dim is 1$/);
    expect(
      in1d({
        kind: 'mixture',
        weights: [1, 1],
        components: [
          { kind: 'gaussian', sigma: 1 },
          { kind: 'uniformDisk', B: 1 },
        ],
      }),
    ).toThrow(/^components\[1\]: uniformDisk is 2D but dim is 1$/);
    expect(() => distributionFromSpec({ kind: 'cauchy', gamma: 1 }, { dim: 2 })).toThrow(
      /^kind: cauchy is 1D but dim is 2$/,
    );
    // fields that disagree with each other: the constructors say which
    expect(in1d({ kind: 'gaussian', sigma: [1, 2], dim: 1 })).toThrow(/^sigma: expected 1 values/);
    expect(distributionDimension({ kind: 'gaussian', sigma: 10 })).toBeUndefined();
    expect(
      distributionDimension({
        kind: 'expression',
        expression: '1',
        support: [
          [-1, -1],
          [1, 1],
        ],
      }),
    ).toMatchObject({ dim: 2, field: 'support' });
  });
});

describe('distributionFromSpec', () => {
  it('builds every kind, with centres and a default dimension', () => {
    const z = [0.1];
    expect(distributionFromSpec({ kind: 'gaussian', sigma: 10 }).kernel(z)).toBeCloseTo(Math.exp(-0.5), 15);
    expect(distributionFromSpec({ kind: 'uniformBox', B: 40 }).density([1])).toBe(1 / 80);
    expect(distributionFromSpec({ kind: 'uniformDisk', B: 1 }).dim).toBe(2);
    expect(distributionFromSpec({ kind: 'laplace', scale: 2 }, { dim: 2 }).dim).toBe(2);
    expect(distributionFromSpec({ kind: 'laplace', scale: 2, dim: 2 }).dim).toBe(2);
    // without a required dimension, a 2D centre makes an isotropic Gaussian 2D
    expect(distributionFromSpec({ kind: 'gaussian', sigma: 1, center: [1, 2] }).dim).toBe(2);
    expect(distributionFromSpec({ kind: 'gaussian', sigma: 1 }).dim).toBe(1);
    expect(distributionFromSpec({ kind: 'gaussian', sigma: [1, 2] }, { dim: 2 }).dim).toBe(2);
    expect(distributionFromSpec({ kind: 'cauchy', gamma: 5 }).kernel([0.2])).toBeCloseTo(Math.exp(-1), 15);
    const mix = distributionFromSpec({
      kind: 'mixture',
      weights: [1, 1],
      components: [
        { kind: 'gaussian', sigma: 2, center: -25 },
        { kind: 'gaussian', sigma: 2, center: 25 },
      ],
    });
    expect(mix.kernel(z)).toBeCloseTo(twoBumps().kernel(z), 15);
    const e = distributionFromSpec({ kind: 'expression', expression: '1', support: [[-40], [40]] });
    expect(e.density([0])).toBeCloseTo(1 / 80, 12);
    expect(e.kernel([0.05])).toBeCloseTo(uniformBox(40).kernel([0.05]), 12);
  });
});
