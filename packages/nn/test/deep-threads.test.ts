import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gaussian } from '../src/distributions/gaussian.js';
import { uniformGrid } from '../src/grid.js';
import { deepThreadsFor, type ThreadedDeepEngine } from '../src/models/deep/engines/threads.js';
import { DeepFF, type DeepFFOptions } from '../src/models/deep/model.js';
import { train } from '../src/training/train.js';
import { relMax } from './helpers/relative.js';

const grid1 = uniformGrid({ dim: 1, halfWidth: 8, n: 64 });
const target1 = grid1.points.map((x) => Math.exp((-x * x) / 2) * (Math.sin(3 * x) + Math.sin(10 * x)));
const grid2 = uniformGrid({ dim: 2, halfWidth: 4, n: 10 });
const target2 = Array.from({ length: grid2.size }, (_, i) => {
  const [x, y] = [grid2.points[2 * i], grid2.points[2 * i + 1]];
  return Math.exp(-(x * x + y * y) / 4) * Math.sin(2 * x + y);
});

const options = (dim: 1 | 2, w: boolean): DeepFFOptions => ({
  distribution: dim === 1 ? gaussian(5) : gaussian([3, 1], 2),
  features: 20,
  width: 16,
  depth: 2,
  seed: 7,
  trainable: { w },
  backend: 'wasm',
});

// One two-thread network per shape, reset between runs: a worker's start (tsx, tfjs) is the slow part.
const threaded = new Map<string, DeepFF>();
function twoThreads(dim: 1 | 2, w: boolean): DeepFF {
  const key = `${dim}${w}`;
  let net = threaded.get(key);
  if (!net) {
    net = new DeepFF({ ...options(dim, w), threads: 2 });
    threaded.set(key, net);
  }
  return net;
}
afterAll(() => {
  for (const net of threaded.values()) net.dispose();
});

async function weights(net: DeepFF): Promise<Float64Array[]> {
  return Promise.all((await net.variables()).map(async (v) => Float64Array.from(await v.data())));
}

