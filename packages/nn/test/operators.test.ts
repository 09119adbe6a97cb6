import { describe, expect, it } from 'vitest';
import { type Grid, uniformGrid } from '../src/grid.js';
import type { TwoLayerEngine, TwoLayerParameters, TwoLayerTangent } from '../src/models/two-layer/engine.js';
import { createFloat64Engine } from '../src/models/two-layer/engines/float64.js';
import { createNufftEngine } from '../src/models/two-layer/engines/nufft.js';
import { createTfjsEngine } from '../src/models/two-layer/engines/tfjs.js';
import { applyOperator } from '../src/operators/apply.js';
import { operatorEngine } from '../src/operators/engine.js';
import {
  advection,
  biharmonic,
  type DifferentialOperator,
  diffusionReaction,
  helmholtz,
  identityOperator,
  polynomialOperator,
  scaleOperator,
  sumOperators,
} from '../src/operators/operator.js';
import { operatorFromSpec } from '../src/operators/spec.js';
import { createRng } from '../src/random.js';
import { randomParameters } from './helpers/random.js';
import { relErr, relMax } from './helpers/relative.js';

function randomTangent(p: TwoLayerParameters, seed: number): TwoLayerTangent {
  const rng = createRng(seed);
  const r = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
  return { w: r(p.w.length), a: r(p.width), b: r(p.width) };
}

function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

function tangentDot(s: TwoLayerTangent, t: TwoLayerTangent): number {
  return dot(s.w, t.w) + dot(s.a, t.a) + dot(s.b, t.b);
}

/**
 * L f by the derivatives of the features themselves: ∂^α cos(w·x) = w^α cos(w·x + |α|π/2), the same
 * with sin; independent of the symbol algebra.
 */
function appliedDirect(grid: Grid, p: TwoLayerParameters, op: DifferentialOperator): Float64Array {
  const d = grid.dim;
  const out = new Float64Array(grid.size);
  const s = 1 / Math.sqrt(p.width);
  for (let i = 0; i < grid.size; i++) {
    for (let j = 0; j < p.width; j++) {
      let theta = 0;
      for (let k = 0; k < d; k++) theta += p.w[j * d + k] * grid.points[i * d + k];
      for (const t of op.terms) {
        if (d === 1 && t.alpha[1] > 0) continue;
        const order = t.alpha[0] + t.alpha[1];
        let mono = p.w[j * d] ** t.alpha[0];
        if (d === 2) mono *= p.w[j * d + 1] ** t.alpha[1];
        const shift = (order * Math.PI) / 2;
        out[i] +=
          s * t.coefficient * mono * (p.a[j] * Math.cos(theta + shift) + p.b[j] * Math.sin(theta + shift));
      }
    }
  }
  return out;
}

const grid1 = uniformGrid({ dim: 1, halfWidth: 4, n: 40 });
const grid2 = uniformGrid({ dim: 2, halfWidth: 3, n: 10 });

const cases: { name: string; grid: Grid; op: DifferentialOperator }[] = [
  { name: 'helmholtz 1D', grid: grid1, op: helmholtz(2) },
  { name: 'advection 1D (imaginary symbol)', grid: grid1, op: advection([1.5], 0.5) },
  {
    name: 'third and fourth order 1D',
    grid: grid1,
    op: polynomialOperator([
      { coefficient: 0.3, alpha: [3] },
      { coefficient: -0.2, alpha: [4] },
      { coefficient: 1, alpha: [1] },
    ]),
  },
  { name: 'biharmonic 2D', grid: grid2, op: biharmonic() },
  { name: 'advection 2D', grid: grid2, op: advection([1, -2], 0.3) },
  {
    name: 'mixed 2D (∂₁∂₂, ∂₁²∂₂, ∂₂³)',
    grid: grid2,
    op: polynomialOperator([
      { coefficient: 0.7, alpha: [1, 1] },
      { coefficient: -0.4, alpha: [2, 1] },
      { coefficient: 0.25, alpha: [0, 3] },
      { coefficient: 2, alpha: [0, 0] },
    ]),
  },
];

