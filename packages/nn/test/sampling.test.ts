import { describe, expect, it } from 'vitest';
import {
  cauchy,
  type FrequencyDistribution,
  gaussian,
  laplace,
  mixture,
  shifted,
  stratifiedSample,
  tabulated,
  uniformBox,
  uniformDisk,
} from '../src/distributions/index.js';
import { TwoLayerFF } from '../src/models/two-layer/model.js';
import { createRng } from '../src/random.js';
import { ksStatistic } from './helpers/quadrature.js';

const cdf1 = (rho: FrequencyDistribution) => (x: number) => (rho.cdf as (x: number[]) => number)([x]);

const kinds1d: [string, () => FrequencyDistribution][] = [
  ['gaussian', () => gaussian(10)],
  ['laplace', () => laplace(2)],
  ['uniformBox', () => uniformBox(40)],
  ['cauchy', () => cauchy(5)],
  ['tabulated', () => tabulated({ nodes: [-30, -22, -20, -5, 4, 5, 17], values: [0, 3, 1, 0, 0, 2, 0.5] })],
  ['mixture (bisection)', () => mixture([3, 1], [gaussian(4), shifted(laplace(3), [12])])],
];

/**
 * The star discrepancy of 2D samples against a product CDF, over anchored boxes (−∞, x] × (−∞, y]
 * with corners on a 64 × 64 grid of marginal quantiles: max |#{w in box}/n − F(x, y)|.
 */
function boxDiscrepancy(w: Float64Array, rho: FrequencyDistribution): number {
  const n = w.length / 2;
  const k = 64;
  const corner = new Float64Array(2);
  const u = new Float64Array(2);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 1; i < k; i++) {
    u[0] = i / k;
    u[1] = 0.5;
    (rho.inverseCdf as NonNullable<FrequencyDistribution['inverseCdf']>)(u, corner);
    xs.push(corner[0]);
    u[0] = 0.5;
    u[1] = i / k;
    (rho.inverseCdf as NonNullable<FrequencyDistribution['inverseCdf']>)(u, corner);
    ys.push(corner[1]);
  }
  // counts[i][j] = #{w: w_x ≤ xs[i], w_y ≤ ys[j]} by binning then 2D prefix sums
  const bins = new Float64Array(k * k);
  const binOf = (v: number, edges: number[]) => {
    let b = 0;
    while (b < edges.length && v > edges[b]) b++;
    return b;
  };
  for (let s = 0; s < n; s++) bins[binOf(w[2 * s], xs) * k + binOf(w[2 * s + 1], ys)]++;
  for (let i = 0; i < k; i++) for (let j = 1; j < k; j++) bins[i * k + j] += bins[i * k + j - 1];
  for (let i = 1; i < k; i++) for (let j = 0; j < k; j++) bins[i * k + j] += bins[(i - 1) * k + j];
  let d = 0;
  for (let i = 0; i < k - 1; i++)
    for (let j = 0; j < k - 1; j++) {
      const F = (rho.cdf as (x: number[]) => number)([xs[i], ys[j]]);
      d = Math.max(d, Math.abs(bins[i * k + j] / n - F));
    }
  return d;
}

describe('stratified 1D: w_i = F⁻¹((i + U_i)/m)', () => {
  for (const [name, make] of kinds1d) {
    it(`${name}: the KS statistic is ≤ 1/m (random's is ≈ 0.87/√m)`, () => {
      const rho = make();
      for (const m of [100, 1000, 10_000]) {
        const strat = ksStatistic(stratifiedSample(rho, m, createRng(m)), cdf1(rho));
        expect(strat).toBeLessThanOrEqual(1 / m + 1e-9);
        expect(strat).toBeGreaterThan(0);
      }
      // random samples at m = 10^4 are far from that: KS ≥ 0.2/√m with probability > 0.9999
      const m = 10_000;
      const random = ksStatistic(rho.sample(m, createRng(5)), cdf1(rho));
      expect(random).toBeGreaterThan(0.2 / Math.sqrt(m));
      expect(random).toBeGreaterThan(10 / m);
    });
  }
  it('one sample per stratum: F(w_i) lies in [i/m, (i+1)/m)', () => {
    const rho = gaussian(10);
    const m = 5000;
    const w = stratifiedSample(rho, m, createRng(3));
    for (let i = 0; i < m; i++) {
      const F = cdf1(rho)(w[i]);
      expect(F).toBeGreaterThanOrEqual(i / m - 1e-12);
      expect(F).toBeLessThan((i + 1) / m + 1e-12);
    }
  });
  it('reproducible from the seed; another seed moves the jitter', () => {
    const a = stratifiedSample(laplace(2), 1000, createRng(42));
    expect(stratifiedSample(laplace(2), 1000, createRng(42))).toEqual(a);
    expect(stratifiedSample(laplace(2), 1000, createRng(43))).not.toEqual(a);
  });
  it('a distribution without an inverse CDF is a one-line error naming the field', () => {
    const twoD = mixture([1, 1], [gaussian(2, 2), shifted(gaussian(2, 2), [3, 0])]);
    expect(() => stratifiedSample(twoD, 10, createRng(1))).toThrow(
      /^sampling: "stratified" needs an inverse CDF[^\n]*$/,
    );
  });
});

