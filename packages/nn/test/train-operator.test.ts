import { describe, expect, it } from 'vitest';
import { gaussian } from '../src/distributions/gaussian.js';
import { uniformGrid } from '../src/grid.js';
import { DeepFF } from '../src/models/deep/model.js';
import { createFloat64Engine } from '../src/models/two-layer/engines/float64.js';
import { TwoLayerFF } from '../src/models/two-layer/model.js';
import { operatorEngine } from '../src/operators/engine.js';
import { advection, helmholtz, identityOperator, scaleOperator } from '../src/operators/operator.js';
import { train } from '../src/training/train.js';
import { relMax } from './helpers/relative.js';

const grid = uniformGrid({ dim: 1, halfWidth: 6, n: 96 });
/** g = e^{−x²/2} sin(2x) and s = −g'' + k² g (Helmholtz, k = 2), by hand. */
const k = 2;
const g = grid.points.map((x) => Math.exp((-x * x) / 2) * Math.sin(2 * x));
const s = grid.points.map((x) => {
  const e = Math.exp((-x * x) / 2);
  const gpp = e * ((x * x - 1 - 4) * Math.sin(2 * x) - 4 * x * Math.cos(2 * x));
  return -gpp + k * k * e * Math.sin(2 * x);
});

const net = (seed = 3) =>
  new TwoLayerFF({ width: 128, distribution: gaussian(3), seed, engine: 'float64', threads: 1 });

describe('train on an operator (two-layer)', () => {
  it('L = 2I trains exactly as the plain network with 4η on s/2: r_k = 2 u_k', async () => {
    const a = net();
    const b = net();
    const eta = 0.01;
    const pinn = await train(a, {
      grid,
      target: s,
      operator: scaleOperator(2, identityOperator()),
      learningRate: eta,
      times: [0, 0.2, 0.5],
    });
    const plain = await train(b, {
      grid,
      target: s.map((v) => v / 2),
      learningRate: 4 * eta,
      times: [0, 0.8, 2],
    });
    expect(pinn.steps).toEqual(plain.steps);
    for (let j = 0; j < 3; j++)
      expect(
        relMax(
          pinn.snapshots[j],
          plain.snapshots[j].map((v) => 2 * v),
        ),
      ).toBeLessThan(1e-12);
    expect(pinn.operator).toBe('2·identity');
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('helmholtz: the residual L f − s and the solution error f − g both fall; r₀ = −s, e₀ = −g', async () => {
    const a = net(4);
    const run = await train(a, {
      grid,
      target: s,
      solution: g,
      operator: helmholtz(k),
      learningRate: 'auto',
      times: [0, 0.05, 0.5],
    });
    expect(run.snapshots[0]).toEqual(s.map((v) => 0 - v));
    const errors = run.solutionErrors ?? [];
    expect(errors).toHaveLength(3);
    expect(errors[0]).toEqual(g.map((v) => 0 - v));
    for (let j = 1; j < run.lossCurve.length; j++)
      expect(run.lossCurve[j]).toBeLessThanOrEqual(run.lossCurve[j - 1]);
    expect(run.losses[2]).toBeLessThan(0.1 * run.losses[0]);
    const norm = (v: Float64Array) => Math.hypot(...v);
    expect(norm(errors[2])).toBeLessThan(0.5 * norm(errors[0]));
    // the last snapshot is L f − s of the final network (L applied by the features' derivatives)
    const lf = await operatorEngine(createFloat64Engine(grid, { threads: 1 }), helmholtz(k)).forward(
      a.parameters,
    );
    expect(
      relMax(
        run.snapshots[2],
        lf.map((v, i) => v - s[i]),
      ),
    ).toBeLessThan(1e-12);
    expect(relMax(await a.evaluate(grid, helmholtz(k)), lf)).toBeLessThan(1e-14);
    await a.dispose();
  });

  it('refuses an operator for a DeepFF, a solution without operator and an operator of another dimension', async () => {
    const deep = new DeepFF({ distribution: gaussian(3), features: 8, width: 8, depth: 1, seed: 1 });
    await expect(
      train(deep, { grid, target: s, operator: helmholtz(1), learningRate: 0.1, times: [0] }),
    ).rejects.toThrow(/^operator: only TwoLayerFF trains on an operator$/);
    await deep.dispose?.();
    const a = net();
    await expect(train(a, { grid, target: s, solution: g, learningRate: 0.1, times: [0] })).rejects.toThrow(
      /^solution: needs an operator/,
    );
    await expect(
      train(a, { grid, target: s, operator: advection([1, 1]), learningRate: 0.1, times: [0] }),
    ).rejects.toThrow(/^operator: advection\(c=\[1, 1\], μ=0\) is 2D but the grid is 1D$/);
    await a.dispose();
  });
});