describe('operators: symbols', () => {
  it('named operators have the symbols of their definitions', () => {
    expect(helmholtz(2).symbol([1, 3])).toEqual({ re: 14, im: 0 });
    expect(helmholtz(2).symbol([3])).toEqual({ re: 13, im: 0 });
    expect(biharmonic().symbol([1, 2])).toEqual({ re: 25, im: 0 });
    expect(advection([1, 2], 0.5).symbol([3, -1])).toEqual({ re: 0.5, im: 1 });
    expect(diffusionReaction(0.5, 1).symbol([2, 2])).toEqual({ re: 5, im: 0 });
    expect(identityOperator().symbol([7])).toEqual({ re: 1, im: 0 });
    expect(sumOperators(helmholtz(1), advection([2])).symbol([3])).toEqual({ re: 10, im: 6 });
    expect(scaleOperator(-2, advection([1], 1)).symbol([3])).toEqual({ re: -2, im: -6 });
    // ∂³: (iξ)³ = −i ξ³
    expect(polynomialOperator([{ coefficient: 1, alpha: [3] }]).symbol([2])).toEqual({ re: 0, im: -8 });
  });

  it('∇p matches finite differences of p', () => {
    const op = cases[5].op;
    const xi = [0.7, -1.3];
    const g = op.symbolGradient(xi);
    const eps = 1e-6;
    for (let k = 0; k < 2; k++) {
      const up = [...xi];
      const down = [...xi];
      up[k] += eps;
      down[k] -= eps;
      const pu = op.symbol(up);
      const pd = op.symbol(down);
      expect(g.re[k]).toBeCloseTo((pu.re - pd.re) / (2 * eps), 7);
      expect(g.im[k]).toBeCloseTo((pu.im - pd.im) / (2 * eps), 7);
    }
  });

  it('refuses bad input with one-line errors naming the field', () => {
    expect(() => helmholtz(Number.NaN)).toThrow(/^k: expected a finite number, got NaN$/);
    expect(() => advection([1, 2, 3])).toThrow(/^c: expected 1 or 2 numbers/);
    expect(() => polynomialOperator([{ coefficient: 1, alpha: [5] }])).toThrow(
      /^terms\[0\]\.alpha: expected order \|α\| ≤ 4, got 5$/,
    );
    expect(() =>
      polynomialOperator([
        { coefficient: 1, alpha: [1] },
        { coefficient: 1, alpha: [1, 0] },
      ]),
    ).toThrow(/^terms\[1\]\.alpha: expected 1 entries/);
    expect(() => sumOperators(advection([1]), advection([1, 0]))).toThrow(/^operators\[1\]: a 2D operator/);
  });
});

