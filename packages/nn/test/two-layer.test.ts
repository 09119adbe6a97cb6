import { describe, expect, it } from 'vitest';
import { gaussian } from '../src/distributions/gaussian.js';
import { uniformGrid } from '../src/grid.js';
import { TwoLayerFF } from '../src/models/two-layer/model.js';

describe('TwoLayerFF', () => {
  it('mirrored initialisation gives f ≡ 0 exactly, in 1D and 2D, with and without workers', async () => {
    for (const [dim, grid] of [
      [1, uniformGrid({ dim: 1, halfWidth: 8, n: 512 })],
      [2, uniformGrid({ dim: 2, halfWidth: 4, n: [20, 33] })],
    ] as const) {
      for (const threads of [1, 2]) {
        const net = new TwoLayerFF({
          width: 1000,
          distribution: gaussian(10, dim),
          seed: 3,
          threads,
          engine: 'float64',
        });
        const f = await net.evaluate(grid);
        expect(f.every((v) => v === 0)).toBe(true);
        await net.dispose();
      }
      // without mirroring the initial function is a random, non-zero one
      const plain = new TwoLayerFF({
        width: 1000,
        distribution: gaussian(10, dim),
        seed: 3,
        mirrored: false,
      });
      const f = await plain.evaluate(grid);
      expect(Math.max(...f.map(Math.abs))).toBeGreaterThan(0.1);
      await plain.dispose();
    }
  });

  it("engine 'auto' picks nufft for large m·N^d and float64 below", async () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 512 });
    const small = new TwoLayerFF({ width: 64, distribution: gaussian(10) });
    const large = new TwoLayerFF({ width: 2048, distribution: gaussian(10) });
    expect((await small.engineFor(grid)).name).toBe('float64');
    expect((await large.engineFor(grid)).name).toBe('nufft');
    // the mirrored network is zero on either engine
    expect(Math.max(...(await large.evaluate(grid)).map(Math.abs))).toBeLessThan(1e-12);
    await small.dispose();
    await large.dispose();
  });

  it('draws w from the distribution and a, b from N(0, σ_a²), paired when mirrored', () => {
    const net = new TwoLayerFF({ width: 20_000, distribution: gaussian(10), sigmaA: 3, seed: 1 });
    const { w, a, b } = net.parameters;
    const std = (x: Float64Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    expect(std(w)).toBeCloseTo(10, 0);
    expect(std(a)).toBeCloseTo(3, 1);
    expect(std(b)).toBeCloseTo(3, 1);
    for (let j = 0; j < 20_000; j += 2) {
      expect(w[j + 1]).toBe(w[j]);
      expect(a[j + 1]).toBe(-a[j]);
      expect(b[j + 1]).toBe(-b[j]);
    }
  });

  it('same seed, same numbers; another seed, other numbers', () => {
    const make = (seed: number) => new TwoLayerFF({ width: 64, distribution: gaussian([2, 5]), seed });
    expect(make(4).parameters).toEqual(make(4).parameters);
    expect(make(5).parameters.w).not.toEqual(make(4).parameters.w);
  });

  it('rejects bad input with errors naming the argument', async () => {
    const distribution = gaussian(1);
    expect(() => new TwoLayerFF({ width: 0, distribution })).toThrow(/width/);
    expect(() => new TwoLayerFF({ width: 2.5, distribution })).toThrow(/width/);
    expect(() => new TwoLayerFF({ width: 7, distribution })).toThrow(/width: mirrored.*even/);
    expect(() => new TwoLayerFF({ width: 7, distribution, mirrored: false })).not.toThrow();
    for (const sigmaA of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new TwoLayerFF({ width: 2, distribution, sigmaA })).toThrow(/sigmaA/);
    }
    // @ts-expect-error: an unknown engine
    expect(() => new TwoLayerFF({ width: 2, distribution, engine: 'gpu' })).toThrow(/engine/);
    const net = new TwoLayerFF({ width: 2, distribution });
    await expect(net.evaluate(uniformGrid({ dim: 2, halfWidth: 1, n: 4 }))).rejects.toThrow(/grid/);
    const empty = { ...uniformGrid({ dim: 1, halfWidth: 1, n: 4 }), size: 0, points: new Float64Array(0) };
    await expect(net.evaluate(empty)).rejects.toThrow(/grid/);
  });

  it('refuses, before allocating, a width whose parameters exceed maxParameterBytes (4 GiB)', () => {
    const distribution = gaussian(1);
    // 8·(d + 2)·m bytes: 2^28 features in 1D are 6 GiB
    const started = performance.now();
    expect(() => new TwoLayerFF({ width: 2 ** 28, distribution })).toThrow(
      /^width: 268435456 features need 6\.0 GiB of parameters, above the limit of 4\.0 GiB \(option maxParameterBytes\)$/,
    );
    expect(performance.now() - started).toBeLessThan(100);
    expect(() => new TwoLayerFF({ width: 1024, distribution, maxParameterBytes: 24 * 1024 })).not.toThrow();
    expect(() => new TwoLayerFF({ width: 1026, distribution, maxParameterBytes: 24 * 1024 })).toThrow(
      /^width: 1026 features need 24 KiB .* limit of 24 KiB/,
    );
    expect(() => new TwoLayerFF({ width: 2, distribution, maxParameterBytes: 0 })).toThrow(
      /^maxParameterBytes:/,
    );
    for (const threads of [0, 1.5, Number.NaN])
      expect(() => new TwoLayerFF({ width: 2, distribution, threads })).toThrow(/^threads:/);
    expect(() => new TwoLayerFF({ width: 2, distribution, seed: Number.NaN })).toThrow(/^seed:/);
    expect(() => new TwoLayerFF({ width: Number.POSITIVE_INFINITY, distribution })).toThrow(/^width:/);
  });

  it('the empirical NTK approaches K(x, y) = (1 + σ_a² x·y) k(x − y), error shrinking like 1/√m', async () => {
    // THEORY.md §3. Rows of J are Jᵀ e_i (one vjp per grid point); K_m = J Jᵀ.
    const grid = uniformGrid({ dim: 1, halfWidth: 2, n: 16 });
    const sigmaA = 0.8;
    const distribution = gaussian(2);
    const n = grid.size;
    const exact = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        const x = grid.points[i];
        const y = grid.points[k];
        exact[i * n + k] = (1 + sigmaA * sigmaA * x * y) * distribution.kernel([x - y]);
      }
    }
    const norm = Math.hypot(...exact);
    const error = async (width: number, seed: number): Promise<number> => {
      const net = new TwoLayerFF({ width, distribution, sigmaA, seed, threads: 1 });
      const engine = await net.engineFor(grid);
      const rows = [];
      for (let i = 0; i < n; i++) {
        const e = new Float64Array(n);
        e[i] = 1;
        const g = await engine.vjp(net.parameters, e);
        rows.push(Float64Array.from([...g.w, ...g.a, ...g.b]));
      }
      let sum = 0;
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < n; k++) {
          let dot = 0;
          for (let q = 0; q < rows[i].length; q++) dot += rows[i][q] * rows[k][q];
          sum += (dot - exact[i * n + k]) ** 2;
        }
      }
      await net.dispose();
      return Math.sqrt(sum) / norm;
    };
    const seeds = Array.from({ length: 12 }, (_, s) => s + 1);
    const mean = async (width: number) => {
      let s = 0;
      for (const seed of seeds) s += await error(width, seed);
      return s / seeds.length;
    };
    const narrow = await mean(128);
    const wide = await mean(128 * 16);
    expect(wide).toBeLessThan(0.1);
    // 1/√16 = 0.25; 12 seeds average the noise of the ratio down to about ±20%.
    expect(wide / narrow).toBeGreaterThan(0.17);
    expect(wide / narrow).toBeLessThan(0.36);
  });
});

describe('TwoLayerFF engines and threads', () => {
  it('equal grids share one engine (and the network one pool); another grid gets its own engine', async () => {
    const net = new TwoLayerFF({ width: 64, distribution: gaussian(3), seed: 1, threads: 2 });
    const a = uniformGrid({ dim: 1, halfWidth: 8, n: 64 });
    const b = uniformGrid({ dim: 1, halfWidth: 8, n: 64 });
    const c = uniformGrid({ dim: 1, halfWidth: 8, n: 32 });
    expect(await net.engineFor(b)).toBe(await net.engineFor(a));
    expect(await net.engineFor(c)).not.toBe(await net.engineFor(a));
    expect((await net.engineFor(a)).backend).toMatch(/2 threads/);
    await net.dispose();
  });
});
