import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gaussian } from '../src/distributions/gaussian.js';
import { uniformBox } from '../src/distributions/uniform-box.js';
import { uniformGrid } from '../src/grid.js';
import { DeepFF } from '../src/models/deep/model.js';
import { deepLambdaMax, deepLambdaMaxEstimate } from '../src/training/deep.js';
import { train } from '../src/training/train.js';

const grid = uniformGrid({ dim: 1, halfWidth: 4, n: 64 });
const target = grid.points.map((x) => Math.exp((-x * x) / 2) * Math.sin(2 * x));

/** A tiny deep network on a 12-point grid: small enough for dense Jacobians. */
function smallNetwork() {
  const small = uniformGrid({ dim: 1, halfWidth: 2, n: 12 });
  const net = new DeepFF({
    distribution: gaussian(2),
    features: 6,
    width: 5,
    depth: 1,
    seed: 2,
    backend: 'cpu',
  });
  return { small, net };
}

describe('DeepFF', () => {
  it('initialises deterministically from the seed, with W drawn from ρ_w', async () => {
    const make = (seed: number) =>
      new DeepFF({ distribution: gaussian(5), features: 16, width: 8, depth: 2, seed, backend: 'cpu' });
    const a = make(3);
    const b = make(3);
    const c = make(4);
    const fa = await a.evaluate(grid);
    expect(await b.evaluate(grid)).toEqual(fa);
    expect(await c.evaluate(grid)).not.toEqual(fa);
    const [w] = await a.variables();
    expect(w.shape).toEqual([16, 1]);
    expect(Array.from(w.dataSync())).not.toEqual(Array.from((await c.variables())[0].dataSync()));
    for (const net of [a, b, c]) net.dispose();
  });

  it("sampling 'stratified': one w per 1/m of ρ_w's mass, the hidden layers as with 'random'", async () => {
    const m = 64;
    const make = (sampling: 'random' | 'stratified') =>
      new DeepFF({
        distribution: uniformBox(40),
        features: m,
        width: 8,
        depth: 2,
        seed: 5,
        sampling,
        backend: 'cpu',
      });
    const random = make('random');
    const strat = make('stratified');
    expect(strat.sampling).toBe('stratified');
    const [wr, ...hiddenR] = (await random.variables()).map((v) => Array.from(v.dataSync()));
    const [ws, ...hiddenS] = (await strat.variables()).map((v) => Array.from(v.dataSync()));
    expect(hiddenS).toEqual(hiddenR);
    // uniform on [−40, 40]: exactly one w in each of the m strata of width 80/m (random draws of 64
    // leave some strata empty with probability 1 − 64!/64^64 ≈ 1)
    const strata = (w: number[]) => new Set(w.map((x) => Math.floor(((x + 40) * m) / 80))).size;
    expect(strata(ws)).toBe(m);
    expect(strata(wr)).toBeLessThan(m);
    expect(() => make('sobol' as 'random')).toThrow(/^sampling: expected 'random' or 'stratified'/);
    for (const net of [random, strat]) net.dispose();
  });

  it('trains by gradient descent with η = 1/λ_max and the loss falls', async () => {
    for (const activation of ['tanh', 'relu', 'sin'] as const) {
      const net = new DeepFF({
        distribution: gaussian(3),
        features: 16,
        width: 16,
        depth: 2,
        activation,
        seed: 1,
      });
      const run = await train(net, { grid, target, learningRate: 'auto', times: [0, 50] });
      expect(run.engine).toMatch(/^(tfjs-|wasm-simd$)/);
      expect(run.learningRate).toBeCloseTo(1 / run.lambdaMax, 10);
      expect(run.losses[1]).toBeLessThan(0.7 * run.losses[0]);
      for (let k = 1; k < run.lossCurve.length; k++) {
        expect(run.lossCurve[k]).toBeLessThanOrEqual(run.lossCurve[k - 1] * (1 + 1e-5));
      }
      net.dispose();
    }
  });

  it('λ_max through tfjs equals the top eigenvalue of h·J Jᵀ built row by row', async () => {
    const { small, net } = smallNetwork();
    const vars = await net.trainableVariables();
    const x = net.input(small);
    const rows = Array.from({ length: small.size }, (_, i) => {
      const row = tf.tidy(() => {
        const grads = tf.grads((...ws: tf.Tensor[]) => tf.gather(net.apply(x, ws), i))(vars);
        return tf.concat(grads.map((g) => g.flatten()));
      });
      const values = Float64Array.from(row.dataSync());
      row.dispose();
      return values;
    });
    const n = small.size;
    let v = Array.from({ length: n }, (_, i) => 1 + i);
    let lambda = 0;
    for (let it = 0; it < 3000; it++) {
      const jtv = rows[0].map((_, q) => rows.reduce((s, row, i) => s + row[q] * v[i], 0));
      const kv = rows.map((row) => small.cellVolume * row.reduce((s, r, q) => s + r * jtv[q], 0));
      const size = Math.hypot(...kv);
      lambda = kv.reduce((s, y, i) => s + y * v[i], 0);
      v = kv.map((y) => y / size);
    }
    expect(await deepLambdaMax(net, small, { tolerance: 1e-7 })).toBeCloseTo(lambda, 3);
    const rough = await deepLambdaMaxEstimate(net, small, { tolerance: 1e-12, maxIterations: 2 });
    expect(rough).toMatchObject({ converged: false, iterations: 2 });
    expect((await deepLambdaMaxEstimate(net, small, { tolerance: 1e-7 })).converged).toBe(true);
    net.dispose();
  });

  it('trains with Adam (time axis steps × learning rate), and frozen W stays put', async () => {
    const net = new DeepFF({
      distribution: gaussian(3),
      features: 16,
      width: 16,
      depth: 1,
      seed: 5,
      trainable: { w: false },
    });
    const w0 = Array.from((await net.variables())[0].dataSync());
    const run = await train(net, { grid, target, learningRate: 0.01, optimizer: 'adam', times: [0, 0.5, 1] });
    expect(run.optimizer).toBe('adam');
    expect(run.timeAxis).toMatch(/Adam/);
    expect(run.steps).toEqual([0, 50, 100]);
    expect(run.losses[2]).toBeLessThan(0.3 * run.losses[0]);
    expect(Array.from((await net.variables())[0].dataSync())).toEqual(w0);
    await expect(
      train(net, { grid, target, learningRate: 'auto', optimizer: 'adam', times: [1] }),
    ).rejects.toThrow(/learningRate/);
    net.dispose();
  });

  it('runs through its engine: forward is evaluate, ntk is J Jᵀ v, an optimizer step needs a loss first', async () => {
    const { small, net } = smallNetwork();
    const engine = net.engine;
    expect(await engine.ready()).toEqual({ engine: 'tfjs-cpu', backend: 'cpu' });
    expect(await engine.forward(small)).toEqual(await net.evaluate(small));
    // ⟨v, J Jᵀ v⟩ = |Jᵀ v|² ≥ 0 and J Jᵀ is symmetric: ⟨e_0, J Jᵀ e_1⟩ = ⟨e_1, J Jᵀ e_0⟩
    const e = (i: number) => Float64Array.from({ length: small.size }, (_, j) => (j === i ? 1 : 0));
    const k0 = new Float64Array(small.size);
    const k1 = new Float64Array(small.size);
    await engine.ntk(small, e(0), k0);
    await engine.ntk(small, e(1), k1);
    expect(k0[0]).toBeGreaterThan(0);
    expect(k0[1]).toBeCloseTo(k1[0], 4);
    const target = small.points.map((x) => Math.sin(x));
    const optimizer = await engine.optimizer(small, target, { optimizer: 'gd', learningRate: 0.01 });
    expect(() => optimizer.step()).toThrow(/^step:/);
    const loss = await optimizer.loss();
    const u = await optimizer.residual();
    expect(loss).toBeCloseTo(0.5 * small.cellVolume * u.reduce((s, v) => s + v * v, 0), 5);
    optimizer.step();
    expect(await optimizer.loss()).toBeLessThan(loss);
    optimizer.dispose();
    await engine.reset();
    const fresh = new DeepFF({
      distribution: gaussian(2),
      features: 6,
      width: 5,
      depth: 1,
      seed: 2,
      backend: 'cpu',
    });
    expect(await engine.forward(small)).toEqual(await fresh.evaluate(small));
    fresh.dispose();
    net.dispose();
  });

  it('rejects bad input with errors naming the argument', () => {
    const distribution = gaussian(1);
    expect(() => new DeepFF({ distribution, features: 0, width: 4, depth: 1 })).toThrow(/features/);
    expect(() => new DeepFF({ distribution, features: 4, width: 0, depth: 1 })).toThrow(/width/);
    expect(() => new DeepFF({ distribution, features: 4, width: 4, depth: 0 })).toThrow(/depth/);
    // @ts-expect-error: an unknown activation
    expect(() => new DeepFF({ distribution, features: 4, width: 4, depth: 1, activation: 'gelu' })).toThrow(
      /activation/,
    );
  });

  it('parameterCount is the number of weights; sizes beyond maxParameterBytes (4 GiB) are refused up front', async () => {
    const distribution = gaussian(1);
    const net = new DeepFF({ distribution, features: 16, width: 8, depth: 3, backend: 'cpu' });
    const weights = (await net.variables()).reduce((n, v) => n + v.size, 0);
    expect(DeepFF.parameterCount(1, 16, 8, 3)).toBe(weights);
    expect(DeepFF.parameterCount(1, 128, 64, 2)).toBe(20801);
    net.dispose();
    const started = performance.now();
    // hidden layers of 10^5 units: 2·10^10 weights, 75 GiB as float32; the width is what is too large
    expect(() => new DeepFF({ distribution, features: 128, width: 100_000, depth: 3 })).toThrow(
      /^width: features = 128, width = 100000, depth = 3: 2\.00e\+10 weights need 75 GiB of parameters, above the limit of 4\.0 GiB \(option maxParameterBytes\)$/,
    );
    // an embedding of 2^30 frequencies: the features are
    expect(() => new DeepFF({ distribution, features: 2 ** 30, width: 8, depth: 1 })).toThrow(/^features: /);
    expect(performance.now() - started).toBeLessThan(100);
    expect(
      () => new DeepFF({ distribution, features: 16, width: 8, depth: 3, maxParameterBytes: 1000 }),
    ).toThrow(/^features: .* above the limit of 1000 B/);
    expect(() => new DeepFF({ distribution, features: 4, width: Number.NaN, depth: 1 })).toThrow(/^width:/);
  });
});