describe('operators: spec', () => {
  it('builds every kind; the default is the identity', () => {
    expect(operatorFromSpec(undefined).name).toBe('identity');
    expect(operatorFromSpec({ kind: 'helmholtz', k: 2 }).symbol([1])).toEqual({ re: 5, im: 0 });
    expect(operatorFromSpec({ kind: 'biharmonic' }).symbol([2])).toEqual({ re: 16, im: 0 });
    expect(operatorFromSpec({ kind: 'advection', c: [1, 0], mu: 1 }).symbol([2, 5])).toEqual({
      re: 1,
      im: 2,
    });
    expect(operatorFromSpec({ kind: 'diffusionReaction', kappa: 2, mu: 1 }).symbol([1])).toEqual({
      re: 3,
      im: 0,
    });
    const poly = operatorFromSpec({ kind: 'polynomial', terms: [{ coefficient: -1, alpha: [2] }] });
    expect(poly.symbol([3])).toEqual({ re: 9, im: 0 });
  });

  it('refuses bad specs with one-line errors naming the field', () => {
    const error = (spec: unknown, dim?: 1 | 2) => {
      try {
        operatorFromSpec(spec as never, { dim });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(error({ kind: 'helmholz', k: 2 })).toMatch(/^kind: expected one of "identity", "helmholtz"/);
    expect(error({ kind: 'helmholtz' })).toBe('k: expected a finite number, but it is missing');
    expect(error({ kind: 'helmholtz', k: 2, mu: 1 })).toBe('mu: unknown key (allowed: kind, k)');
    expect(error({ kind: 'advection', c: [1, 0] }, 1)).toBe(
      'c: advection with 2 value(s) of c is 2D but dim is 1',
    );
    expect(error({ kind: 'advection', c: [] })).toMatch(/^c: expected one or two numbers/);
    expect(
      error({
        kind: 'polynomial',
        terms: [
          { coefficient: 1, alpha: [1] },
          { coefficient: 1, alpha: [1, 1] },
        ],
      }),
    ).toMatch(/^terms\[1\]\.alpha: expected 1 order\(s\) like terms\[0\]\.alpha/);
    expect(error({ kind: 'polynomial', terms: [{ coefficient: 1, alpha: [3, 2] }] })).toMatch(
      /^terms\[0\]\.alpha: expected a total order \|α\| ≤ 4/,
    );
    expect(error({ kind: 'polynomial', terms: [{ coefficient: 1, alpha: [-1] }] })).toMatch(
      /^terms\[0\]\.alpha\[0\]: expected an integer ≥ 0/,
    );
    for (const e of [error({ kind: 'diffusionReaction', kappa: 1 }), error({ kind: 'identity', k: 1 })])
      expect(e.split('\n')).toHaveLength(1);
  });
});

describe('operatorEngine on the float64 engine', () => {
  for (const { name, grid, op } of cases) {
    describe(name, () => {
      const p = randomParameters(grid.dim, 7, 1.5, 3);
      const engine = operatorEngine(createFloat64Engine(grid, { threads: 1 }), op);

      it('forward is L f, from the derivatives of the features', async () => {
        const lf = await engine.forward(p);
        expect(relMax(lf, appliedDirect(grid, p, op))).toBeLessThan(1e-13);
      });

      it('vjp and jvp are adjoint to 1e-10 and match finite differences of L f', async () => {
        const t = randomTangent(p, 5);
        const r = Float64Array.from({ length: grid.size }, (_, i) => Math.sin(1.3 * i + 0.2));
        const jt = await engine.jvp(p, t);
        const jr = await engine.vjp(p, r);
        const left = dot(jt, r);
        const right = tangentDot(t, jr);
        expect(Math.abs(left - right)).toBeLessThan(1e-10 * Math.abs(left));
        // Central difference of L f(θ + ε t): error O(ε²).
        const eps = 1e-5;
        const shifted = (sgn: number): TwoLayerParameters => ({
          dim: p.dim,
          width: p.width,
          w: p.w.map((v, i) => v + sgn * eps * t.w[i]),
          a: p.a.map((v, i) => v + sgn * eps * t.a[i]),
          b: p.b.map((v, i) => v + sgn * eps * t.b[i]),
        });
        const up = appliedDirect(grid, shifted(1), op);
        const down = appliedDirect(grid, shifted(-1), op);
        const fd = up.map((v, i) => (v - down[i]) / (2 * eps));
        expect(relMax(jt, fd)).toBeLessThan(1e-7);
      });
    });
  }

  it('helmholtz on one cos feature: (w² + k²) a cos(wx)', async () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 5, n: 64 });
    const p = {
      dim: 1 as const,
      width: 1,
      w: Float64Array.of(3),
      a: Float64Array.of(2),
      b: Float64Array.of(0),
    };
    const lf = await operatorEngine(createFloat64Engine(grid, { threads: 1 }), helmholtz(2)).forward(p);
    const exact = grid.points.map((x) => 13 * 2 * Math.cos(3 * x));
    expect(relMax(lf, exact)).toBeLessThan(1e-14);
  });

  it('refuses an operator of another dimension', () => {
    expect(() => operatorEngine(createFloat64Engine(grid1, { threads: 1 }), advection([1, 0]))).toThrow(
      /^operator: advection\(c=\[1, 0\], μ=0\) is 2D but the grid is 1D$/,
    );
  });
});

