import { afterAll, describe, expect, it } from 'vitest';
import { gaussian } from '../src/distributions/gaussian.js';
import { uniformGrid } from '../src/grid.js';
import { type DeepActivation, DeepFF, type DeepFFOptions } from '../src/models/deep/model.js';
import { deepKernels, deepKernelsModule, relaxedSimdAvailable } from '../src/models/deep/wasm/kernels.js';
import { gemmPackBytes } from '../src/models/deep/wasm/kernels-wat.js';
import { createRng } from '../src/random.js';
import { train } from '../src/training/train.js';
import { relMax } from './helpers/relative.js';

const grid1 = uniformGrid({ dim: 1, halfWidth: 8, n: 64 });
const target1 = grid1.points.map((x) => Math.exp((-x * x) / 2) * (Math.sin(3 * x) + Math.sin(10 * x)));
const grid2 = uniformGrid({ dim: 2, halfWidth: 4, n: 10 });
const target2 = Array.from({ length: grid2.size }, (_, i) => {
  const [x, y] = [grid2.points[2 * i], grid2.points[2 * i + 1]];
  return Math.exp(-(x * x + y * y) / 4) * Math.sin(2 * x + y);
});
// big enough that the first layer's products split over two threads (M·N·K ≥ 2^20)
const grid3 = uniformGrid({ dim: 1, halfWidth: 8, n: 128 });
const target3 = grid3.points.map((x) => Math.exp((-x * x) / 4) * Math.sin(6 * x));

const options = (dim: 1 | 2, activation: DeepActivation, w: boolean): DeepFFOptions => ({
  distribution: dim === 1 ? gaussian(5) : gaussian([3, 1], 2),
  features: dim === 1 ? 24 : 18,
  width: 16,
  depth: 3,
  activation,
  seed: 7,
  trainable: { w },
});
const wasm = (o: DeepFFOptions, extra: Partial<DeepFFOptions> = {}) =>
  new DeepFF({ ...o, engine: 'wasm', threads: 1, ...extra });
const tfjs = (o: DeepFFOptions) => new DeepFF({ ...o, engine: 'tfjs', backend: 'wasm', threads: 1 });

async function weights(net: DeepFF): Promise<Float64Array[]> {
  return Promise.all((await net.variables()).map(async (v) => Float64Array.from(await v.data())));
}

const nets: DeepFF[] = [];
const keep = (net: DeepFF) => {
  nets.push(net);
  return net;
};
afterAll(() => {
  for (const net of nets) net.dispose();
});

