import { describe, expect, it } from 'vitest';
import { gaussian } from '../src/distributions/gaussian.js';
import { uniformGrid } from '../src/grid.js';
import { type DeepActivation, DeepFF, type DeepGradients } from '../src/models/deep/model.js';
import { train } from '../src/training/train.js';

const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 64 });
const target = grid.points.map((x) => Math.exp((-x * x) / 2) * (Math.sin(3 * x) + Math.sin(10 * x)));

const make = (gradients: DeepGradients, activation: DeepActivation, w: boolean, backend: 'cpu' | 'wasm') =>
  new DeepFF({
    distribution: gaussian(5),
    features: 24,
    width: 16,
    depth: 3,
    activation,
    seed: 7,
    trainable: { w },
    backend,
    gradients,
  });

async function weights(net: DeepFF): Promise<Float64Array[]> {
  return Promise.all((await net.variables()).map(async (v) => Float64Array.from(await v.data())));
}

/** max |a − b| / max |b|: relative to the size of the reference. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let size = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    size = Math.max(size, Math.abs(b[i]));
  }
  return diff / size;
}

describe('DeepFF manual backward pass against tfjs autodiff', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const activation of ['tanh', 'relu', 'sin'] as const) {
      for (const w of [true, false]) {
        it(`${backend}, ${activation}, W ${w ? 'trained' : 'frozen'}: GD and Adam trajectories agree to float32 tolerance`, async () => {
          for (const optimizer of ['gd', 'adam'] as const) {
            const learningRate = optimizer === 'gd' ? 0.003 : 0.002;
            const times = [0, 10 * learningRate, 30 * learningRate];
            const runs: Awaited<ReturnType<typeof train>>[] = [];
            const finals: Float64Array[][] = [];
            for (const gradients of ['manual', 'autodiff'] as const) {
              const net = make(gradients, activation, w, backend);
              expect((await net.ready()).backend).toBe(backend);
              runs.push(await train(net, { grid, target, learningRate, optimizer, times }));
              finals.push(await weights(net));
              net.dispose();
            }
            const [manual, autodiff] = runs;
            // float32 sums in another order; Adam and relu's kink amplify them (relu, frozen W: 7.6e-5)
            const tolerance = activation === 'relu' ? 3e-4 : 1e-4;
            expect(manual.steps).toEqual([0, 10, 30]);
            expect(manual.losses[2]).toBeLessThan(manual.losses[0]);
            expect(relativeError(manual.lossCurve, autodiff.lossCurve)).toBeLessThan(tolerance);
            for (let k = 0; k < manual.snapshots.length; k++) {
              expect(relativeError(manual.snapshots[k], autodiff.snapshots[k])).toBeLessThan(tolerance);
            }
            finals[0].forEach((values, k) => {
              expect(relativeError(values, finals[1][k])).toBeLessThan(tolerance);
            });
            if (!w) {
              const fresh = make('manual', activation, w, backend);
              expect(finals[0][0]).toEqual((await weights(fresh))[0]);
              fresh.dispose();
            }
          }
        });
      }
    }
  }

  it('2D (wasm, tanh, anisotropic ρ_w): GD trajectories agree to float32 tolerance', async () => {
    const grid2 = uniformGrid({ dim: 2, halfWidth: 4, n: 12 });
    const target2 = Array.from({ length: grid2.size }, (_, i) => {
      const [x, y] = [grid2.points[2 * i], grid2.points[2 * i + 1]];
      return Math.exp(-(x * x + y * y) / 4) * Math.sin(2 * x + y);
    });
    const runs: Awaited<ReturnType<typeof train>>[] = [];
    const finals: Float64Array[][] = [];
    for (const gradients of ['manual', 'autodiff'] as const) {
      const net = new DeepFF({
        distribution: gaussian([3, 1], 2),
        features: 16,
        width: 12,
        depth: 2,
        seed: 3,
        backend: 'wasm',
        gradients,
      });
      runs.push(await train(net, { grid: grid2, target: target2, learningRate: 0.01, times: [0, 0.2] }));
      finals.push(await weights(net));
      net.dispose();
    }
    expect(runs[0].losses[1]).toBeLessThan(runs[0].losses[0]);
    expect(relativeError(runs[0].lossCurve, runs[1].lossCurve)).toBeLessThan(1e-4);
    finals[0].forEach((values, k) => {
      expect(relativeError(values, finals[1][k])).toBeLessThan(1e-4);
    });
  });

  it('rejects an unknown gradients option', () => {
    // @ts-expect-error: not a gradients option
    expect(() => make('numeric', 'tanh', true, 'cpu')).toThrow(/^gradients:/);
  });
});