describe('operatorEngine on the nufft engine agrees with the float64 engine', () => {
  const setups: { name: string; grid: Grid; op: DifferentialOperator }[] = [
    { name: '1D helmholtz', grid: uniformGrid({ dim: 1, halfWidth: 8, n: 128 }), op: helmholtz(2) },
    { name: '2D advection', grid: uniformGrid({ dim: 2, halfWidth: 4, n: 24 }), op: advection([1, -0.5], 1) },
  ];
  for (const { name, grid, op } of setups) {
    it(name, async () => {
      const p = randomParameters(grid.dim, 200, 3, 11);
      const base: TwoLayerEngine[] = [
        createFloat64Engine(grid, { threads: 1 }),
        createNufftEngine(grid, { threads: 1 }),
      ];
      const [exact, fast] = base.map((b) => operatorEngine(b, op));
      const t = randomTangent(p, 2);
      const r = Float64Array.from({ length: grid.size }, (_, i) => Math.cos(0.7 * i));
      expect(relErr(await fast.forward(p), await exact.forward(p))).toBeLessThan(1e-10);
      expect(relErr(await fast.jvp(p, t), await exact.jvp(p, t))).toBeLessThan(1e-10);
      const gf = await fast.vjp(p, r);
      const ge = await exact.vjp(p, r);
      for (const key of ['w', 'a', 'b'] as const) expect(relErr(gf[key], ge[key])).toBeLessThan(1e-10);
      await Promise.all([fast.dispose(), exact.dispose()]);
    });
  }
});

describe('operatorEngine on the tfjs engine (float32)', () => {
  it('agrees with the float64 engine to float32 tolerance (cpu backend, 2D, imaginary symbol)', async () => {
    const grid = uniformGrid({ dim: 2, halfWidth: 3, n: [12, 9] });
    const op = advection([1, -0.5], 0.7);
    const p = randomParameters(2, 30, 2, 13);
    const exact = operatorEngine(createFloat64Engine(grid, { threads: 1 }), op);
    const tfjs = operatorEngine(await createTfjsEngine(grid, { backend: 'cpu' }), op);
    const t = randomTangent(p, 4);
    const r = Float64Array.from({ length: grid.size }, (_, i) => Math.cos(0.3 * i));
    expect(relMax(await tfjs.forward(p), await exact.forward(p))).toBeLessThan(1e-4);
    expect(relMax(await tfjs.jvp(p, t), await exact.jvp(p, t))).toBeLessThan(1e-4);
    const gt = await tfjs.vjp(p, r);
    const ge = await exact.vjp(p, r);
    for (const key of ['w', 'a', 'b'] as const) expect(relMax(gt[key], ge[key])).toBeLessThan(1e-4);
    await Promise.all([tfjs.dispose(), exact.dispose()]);
  });
});

describe('applyOperator: L g on the grid, spectrally', () => {
  it('is exact to rounding (1e-11: DFT sums times ξ³) for smooth g that vanish at the box edge, 1D and 2D, odd orders included', () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 10, n: 200 });
    const x = grid.points;
    const g = x.map((v) => Math.exp((-v * v) / 2));
    const helm = applyOperator(grid, helmholtz(2), g);
    expect(
      relMax(
        helm,
        x.map((v, i) => (1 - v * v + 4) * g[i]),
      ),
    ).toBeLessThan(1e-11);
    const third = applyOperator(grid, polynomialOperator([{ coefficient: 1, alpha: [3] }]), g);
    expect(
      relMax(
        third,
        x.map((v, i) => (3 * v - v ** 3) * g[i]),
      ),
    ).toBeLessThan(1e-11);
    const g2 = uniformGrid({ dim: 2, halfWidth: [9, 8], n: [60, 45] });
    const G = Float64Array.from({ length: g2.size }, (_, i) =>
      Math.exp(-(g2.points[2 * i] ** 2 + g2.points[2 * i + 1] ** 2) / 2),
    );
    const adv = applyOperator(g2, advection([1, -2], 0.5), G);
    const exact = G.map((v, i) => (-(g2.points[2 * i] - 2 * g2.points[2 * i + 1]) + 0.5) * v);
    expect(relMax(adv, exact)).toBeLessThan(1e-11);
  });

  it('refuses values of the wrong length or not finite, and an operator of another dimension', () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 1, n: 4 });
    expect(() => applyOperator(grid, helmholtz(1), [1, 2])).toThrow(/^values: expected 4 values/);
    expect(() => applyOperator(grid, helmholtz(1), [1, 2, Number.NaN, 0])).toThrow(
      /^values: value 2 is not finite/,
    );
    expect(() => applyOperator(grid, advection([1, 1]), [0, 0, 0, 0])).toThrow(
      /^operator: .* is 2D but the grid is 1D$/,
    );
  });
});