describe('DeepFF on the wasm engine against tfjs', () => {
  it('reports its engine, picks itself by default and keeps tfjs when asked', async () => {
    const o = options(1, 'tanh', true);
    const net = keep(new DeepFF(o));
    expect(net.runsOn).toBe('wasm');
    expect(await net.ready()).toEqual({
      engine: 'wasm-simd',
      backend: relaxedSimdAvailable() ? 'wasm-relaxed-simd' : 'wasm-simd',
    });
    expect(keep(new DeepFF({ ...o, backend: 'cpu' })).runsOn).toBe('tfjs');
    expect(keep(new DeepFF({ ...o, gradients: 'autodiff' })).runsOn).toBe('tfjs');
    expect(keep(new DeepFF({ ...o, engine: 'tfjs' })).runsOn).toBe('tfjs');
    const plain = keep(wasm(o, { fma: false }));
    expect(await plain.ready()).toEqual({ engine: 'wasm-simd', backend: 'wasm-simd' });
  });

  for (const [dim, activation] of [
    [1, 'tanh'],
    [1, 'relu'],
    [1, 'sin'],
    [2, 'tanh'],
  ] as const) {
    for (const w of [true, false]) {
      it(`${dim}D, ${activation}, W ${w ? 'trained' : 'frozen'}: f, J Jᵀ v, GD and Adam trajectories as tfjs`, async () => {
        const o = options(dim, activation, w);
        const grid = dim === 1 ? grid1 : grid2;
        const target = dim === 1 ? target1 : target2;
        const a = keep(wasm(o));
        const b = keep(tfjs(o));
        // f: the same float32 network (cos, sin and tanh by other approximations)
        const fa = await a.evaluate(grid);
        const fb = await b.evaluate(grid);
        expect(fa.length).toBe(grid.size);
        expect(relMax(fa, fb)).toBeLessThan(2e-6);
        // J Jᵀ v against tfjs's two reverse passes
        const v = Float64Array.from({ length: grid.size }, (_, i) => Math.cos(0.3 * i) + 0.2);
        const [ka, kb] = [new Float64Array(grid.size), new Float64Array(grid.size)];
        await a.engine.ntk(grid, v, ka);
        await b.engine.ntk(grid, v, kb);
        expect(relMax(ka, kb)).toBeLessThan(1e-5);
        for (const optimizer of ['gd', 'adam'] as const) {
          const learningRate = optimizer === 'gd' ? 0.01 : 0.003;
          const times = [0, 10 * learningRate, 30 * learningRate];
          const runs = [];
          for (const net of [a, b]) {
            await net.reset();
            runs.push(await train(net, { grid, target, learningRate, optimizer, times }));
          }
          const [ra, rb] = runs;
          expect(ra.engine).toBe('wasm-simd');
          expect(ra.steps).toEqual([0, 10, 30]);
          expect(ra.losses[2]).toBeLessThan(0.95 * ra.losses[0]);
          // float32 sums in another order; Adam and relu's kink amplify them
          const tolerance = activation === 'relu' ? 3e-4 : 1e-4;
          expect(relMax(ra.lossCurve, rb.lossCurve)).toBeLessThan(tolerance);
          for (let k = 0; k < ra.snapshots.length; k++) {
            expect(relMax(ra.snapshots[k], rb.snapshots[k])).toBeLessThan(tolerance);
          }
          const [wa, wb] = [await weights(a), await weights(b)];
          wa.forEach((values, k) => {
            expect(relMax(values, wb[k])).toBeLessThan(tolerance);
          });
          // frozen W: still its initial draw (the model's first from its seed)
          const w0 = Float32Array.from(o.distribution.sample(o.features, createRng(o.seed ?? 0)));
          if (!w) expect(wa[0]).toEqual(Float64Array.from(w0));
        }
      });
    }
  }

  it('a wide embedding (2m = 32,768 on N = 64: its packs once needed 4 GiB) runs as tfjs, on one thread and two', async () => {
    const o: DeepFFOptions = { distribution: gaussian(3), features: 16_384, width: 8, depth: 1, seed: 3 };
    const [one, two, ref] = [keep(wasm(o)), keep(wasm(o, { threads: 2 })), keep(tfjs(o))];
    expect(relMax(await one.evaluate(grid1), await ref.evaluate(grid1))).toBeLessThan(2e-6);
    const times = [0, 0.002, 0.004];
    const runs = [];
    for (const net of [one, two, ref])
      runs.push(await train(net, { grid: grid1, target: target1, learningRate: 0.0005, times }));
    expect(runs[0].engine).toBe('wasm-simd');
    expect(runs[0].losses[2]).toBeLessThan(runs[0].losses[0]);
    expect(runs[1].lossCurve).toEqual(runs[0].lossCurve);
    expect(relMax(runs[0].lossCurve, runs[2].lossCurve)).toBeLessThan(1e-4);
    expect(relMax(runs[0].snapshots[2], runs[2].snapshots[2])).toBeLessThan(1e-4);
  });

  it('runs the plain SIMD kernels (no relaxed SIMD) to float32 tolerance of the fused ones', async () => {
    const o = options(1, 'tanh', true);
    const plain = keep(wasm(o, { fma: false }));
    const fused = keep(wasm(o));
    const runs = [];
    for (const net of [plain, fused]) {
      runs.push(await train(net, { grid: grid1, target: target1, learningRate: 0.01, times: [0, 0.1, 0.2] }));
    }
    expect(relMax(runs[0].lossCurve, runs[1].lossCurve)).toBeLessThan(1e-4);
    expect(relMax(runs[0].snapshots[2], runs[1].snapshots[2])).toBeLessThan(1e-4);
  });

  it('two threads give bitwise the one-thread trajectory (products split by rows)', async () => {
    for (const w of [true, false]) {
      const o: DeepFFOptions = { ...options(1, 'tanh', w), features: 128, width: 64, depth: 2 };
      const runs = [];
      const finals = [];
      for (const threads of [1, 2]) {
        const net = keep(wasm(o, { threads }));
        runs.push(await train(net, { grid: grid3, target: target3, learningRate: 0.005, times: [0, 0.05] }));
        finals.push(await weights(net));
        for (const optimizer of ['adam'] as const) {
          await net.reset();
          runs.push(
            await train(net, {
              grid: grid3,
              target: target3,
              learningRate: 0.002,
              optimizer,
              times: [0, 0.02],
            }),
          );
        }
        const v = Float64Array.from({ length: grid3.size }, (_, i) => Math.sin(0.1 * i));
        const out = new Float64Array(grid3.size);
        await net.engine.ntk(grid3, v, out);
        finals.push([out]);
      }
      expect(runs[0].losses[1]).toBeLessThan(runs[0].losses[0]);
      expect(runs[2].lossCurve).toEqual(runs[0].lossCurve);
      expect(runs[2].snapshots).toEqual(runs[0].snapshots);
      expect(runs[3].lossCurve).toEqual(runs[1].lossCurve);
      expect(finals[2]).toEqual(finals[0]);
      expect(finals[3]).toEqual(finals[1]);
    }
  });

  it('resets, hands its weights to tfjs and takes assigned ones back', async () => {
    const o = options(1, 'tanh', true);
    const net = keep(wasm(o));
    const f0 = await net.evaluate(grid1);
    await train(net, { grid: grid1, target: target1, learningRate: 0.01, times: [0, 0.1] });
    const trained = await net.evaluate(grid1);
    expect(relMax(trained, f0)).toBeGreaterThan(1e-3);
    // the tf variables hold the trained weights: tfjs's f from them is the engine's
    const reference = keep(tfjs(o));
    const vars = await reference.variables();
    const mine = await net.variables();
    vars.forEach((v, k) => {
      v.assign(mine[k]);
    });
    expect(relMax(await reference.evaluate(grid1), trained)).toBeLessThan(2e-6);
    // an assign to them reaches the engine at its next call
    mine[mine.length - 1].assign(mine[mine.length - 1].add(1));
    const shifted = await net.evaluate(grid1);
    expect(
      relMax(
        shifted.map((s) => s - 1),
        trained,
      ),
    ).toBeLessThan(1e-6);
    await net.reset();
    expect(await net.evaluate(grid1)).toEqual(f0);
  });

  it('rejects bad options and calls after dispose with a one-line error', async () => {
    const o = options(1, 'tanh', true);
    // @ts-expect-error: not an engine
    expect(() => new DeepFF({ ...o, engine: 'gpu' })).toThrow(/^engine: /);
    // @ts-expect-error: not an fma option
    expect(() => new DeepFF({ ...o, engine: 'wasm', fma: 'yes' })).toThrow(/^fma: /);
    const net = wasm(o);
    await expect(net.engine.forward(grid2)).rejects.toThrow(/^grid: dimension 2/);
    const optimizer = await net.engine.optimizer(grid1, target1, { optimizer: 'gd', learningRate: 0.01 });
    expect(() => optimizer.step()).toThrow(/^step: call loss\(\) first/);
    await expect(
      net.engine.optimizer(grid1, [1, 2], { optimizer: 'gd', learningRate: 0.01 }),
    ).rejects.toThrow(/^target: expected length 64/);
    net.dispose();
    await expect(net.evaluate(grid1)).rejects.toThrow(/disposed/);
  });
});

