import { describe, expect, it } from 'vitest';
import { evaluateClaims, type ReportMetrics } from '../src/analysis/index.js';
import type { Claim } from '../src/config/index.js';

/*
 * evaluateClaims on hand-made metrics with known answers. Run time 60; learning times at
 * ξ = 3, 10, 25, 40 (null: not reached within the run, so longer than 60).
 */

const RUN = 60;

const metrics = (): ReportMetrics => ({
  nnVsPde: {
    perSnapshot: [
      { time: 0, relL2: 0.001, relL2Initial: 0.001 },
      { time: 30, relL2: 0.1, relL2Initial: 0.1 },
      { time: 60, relL2: 0.08, relL2Initial: 0.08 },
    ],
    max: 0.1,
    maxInitial: 0.1,
    final: 0.08,
    finalInitial: 0.08,
  },
  kernelVsPde: {
    perSnapshot: [{ time: 0, relL2: 0.004, relL2Initial: 0.004 }],
    max: 0.004,
    maxInitial: 0.004,
    final: 0.004,
    finalInitial: 0.004,
  },
  learningTimes: {
    frequencies: [[3], [10], [25], [40]],
    nn: [2, 5, null, null],
    pde: [2.5, 4, 50, null],
  },
});

const one = (claim: Claim, m: ReportMetrics = metrics()) => {
  const results = evaluateClaims([claim], m, RUN);
  expect(results).toHaveLength(1);
  return results[0];
};
const passes = (claim: Claim, m?: ReportMetrics) => one(claim, m).pass;

describe('metric claims', () => {
  it('compares the figure at a dotted path with each operator', () => {
    const metric = (op: '<=' | '<' | '>=' | '>' | '==', value: number, path = 'nnVsPde.max') =>
      passes({ kind: 'metric', metric: path, op, value });
    expect(metric('<=', 0.12)).toBe(true);
    expect(metric('<=', 0.1)).toBe(true);
    expect(metric('<', 0.1)).toBe(false);
    expect(metric('<', 0.09)).toBe(false);
    expect(metric('>=', 0.1)).toBe(true);
    expect(metric('>', 0.1)).toBe(false);
    expect(metric('==', 0.1)).toBe(true);
    expect(metric('<=', 0.005, 'kernelVsPde.max')).toBe(true);
    expect(metric('<=', 0.003, 'kernelVsPde.max')).toBe(false);
    // array entries by index
    expect(metric('==', 0.08, 'nnVsPde.perSnapshot.2.relL2')).toBe(true);
    expect(metric('==', 2.5, 'learningTimes.pde.0')).toBe(true);
  });

  it('reports the claim and the measured figure; a description replaces the claim text', () => {
    expect(one({ kind: 'metric', metric: 'nnVsPde.max', op: '<=', value: 0.12 })).toEqual({
      claim: 'nnVsPde.max <= 0.12',
      measured: '0.100',
      pass: true,
    });
    expect(
      one({ kind: 'metric', metric: 'kernelVsPde.max', op: '<=', value: 0.005, description: 'kernel ≈ PDE' }),
    ).toMatchObject({ claim: 'kernel ≈ PDE', measured: '0.00400', pass: true });
  });

  it('a path that does not lead to a number is an error naming it', () => {
    const bad = (path: string) => () => one({ kind: 'metric', metric: path, op: '<=', value: 1 });
    expect(bad('nnVsPde.mean')).toThrow(/nnVsPde\.mean/);
    expect(bad('nnVsKernel.max')).toThrow(/nnVsKernel\.max/); // the pair is absent from this run
    expect(bad('nnVsPde')).toThrow(/nnVsPde/); // an object, not a number
    expect(bad('nnVsPde.perSnapshot.7.relL2')).toThrow(/perSnapshot\.7/);
    expect(bad('learningTimes.nn.2')).toThrow(/learningTimes\.nn\.2/); // null: not reached
  });
});

