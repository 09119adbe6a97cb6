import { describe, expect, it } from 'vitest';
import { gaussian } from '../src/distributions/index.js';
import { type Grid, uniformGrid } from '../src/grid.js';
import { createFloat64Engine } from '../src/models/two-layer/engines/float64.js';
import { createNufftEngine } from '../src/models/two-layer/engines/nufft.js';
import { TwoLayerFF } from '../src/models/two-layer/model.js';
import { createRng } from '../src/random.js';
import { twoLayerLambdaMax } from '../src/training/gd.js';
import { train } from '../src/training/train.js';
import { randomParameters } from './helpers/random.js';
import { relErr } from './helpers/relative.js';

function randomVector(length: number, rng: ReturnType<typeof createRng>, scale = 1): Float64Array {
  return Float64Array.from({ length }, () => scale * rng.normal());
}

const problems: { name: string; grid: Grid; width: number; sigma: number }[] = [
  { name: '1D N=512, m=4096', grid: uniformGrid({ dim: 1, halfWidth: 8, n: 512 }), width: 4096, sigma: 40 },
  { name: '1D N=101, m=1', grid: uniformGrid({ dim: 1, halfWidth: 5, n: 101 }), width: 1, sigma: 30 },
  {
    name: '2D 32×27, m=1000',
    grid: uniformGrid({ dim: 2, halfWidth: [4, 3], n: [32, 27] }),
    width: 1000,
    sigma: 12,
  },
];

describe('nufft engine against the direct float64 engine', () => {
  for (const { name, grid, width, sigma } of problems) {
    it(`${name}: forward, vjp and jvp agree to 1e-10`, async () => {
      const p = randomParameters(grid.dim, width, sigma, width + grid.size);
      const rng = createRng(7);
      const r = randomVector(grid.size, rng);
      const t = {
        w: randomVector(width * grid.dim, rng),
        a: randomVector(width, rng),
        b: randomVector(width, rng),
      };
      const nufft = createNufftEngine(grid);
      const direct = createFloat64Engine(grid, { threads: 1 });
      expect(relErr(await nufft.forward(p), await direct.forward(p))).toBeLessThan(1e-10);
      const g = await nufft.vjp(p, r);
      const gRef = await direct.vjp(p, r);
      for (const key of ['w', 'a', 'b'] as const) expect(relErr(g[key], gRef[key])).toBeLessThan(1e-10);
      expect(relErr(await nufft.jvp(p, t), await direct.jvp(p, t))).toBeLessThan(1e-10);
      await Promise.all([nufft.dispose(), direct.dispose()]);
    });
  }
});

describe('training with the nufft and float64 engines', () => {
  const setups: { name: string; grid: Grid; width: number; sigma: number }[] = [
    { name: '1D N=256, m=1024', grid: uniformGrid({ dim: 1, halfWidth: 8, n: 256 }), width: 1024, sigma: 10 },
    { name: '2D 24×24, m=512', grid: uniformGrid({ dim: 2, halfWidth: 4, n: 24 }), width: 512, sigma: 3 },
  ];
  for (const { name, grid, width, sigma } of setups) {
    it(`${name}: trajectories agree to 1e-8 over 100 steps`, async () => {
      const target = Float64Array.from({ length: grid.size }, (_, i) => {
        let r2 = 0;
        let phase = 0;
        for (let a = 0; a < grid.dim; a++) {
          const x = grid.points[i * grid.dim + a];
          r2 += x * x;
          phase += (a + 2) * x;
        }
        return Math.exp(-r2 / 2) * Math.sin(phase);
      });
      const make = (engine: 'nufft' | 'float64') =>
        new TwoLayerFF({ width, distribution: gaussian(sigma, grid.dim), seed: 3, engine, threads: 1 });
      const direct = make('float64');
      // One learning rate for both runs, so that only the engines differ.
      const lambda = await twoLayerLambdaMax(
        await direct.engineFor(grid),
        direct.parameters,
        grid.cellVolume,
        true,
      );
      const eta = 1 / lambda;
      const times = [50 * eta, 100 * eta];
      const nufft = make('nufft');
      expect((await nufft.engineFor(grid)).name).toBe('nufft');
      const runDirect = await train(direct, { grid, target, learningRate: eta, times });
      const runNufft = await train(nufft, { grid, target, learningRate: eta, times });
      expect(runNufft.steps).toEqual([50, 100]);
      for (let s = 0; s < times.length; s++) {
        expect(relErr(runNufft.snapshots[s], runDirect.snapshots[s])).toBeLessThan(1e-8);
      }
      expect(relErr(nufft.parameters.w, direct.parameters.w)).toBeLessThan(1e-8);
      expect(runNufft.lossCurve[100]).toBeLessThan(0.9 * runNufft.lossCurve[0]);
      await Promise.all([nufft.dispose(), direct.dispose()]);
    });
  }
});