describe('DeepFF on two threads (data parallel) against one', () => {
  for (const [dim, w] of [
    [1, true],
    [1, false],
    [2, true],
  ] as const) {
    it(`${dim}D, W ${w ? 'trained' : 'frozen'}: GD and Adam trajectories and f agree to float32 tolerance`, async () => {
      const grid = dim === 1 ? grid1 : grid2;
      const target = dim === 1 ? target1 : target2;
      const two = twoThreads(dim, w);
      const one = new DeepFF({ ...options(dim, w), threads: 1 });
      expect(relMax(await two.evaluate(grid), await one.evaluate(grid))).toBeLessThan(1e-6);
      for (const optimizer of ['gd', 'adam'] as const) {
        const learningRate = optimizer === 'gd' ? 0.01 : 0.003;
        const times = [0, 10 * learningRate, 20 * learningRate];
        const runs = [];
        for (const net of [one, two]) {
          await net.reset();
          runs.push(await train(net, { grid, target, learningRate, optimizer, times }));
        }
        const [a, b] = runs;
        expect(b.steps).toEqual([0, 10, 20]);
        expect(a.losses[2]).toBeLessThan(0.95 * a.losses[0]);
        expect(relMax(b.lossCurve, a.lossCurve)).toBeLessThan(1e-4);
        for (let k = 0; k < a.snapshots.length; k++) {
          expect(relMax(b.snapshots[k], a.snapshots[k])).toBeLessThan(1e-4);
        }
        // every thread applied the same updates: f from both halves matches the one-thread f
        expect(relMax(await two.evaluate(grid), await one.evaluate(grid))).toBeLessThan(1e-4);
        const [wa, wb] = [await weights(one), await weights(two)];
        wa.forEach((values, k) => {
          expect(relMax(wb[k], values)).toBeLessThan(1e-4);
        });
        if (!w) {
          const fresh = new DeepFF({ ...options(dim, w), threads: 1 });
          expect(wb[0]).toEqual((await weights(fresh))[0]);
          fresh.dispose();
        }
      }
      one.dispose();
    });
  }

  it('sums both halves of the gradient: one step moves the weights as on one thread', async () => {
    const two = twoThreads(1, true);
    const one = new DeepFF({ ...options(1, true), threads: 1 });
    await two.reset();
    const before = await weights(one);
    const moves: Float64Array[][] = [];
    const losses: number[] = [];
    for (const net of [one, two]) {
      const optimizer = await net.engine.optimizer(grid1, target1, { optimizer: 'gd', learningRate: 0.01 });
      losses.push(await optimizer.loss());
      optimizer.step();
      optimizer.dispose();
      moves.push((await weights(net)).map((after, k) => after.map((v, i) => v - before[k][i])));
    }
    // the loss is the sum of the halves' losses
    expect(Math.abs(losses[1] - losses[0]) / losses[0]).toBeLessThan(1e-6);
    // a missing half would change the step by ~50%; float32 rounding of θ + Δθ stays far below 1e-2
    moves[0].forEach((move, k) => {
      expect(relMax(moves[1][k], move)).toBeLessThan(1e-2);
    });
    one.dispose();
  });

  it('gives weights assigned directly to the workers at the next training', async () => {
    const two = twoThreads(1, true);
    const one = new DeepFF({ ...options(1, true), threads: 1 });
    await two.reset();
    for (const net of [one, two]) {
      const [w] = await net.variables();
      w.assign(w.mul(1.5));
    }
    const runs = [];
    for (const net of [one, two]) {
      runs.push(await train(net, { grid: grid1, target: target1, learningRate: 0.01, times: [0, 0.05] }));
    }
    expect(relMax(runs[1].lossCurve, runs[0].lossCurve)).toBeLessThan(1e-4);
    await two.reset();
    one.dispose();
  });

  it('computes J Jᵀ v by the backward and forward passes as tfjs autodiff does (1 and 2 threads)', async () => {
    const v = Float64Array.from({ length: grid1.size }, (_, i) => Math.cos(0.3 * i) + 0.2);
    const ntk = async (net: DeepFF, grid = grid1, w = v) => {
      const out = new Float64Array(grid.size);
      await net.engine.ntk(grid, w, out);
      return out;
    };
    for (const activation of ['tanh', 'relu', 'sin'] as const) {
      for (const w of [true, false]) {
        const reference = new DeepFF({ ...options(1, w), activation, threads: 1 });
        const manual = new DeepFF({ ...options(1, w), activation, threads: 'auto' });
        expect((manual.engine as ThreadedDeepEngine).threadsFor(grid1)).toBe(1);
        const expected = await ntk(reference);
        expect(relMax(await ntk(manual), expected)).toBeLessThan(1e-5);
        if (activation === 'tanh') {
          // the shared two-thread network was trained by the tests above: back to θ_0 first
          const two = twoThreads(1, w);
          await two.reset();
          expect(relMax(await ntk(two), expected)).toBeLessThan(1e-5);
        }
        reference.dispose();
        manual.dispose();
      }
    }
    const reference2 = new DeepFF({ ...options(2, true), threads: 1 });
    const v2 = Float64Array.from({ length: grid2.size }, (_, i) => Math.sin(i));
    const two2 = twoThreads(2, true);
    await two2.reset();
    expect(relMax(await ntk(two2, grid2, v2), await ntk(reference2, grid2, v2))).toBeLessThan(1e-5);
    reference2.dispose();
  });

  it("splits a grid over threads by the step's work ('auto') or as asked", () => {
    const big = { features: 256, width: 256, depth: 3 };
    const small = { features: 20, width: 16, depth: 2 };
    expect(deepThreadsFor('auto', 64, small)).toBe(1);
    expect(deepThreadsFor('auto', 512, big)).toBe(availableParallelism() >= 2 ? 2 : 1);
    expect(deepThreadsFor('auto', 256, { features: 128, width: 128, depth: 3 })).toBe(1);
    expect(deepThreadsFor(3, 2, small)).toBe(2);
    expect(deepThreadsFor(1, 512, big)).toBe(1);
    expect(() => new DeepFF({ ...options(1, true), threads: 0 })).toThrow(/^threads:/);
    expect(() => new DeepFF({ ...options(1, true), threads: 1.5 })).toThrow(/^threads:/);
  });

  it('turns a dead worker or a failing request into an Error in the caller, not a hang', async () => {
    const net = new DeepFF({ ...options(1, true), threads: 2 });
    const engine = net.engine as ThreadedDeepEngine;
    const optimizer = await engine.optimizer(grid1, target1, { optimizer: 'gd', learningRate: 0.01 });
    await optimizer.loss();
    // reaching into the engine: its worker, and that worker's thread
    const worker = (engine as unknown as { workers: { request(r: object): Promise<unknown> }[] }).workers[0];
    await expect(worker.request({ type: 'loss', id: 12345 })).rejects.toThrow(/no optimiser 12345/);
    await (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(optimizer.loss()).rejects.toThrow(/^deep engine worker: exited/);
    await expect(engine.forward(grid1)).rejects.toThrow(/exited/);
    optimizer.dispose();
    net.dispose();
    await expect(engine.forward(grid1)).rejects.toThrow(/after dispose/);
  });

  it('lets the process exit after dispose, and without it (idle workers are unref’d)', async () => {
    const source = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'deep-threads-'));
    const script = (dispose: boolean) => {
      const file = join(dir, `run-${dispose}.mts`);
      writeFileSync(
        file,
        `import { DeepFF, gaussian, train, uniformGrid } from ${JSON.stringify(source)};
const grid = uniformGrid({ dim: 1, halfWidth: 4, n: 32 });
const net = new DeepFF({ distribution: gaussian(3), features: 8, width: 8, depth: 1, threads: 2 });
const run = await train(net, { grid, target: grid.points.map(Math.sin), learningRate: 0.01, times: [0.02] });
console.log(run.steps.join(','));
${dispose ? 'net.dispose();' : ''}`,
      );
      return file;
    };
    const exits = (file: string) =>
      new Promise<{ code: number | null; out: string; seconds: number }>((resolve, reject) => {
        const started = performance.now();
        const child = spawn(tsx, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.stderr.on('data', (d) => {
          out += d;
        });
        const timer = setTimeout(() => {
          child.kill();
          reject(new Error(`${file}: still running after 60 s\n${out}`));
        }, 60_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, out, seconds: (performance.now() - started) / 1000 });
        });
      });
    const results = await Promise.all([exits(script(true)), exits(script(false))]);
    for (const r of results) {
      expect(r.out.trim()).toBe('2');
      expect(r.code).toBe(0);
    }
  });
});