describe('the wasm kernels', () => {
  for (const fma of [false, true]) {
    it(`${fma ? 'relaxed' : 'plain'} SIMD: C = A B, Aᵀ B, A Bᵀ (edge tiles, epilogues) and tanh against Float64`, async () => {
      if (fma && !relaxedSimdAvailable()) return;
      const { module } = await deepKernelsModule(fma);
      const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
      const k = deepKernels(module, memory);
      const f = new Float32Array(memory.buffer as SharedArrayBuffer);
      const [M, N, K] = [13, 21, 17];
      const [A, B, C, E, P] = [1024, 8192, 16384, 24576, 32768];
      for (let i = 0; i < M * K; i++) f[A / 4 + i] = Math.sin(1.3 * i);
      for (let i = 0; i < K * N; i++) f[B / 4 + i] = Math.cos(0.7 * i);
      for (let i = 0; i < M * N; i++) f[E / 4 + i] = 0.5 * Math.cos(3 * i);
      expect(gemmPackBytes(K, N)).toBeLessThan(C);
      for (const [ta, tb, mode] of [
        [false, false, 0],
        [true, false, 0],
        [false, true, 0],
        [true, true, 3],
        [false, false, 17],
      ] as const) {
        const [sai, sap] = ta ? [1, M] : [K, 1];
        const [sbp, sbj] = tb ? [1, K] : [N, 1];
        // mode 3: ⊙ (1 − E²); 17: tanh(· + bias), the bias E's first row (lde 0)
        k.gemm(M, N, K, A, sai, sap, B, sbp, sbj, C, N, mode, E, mode === 17 ? 0 : N, P);
        let err = 0;
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let sum = 0;
            for (let p = 0; p < K; p++) sum += f[A / 4 + i * sai + p * sap] * f[B / 4 + p * sbp + j * sbj];
            const e = f[E / 4 + (mode === 17 ? j : i * N + j)];
            const want = mode === 3 ? sum * (1 - e * e) : mode === 17 ? Math.tanh(sum + e) : sum;
            err = Math.max(err, Math.abs(f[C / 4 + i * N + j] - want));
          }
        }
        expect(err).toBeLessThan(5e-6);
      }
      // tanh over [−12, 12] to float32 accuracy (absolute: |tanh| ≤ 1)
      const [n, X, Y] = [4000, 1 << 20, 2 << 20];
      for (let i = 0; i < n; i++) f[X / 4 + i] = -12 + (24 * i) / (n - 1);
      k.tanh(n, X, Y);
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(f[Y / 4 + i] - Math.tanh(f[X / 4 + i])));
      expect(worst).toBeLessThan(4e-7);
    });
  }
});