describe('learning-time ratio claims', () => {
  const ratio = (
    numerator: number,
    denominator: number,
    op: '<=' | '<' | '>=' | '>' | '==',
    value: number,
    series: ('nn' | 'pde' | 'kernel')[],
  ): Claim => ({
    kind: 'learningTimeRatio',
    numerator: [numerator],
    denominator: [denominator],
    op,
    value,
    series,
  });

  it('both times reached: the ratio', () => {
    expect(one(ratio(25, 3, '>=', 10, ['pde']))).toMatchObject({ measured: 'pde 20.000', pass: true });
    expect(passes(ratio(25, 3, '>=', 21, ['pde']))).toBe(false);
    expect(passes(ratio(10, 3, '<=', 2.5, ['nn', 'pde']))).toBe(true); // 2.5 and 1.6
    expect(passes(ratio(10, 3, '<=', 2, ['nn', 'pde']))).toBe(false);
    expect(passes(ratio(10, 3, '<=', 2, ['pde']))).toBe(true);
    expect(passes(ratio(10, 3, '==', 2.5, ['nn']))).toBe(true);
    // the frequency nearest to the asked one
    expect(passes(ratio(24.4, 3.3, '>=', 20, ['pde']))).toBe(true);
  });

  it('a numerator not reached counts as longer than the run: a lower bound, enough for "≥"', () => {
    // nn at ξ = 25: not reached, so the ratio exceeds 60 / 2 = 30
    const r = one(ratio(25, 3, '>=', 10, ['nn', 'pde']));
    expect(r.pass).toBe(true);
    expect(r.measured).toBe('nn > 30.000, pde 20.000');
    expect(passes(ratio(25, 3, '>', 30, ['nn']))).toBe(true);
    // the bound cannot show a larger ratio, nor an upper bound on it
    expect(passes(ratio(25, 3, '>=', 40, ['nn']))).toBe(false);
    expect(passes(ratio(25, 3, '<=', 100, ['nn']))).toBe(false);
    expect(passes(ratio(25, 3, '<', 1000, ['nn']))).toBe(false);
    expect(passes(ratio(25, 3, '==', 30, ['nn']))).toBe(false);
  });

  it('a denominator not reached gives an upper bound, enough for "≤"; neither reached decides nothing', () => {
    // nn: 2 / (> 60) < 1/30
    const r = one(ratio(3, 25, '<=', 0.05, ['nn']));
    expect(r).toMatchObject({ pass: true, measured: 'nn < 0.033' });
    expect(passes(ratio(3, 25, '>=', 0.001, ['nn']))).toBe(false);
    expect(passes(ratio(3, 25, '<=', 0.02, ['nn']))).toBe(false);
    for (const op of ['<=', '>=', '<', '>', '=='] as const) {
      const both = one(ratio(25, 40, op, 1, ['nn']));
      expect(both.pass).toBe(false);
      expect(both.measured).toBe('nn not reached');
    }
  });

  it('a series the run does not have is an error naming it', () => {
    expect(() => one(ratio(25, 3, '>=', 10, ['kernel']))).toThrow(/kernel/);
  });
});

describe('learning times within a tolerance', () => {
  const within = (frequencies: number[], tolerance: number, series: ('nn' | 'pde')[]): Claim => ({
    kind: 'learningTimesWithin',
    frequencies: frequencies.map((f) => [f]),
    tolerance,
    series,
  });

  it('passes when max/min − 1 ≤ tolerance in every series', () => {
    // nn 2, 5: spread 150%; pde 2.5, 4: spread 60%
    expect(passes(within([3, 10], 0.61, ['pde']))).toBe(true);
    expect(passes(within([3, 10], 0.59, ['pde']))).toBe(false);
    expect(passes(within([3, 10], 1.5, ['nn', 'pde']))).toBe(true);
    expect(passes(within([3, 10], 1, ['nn', 'pde']))).toBe(false);
    const r = one(within([3, 10], 0.61, ['pde']));
    expect(r.measured).toBe('pde 2.500/4.000 (spread 60.000%)');
    expect(r.claim).toContain('within 61%');
  });

  it('a time not reached fails the claim, however large the tolerance', () => {
    const r = one(within([3, 25], 1e6, ['nn']));
    expect(r.pass).toBe(false);
    expect(r.measured).toContain('not reached');
    expect(passes(within([25, 40], 1e6, ['nn']))).toBe(false);
    expect(passes(within([3, 25], 1e6, ['pde']))).toBe(true);
  });
});

describe('learning order claims', () => {
  const order = (first: number, then: number, series: ('nn' | 'pde')[]): Claim => ({
    kind: 'learningOrder',
    first: [first],
    // biome-ignore lint/suspicious/noThenProperty: a claim field, not a thenable
    then: [then],
    series,
  });

  it('first learned strictly before then, in every series', () => {
    expect(passes(order(3, 10, ['nn', 'pde']))).toBe(true);
    expect(passes(order(10, 3, ['nn']))).toBe(false);
    expect(passes(order(3, 3, ['nn']))).toBe(false);
    expect(passes(order(10, 25, ['pde']))).toBe(true);
    expect(one(order(3, 10, ['nn'])).measured).toBe('nn 2.000 vs 5.000');
  });

  it('a time not reached counts as longer than the run', () => {
    expect(passes(order(3, 25, ['nn']))).toBe(true); // 2 < (> 60)
    expect(passes(order(25, 3, ['nn']))).toBe(false); // (> 60) after 2
    expect(passes(order(25, 40, ['nn']))).toBe(false); // neither reached: undecided
    expect(passes(order(25, 40, ['pde']))).toBe(true); // 50 < (> 60)
  });
});

describe('2D frequencies and several claims', () => {
  it('matches [ξ1, ξ2] to the nearest compared frequency and keeps the claims’ order', () => {
    const m: ReportMetrics = {
      learningTimes: {
        frequencies: [
          [3, 0],
          [0, 3],
          [-4, 6],
        ],
        nn: [1, 1.2, 9],
      },
    };
    const results = evaluateClaims(
      [
        {
          kind: 'learningTimeRatio',
          numerator: [-4, 6],
          denominator: [3, 0],
          op: '>=',
          value: 9,
          series: ['nn'],
        },
        {
          kind: 'learningTimesWithin',
          frequencies: [
            [3, 0],
            [0, 3.1],
          ],
          tolerance: 0.25,
          series: ['nn'],
        },
        // biome-ignore lint/suspicious/noThenProperty: a claim field, not a thenable
        { kind: 'learningOrder', first: [-4, 6], then: [0, 3], series: ['nn'] },
      ],
      m,
      10,
    );
    expect(results.map((r) => r.pass)).toEqual([true, true, false]);
    expect(results[0].claim).toContain('ξ=(-4, 6)');
    expect(evaluateClaims([], m, 10)).toEqual([]);
  });
});
