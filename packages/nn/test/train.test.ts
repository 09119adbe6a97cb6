import { describe, expect, it } from 'vitest';
import { gaussian } from '../src/distributions/gaussian.js';
import { type Grid, uniformGrid } from '../src/grid.js';
import { TwoLayerFF } from '../src/models/two-layer/model.js';
import { twoLayerLambdaMax, twoLayerLambdaMaxEstimate } from '../src/training/gd.js';
import { train } from '../src/training/train.js';

/** g(x) = exp(−|x|²/2) Σ sin(κ·x) (THEORY.md §5.2). */
function windowedSines(grid: Grid, kappas: number[]): Float64Array {
  const g = new Float64Array(grid.size);
  for (let i = 0; i < grid.size; i++) {
    let r2 = 0;
    let phase = 0;
    for (let k = 0; k < grid.dim; k++) {
      const x = grid.points[i * grid.dim + k];
      r2 += x * x;
      phase += x;
    }
    for (const kappa of kappas) g[i] += Math.exp(-r2 / 2) * Math.sin(kappa * phase);
  }
  return g;
}

const grid1 = uniformGrid({ dim: 1, halfWidth: 8, n: 128 });
const target1 = windowedSines(grid1, [1, 3]);

describe('train (two-layer, float64)', () => {
  it('with η = 1/λ_max the loss falls monotonically, in 1D and 2D', async () => {
    const grid2 = uniformGrid({ dim: 2, halfWidth: 4, n: [24, 20] });
    for (const [grid, target, dim] of [
      [grid1, target1, 1],
      [grid2, windowedSines(grid2, [1.5]), 2],
    ] as const) {
      const net = new TwoLayerFF({ width: 256, distribution: gaussian(4, dim), seed: 2 });
      const run = await train(net, { grid, target, learningRate: 'auto', times: [0, 20, 50] });
      expect(run.learningRate).toBeCloseTo(1 / run.lambdaMax, 12);
      expect(run.lossCurve.length).toBe(run.steps[2] + 1);
      for (let k = 1; k < run.lossCurve.length; k++)
        expect(run.lossCurve[k]).toBeLessThanOrEqual(run.lossCurve[k - 1]);
      expect(run.losses[2]).toBeLessThan(0.5 * run.losses[0]);
      // mirrored: u_0 = −g
      expect(run.snapshots[0]).toEqual(target.map((v) => 0 - v));
      expect(run.engine).toBe('float64');
      await net.dispose();
    }
  });

  it('λ_max is the top eigenvalue of h^d J Jᵀ (explicit matrix), and frozen w leaves w alone', async () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 4, n: 24 });
    const net = new TwoLayerFF({ width: 64, distribution: gaussian(3), seed: 5 });
    const engine = await net.engineFor(grid);
    const n = grid.size;
    const rows: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const e = new Float64Array(n);
      e[i] = 1;
      const g = await engine.vjp(net.parameters, e);
      rows.push(Float64Array.from([...g.w, ...g.a, ...g.b]));
    }
    const k = Array.from({ length: n }, (_, i) =>
      Array.from(
        { length: n },
        (_, j) => grid.cellVolume * rows[i].reduce((s, v, q) => s + v * rows[j][q], 0),
      ),
    );
    let v = Array.from({ length: n }, (_, i) => 1 + i / n);
    let lambda = 0;
    for (let it = 0; it < 5000; it++) {
      const kv = k.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
      const size = Math.hypot(...kv);
      lambda = kv.reduce((s, x, i) => s + x * v[i], 0);
      v = kv.map((x) => x / size);
    }
    const estimate = await twoLayerLambdaMax(engine, net.parameters, grid.cellVolume, true, {
      tolerance: 1e-12,
    });
    expect(estimate).toBeCloseTo(lambda, 8);
    const frozenEstimate = await twoLayerLambdaMax(engine, net.parameters, grid.cellVolume, false);
    expect(frozenEstimate).toBeLessThan(estimate);

    const frozen = new TwoLayerFF({ width: 64, distribution: gaussian(3), seed: 5, trainable: { w: false } });
    const w0 = frozen.parameters.w.slice();
    const a0 = frozen.parameters.a.slice();
    await train(frozen, { grid, target: windowedSines(grid, [1]), learningRate: 'auto', times: [3] });
    expect(frozen.parameters.w).toEqual(w0);
    expect(frozen.parameters.a).not.toEqual(a0);
  });

  it('rounds times to steps, reports actual times, keeps the requested order, calls onProgress', async () => {
    const net = new TwoLayerFF({ width: 32, distribution: gaussian(3), seed: 1 });
    const calls: number[] = [];
    const run = await train(net, {
      grid: grid1,
      target: target1,
      learningRate: 0.3,
      times: [1, 0, 0.7],
      onProgress: (step, total) => calls.push(step, total),
    });
    expect(run.steps).toEqual([3, 0, 2]);
    expect(run.times[0]).toBeCloseTo(0.9, 14);
    expect(run.times[2]).toBeCloseTo(0.6, 14);
    expect(Number.isNaN(run.lambdaMax)).toBe(true);
    expect(calls).toEqual([0, 3, 1, 3, 2, 3, 3, 3]);
    expect(run.losses[1]).toBe(run.lossCurve[0]);
    expect(run.timeAxis).toMatch(/η/);
  });

  it('same seed, same numbers (also with workers)', async () => {
    const runOnce = async (threads: number) => {
      const net = new TwoLayerFF({
        width: 2048,
        distribution: gaussian(5),
        seed: 11,
        threads,
        engine: 'float64',
      });
      const run = await train(net, { grid: grid1, target: target1, learningRate: 'auto', times: [2, 4] });
      await net.dispose();
      return run;
    };
    const a = await runOnce(2);
    const b = await runOnce(2);
    expect(b.lossCurve).toEqual(a.lossCurve);
    expect(b.snapshots).toEqual(a.snapshots);
    expect(b.lambdaMax).toBe(a.lambdaMax);
    const serial = await runOnce(1);
    expect(Math.abs(serial.lossCurve.at(-1)! - a.lossCurve.at(-1)!)).toBeLessThan(1e-12);
  });

  it('divergence throws an error naming η and λ_max and restores the parameters', async () => {
    const net = new TwoLayerFF({ width: 64, distribution: gaussian(3), seed: 1 });
    const engine = await net.engineFor(grid1);
    const lambda = await twoLayerLambdaMax(engine, net.parameters, grid1.cellVolume, true);
    const before = net.parameters.a.slice();
    await expect(
      train(net, { grid: grid1, target: target1, learningRate: 20 / lambda, times: [2000 / lambda] }),
    ).rejects.toThrow(/diverged.*η = .*λ_max = \d/);
    expect(net.parameters.a).toEqual(before);
  });

  it('an unconverged power iteration is reported, not hidden: converged false, train flags it', async () => {
    const net = new TwoLayerFF({ width: 64, distribution: gaussian(3), seed: 1 });
    const engine = await net.engineFor(grid1);
    const options = { tolerance: 1e-12, maxIterations: 2 };
    const rough = await twoLayerLambdaMaxEstimate(engine, net.parameters, grid1.cellVolume, true, options);
    expect(rough).toMatchObject({ converged: false, iterations: 2 });
    const fine = await twoLayerLambdaMaxEstimate(engine, net.parameters, grid1.cellVolume, true);
    expect(fine.converged).toBe(true);
    expect(await twoLayerLambdaMax(engine, net.parameters, grid1.cellVolume, true)).toBe(fine.lambdaMax);
    const base = { grid: grid1, target: target1, times: [1] };
    const flagged = await train(net, { ...base, learningRate: 'auto', powerIteration: options });
    expect(flagged.lambdaMaxConverged).toBe(false);
    expect(flagged.lambdaMax).toBe(rough.lambdaMax);
    const clean = await train(net, { ...base, learningRate: 'auto' });
    expect(clean.lambdaMaxConverged).toBe(true);
    expect((await train(net, { ...base, learningRate: 1e-3 })).lambdaMaxConverged).toBe(true);
    await expect(train(net, { ...base, learningRate: 1, times: [] })).rejects.toThrow(
      /^times: expected a non-empty/,
    );
    await net.dispose();
  });

  it('rejects bad input with errors naming the argument', async () => {
    const net = new TwoLayerFF({ width: 4, distribution: gaussian(1) });
    const base = { grid: grid1, target: target1, times: [1] };
    for (const learningRate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(train(net, { ...base, learningRate })).rejects.toThrow(/learningRate/);
    }
    const empty = { ...grid1, size: 0, points: new Float64Array(0) };
    await expect(train(net, { ...base, grid: empty, learningRate: 1 })).rejects.toThrow(/grid/);
    await expect(train(net, { ...base, target: new Float64Array(3), learningRate: 1 })).rejects.toThrow(
      /target/,
    );
    await expect(train(net, { ...base, times: [-1], learningRate: 1 })).rejects.toThrow(/times/);
    await expect(train(net, { ...base, learningRate: 1, optimizer: 'adam' })).rejects.toThrow(/optimizer/);
  });
});