describe('stratified 2D: a rotated R2 sequence through the per-axis inverse CDFs', () => {
  const kinds2d: [string, () => FrequencyDistribution][] = [
    ['gaussian per axis', () => gaussian([5, 20])],
    ['laplace', () => laplace(2, 2)],
    [
      'tabulated product',
      () =>
        tabulated([
          { nodes: [-10, 0, 10], values: [0, 1, 0] },
          { support: [0, 2], values: [1, 3] },
        ]),
    ],
  ];
  for (const [name, make] of kinds2d) {
    it(`${name}: box discrepancy O(log m/m), far below random's O(1/√m)`, () => {
      const rho = make();
      const m = 4096;
      const strat = boxDiscrepancy(stratifiedSample(rho, m, createRng(1)), rho);
      const random = boxDiscrepancy(rho.sample(m, createRng(1)), rho);
      expect(strat).toBeLessThan(Math.log(m) / m); // ≈ 2.0e-3
      expect(random).toBeGreaterThan(4 * strat);
      // and it falls with m about like 1/m
      const small = boxDiscrepancy(stratifiedSample(rho, 256, createRng(2)), rho);
      expect(small).toBeGreaterThan(4 * strat);
    });
  }
  it('uniformDisk by the polar map: every sample inside, the mass of a centred disk of radius B/2 within 2/m of 1/4', () => {
    const m = 4000;
    const w = stratifiedSample(uniformDisk(10), m, createRng(4));
    let inner = 0;
    for (let i = 0; i < m; i++) {
      const r = Math.hypot(w[2 * i], w[2 * i + 1]);
      expect(r).toBeLessThanOrEqual(10);
      if (r <= 5) inner++;
    }
    expect(Math.abs(inner / m - 0.25)).toBeLessThan((2 * Math.log(m)) / m);
  });
  it('reproducible from the seed', () => {
    const a = stratifiedSample(gaussian(3, 2), 512, createRng(9));
    expect(stratifiedSample(gaussian(3, 2), 512, createRng(9))).toEqual(a);
    expect(stratifiedSample(gaussian(3, 2), 512, createRng(10))).not.toEqual(a);
  });
});

describe('TwoLayerFF with sampling: "stratified"', () => {
  for (const [dim, mirrored] of [
    [1, true],
    [1, false],
    [2, true],
  ] as const) {
    it(`${dim}D, mirrored ${mirrored}: equals the random network but for w, whose drawn half is stratified`, () => {
      const options = { width: 2048, distribution: gaussian(10, dim), seed: 7, mirrored };
      const random = new TwoLayerFF(options);
      const strat = new TwoLayerFF({ ...options, sampling: 'stratified' });
      expect(strat.sampling).toBe('stratified');
      expect(random.sampling).toBe('random');
      const [p, q] = [random.parameters, strat.parameters];
      expect(q.a).toEqual(p.a);
      expect(q.b).toEqual(p.b);
      expect([q.width, q.dim]).toEqual([p.width, p.dim]);
      expect(q.w).not.toEqual(p.w);
      // the drawn w's (every other one when mirrored, which repeats it) are the stratified sample
      const step = mirrored ? 2 : 1;
      const drawn = Float64Array.from({ length: (2048 / step) * dim }, (_, k) => {
        const j = Math.floor(k / dim);
        return q.w[j * step * dim + (k % dim)];
      });
      if (mirrored)
        for (let j = 0; j < 1024 * dim; j++)
          expect(q.w[2 * dim * Math.floor(j / dim) + dim + (j % dim)]).toBe(
            q.w[2 * dim * Math.floor(j / dim) + (j % dim)],
          );
      if (dim === 1) {
        expect(ksStatistic(drawn, cdf1(gaussian(10)))).toBeLessThanOrEqual(step / 2048 + 1e-9);
        expect(
          ksStatistic(Float64Array.from(p.w.filter((_, k) => k % step === 0)), cdf1(gaussian(10))),
        ).toBeGreaterThan((4 * step) / 2048);
      }
      // reproducible
      expect(new TwoLayerFF({ ...options, sampling: 'stratified' }).parameters.w).toEqual(q.w);
    });
  }
  it('bad sampling options are one-line errors naming the field', () => {
    expect(() => new TwoLayerFF({ width: 8, distribution: gaussian(1), sampling: 'sobol' as never })).toThrow(
      /^sampling: expected 'random' or 'stratified', got "sobol"$/,
    );
    expect(
      () =>
        new TwoLayerFF({
          width: 8,
          distribution: mixture([1, 1], [gaussian(2, 2), shifted(gaussian(2, 2), [3, 0])]),
          sampling: 'stratified',
        }),
    ).toThrow(/^sampling: "stratified" needs an inverse CDF/);
  });
});
