import { describe, expect, it } from 'vitest';
import { gaussian } from '../src/distributions/gaussian.js';
import { uniformGrid } from '../src/grid.js';
import { availableTfjsBackends } from '../src/models/tfjs-backend.js';
import type { TwoLayerParameters, TwoLayerTangent } from '../src/models/two-layer/engine.js';
import { createFloat64Engine } from '../src/models/two-layer/engines/float64.js';
import { createTfjsEngine } from '../src/models/two-layer/engines/tfjs.js';
import { TwoLayerFF } from '../src/models/two-layer/model.js';
import { createRng } from '../src/random.js';
import { train } from '../src/training/train.js';
import { relMax } from './helpers/relative.js';

const grids = [
  uniformGrid({ dim: 1, halfWidth: 4, n: 100 }),
  uniformGrid({ dim: 2, halfWidth: [3, 2], n: [12, 9] }),
] as const;

describe('tfjs engine', async () => {
  const backends = (await availableTfjsBackends()).map(
    (name) => name.replace('tfjs-', '') as 'node' | 'wasm' | 'cpu',
  );

  it('finds at least the wasm and cpu backends', () => {
    expect(backends).toContain('wasm');
    expect(backends).toContain('cpu');
  });

  for (const backend of backends) {
    it(`Float64 engine matches tfjs autodiff to float32 tolerance (${backend}, 1D and 2D)`, async () => {
      for (const grid of grids) {
        const d = grid.dim;
        const rng = createRng(17);
        const m = 30;
        const normal = (n: number, s = 1) => Float64Array.from({ length: n }, () => s * rng.normal());
        const p: TwoLayerParameters = { dim: d, width: m, w: normal(m * d, 3), a: normal(m), b: normal(m) };
        const t: TwoLayerTangent = { w: normal(m * d), a: normal(m), b: normal(m) };
        const r = normal(grid.size);
        const exact = createFloat64Engine(grid, { threads: 1 });
        const tfjs = await createTfjsEngine(grid, { backend });
        expect(tfjs.name).toBe(`tfjs-${backend}`);
        expect(relMax(await tfjs.forward(p), await exact.forward(p))).toBeLessThan(2e-5);
        expect(relMax(await tfjs.jvp(p, t), await exact.jvp(p, t))).toBeLessThan(2e-5);
        const g32 = await tfjs.vjp(p, r);
        const g64 = await exact.vjp(p, r);
        for (const key of ['w', 'a', 'b'] as const) expect(relMax(g32[key], g64[key])).toBeLessThan(2e-5);
        await tfjs.dispose();
      }
    });
  }

  it('Float64 and tfjs give the same training trajectory on a small problem', async () => {
    const grid = grids[0];
    const target = grid.points.map((x) => Math.exp((-x * x) / 2) * Math.sin(2 * x));
    const run = async (engine: 'float64' | 'tfjs') => {
      const net = new TwoLayerFF({ width: 64, distribution: gaussian(3), seed: 9, engine });
      const result = await train(net, { grid, target, learningRate: 'auto', times: [0, 5, 15, 30] });
      await net.dispose();
      return result;
    };
    const a = await run('float64');
    const b = await run('tfjs');
    expect(b.engine).toMatch(/^tfjs-/);
    expect(Math.abs(b.lambdaMax - a.lambdaMax) / a.lambdaMax).toBeLessThan(1e-4);
    expect(b.steps).toEqual(a.steps);
    for (let s = 1; s < a.snapshots.length; s++)
      expect(relMax(b.snapshots[s], a.snapshots[s])).toBeLessThan(1e-3);
    expect(a.losses[3]).toBeLessThan(0.5 * a.losses[0]);
  });
});
