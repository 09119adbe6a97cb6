import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { gaussian, mixture, shifted, uniformBox, uniformDisk } from '../src/distributions/index.js';
import { uniformGrid } from '../src/grid.js';
import { kernelDynamics } from '../src/kernel/dynamics.js';
import { kernelMatrix, kernelOperator } from '../src/kernel/operator.js';
import { createRng } from '../src/random.js';
import { windowedSines } from '../src/targets/index.js';

const relative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
};

function randomVector(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

function matVec(k: Float64Array, u: Float64Array): Float64Array {
  const n = u.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += k[i * n + j] * u[j];
  return out;
}

describe('kernelOperator: K u by FFT equals the explicit matrix product (THEORY §3)', () => {
  const cases = [
    ['1D gaussian', uniformGrid({ dim: 1, halfWidth: 8, n: 200 }), gaussian(10), 1.3],
    [
      '1D shifted mixture',
      uniformGrid({ dim: 1, halfWidth: 6, n: 97 }),
      mixture([1, 2], [shifted(gaussian(2), [25]), uniformBox(8)]),
      0.7,
    ],
    ['1D σ_a = 0', uniformGrid({ dim: 1, halfWidth: 4, n: 64 }), gaussian(3), 0],
    [
      '2D anisotropic, shifted',
      uniformGrid({ dim: 2, halfWidth: [4, 3], n: [20, 13] }),
      shifted(gaussian([3, 5]), [4, -7]),
      1,
    ],
    ['2D disk', uniformGrid({ dim: 2, halfWidth: 4, n: 16 }), uniformDisk(6), 2],
  ] as const;
  for (const [name, grid, rho, sigmaA] of cases) {
    it(name, () => {
      const u = randomVector(grid.size, 3);
      const out = new Float64Array(grid.size);
      kernelOperator(grid, rho, sigmaA).apply(u, out);
      expect(relative(out, matVec(kernelMatrix(grid, rho, sigmaA), u))).toBeLessThan(1e-12);
    });
  }
  it('rejects bad arguments by name', () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 1, n: 4 });
    expect(() => kernelOperator(grid, gaussian(1, 2), 1)).toThrow(/^distribution:/);
    expect(() => kernelOperator(grid, gaussian(1), -1)).toThrow(/^sigmaA:/);
  });
});

describe('kernelDynamics', () => {
  const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 128 });
  const rho = gaussian(4);
  const g = windowedSines({ frequencies: [1, 3, 6] }).evaluate(grid);
  const u0 = g.map((v) => -v);

  it('λ_max by power iteration equals the largest eigenvalue of h^d K (ml-matrix)', () => {
    const a = Matrix.from1DArray(grid.size, grid.size, kernelMatrix(grid, rho, 1)).mul(grid.cellVolume);
    const exact = Math.max(...new EigenvalueDecomposition(a, { assumeSymmetric: true }).realEigenvalues);
    const run = kernelDynamics({ grid, distribution: rho, sigmaA: 1, u0, learningRate: 'auto', times: [0] });
    expect(Math.abs(run.lambdaMax - exact) / exact).toBeLessThan(1e-8);
    expect(run.learningRate).toBe(1 / run.lambdaMax);
    expect(run.lambdaMaxConverged).toBe(true);
  });

  it('reports an unconverged power iteration as lambdaMaxConverged: false (exact with eigen)', () => {
    const common = { grid, distribution: rho, sigmaA: 1, u0, times: [0, 1] };
    const rough = kernelDynamics({
      ...common,
      learningRate: 0.01,
      powerIteration: { tolerance: 1e-14, maxIterations: 2 },
    });
    expect(rough.lambdaMaxConverged).toBe(false);
    expect(rough.snapshots).toHaveLength(2);
    expect(kernelDynamics({ ...common, learningRate: 0.01, method: 'matrix' }).lambdaMaxConverged).toBe(true);
    expect(kernelDynamics({ ...common, learningRate: 'auto', method: 'eigen' }).lambdaMaxConverged).toBe(
      true,
    );
  });

  it("'eigen' (V (1 − ηλ)^k Vᵀ u₀) equals step-by-step iteration, by FFT and by matrix", () => {
    const common = { grid, distribution: rho, sigmaA: 1, u0, learningRate: 0.01, times: [0, 0.5, 2.004, 7] };
    const exact = kernelDynamics({ ...common, method: 'eigen' });
    const fft = kernelDynamics({ ...common, method: 'fft' });
    const dense = kernelDynamics({ ...common, method: 'matrix' });
    expect(fft.steps).toEqual([0, 50, 200, 700]);
    expect(exact.steps).toEqual(fft.steps);
    for (let s = 0; s < 4; s++) expect(fft.times[s]).toBeCloseTo(0.01 * fft.steps[s], 14);
    for (let s = 0; s < 4; s++) {
      expect(relative(fft.snapshots[s], exact.snapshots[s])).toBeLessThan(1e-10);
      expect(relative(dense.snapshots[s], exact.snapshots[s])).toBeLessThan(1e-10);
    }
    expect([...fft.snapshots[0]]).toEqual([...u0]);
  });

  it("'flow' approaches 'descent' as η shrinks", () => {
    const flow = kernelDynamics({
      grid,
      distribution: rho,
      sigmaA: 1,
      u0,
      learningRate: 2e-4,
      times: [1],
      method: 'eigen',
      dynamics: 'flow',
    });
    const coarse = kernelDynamics({
      grid,
      distribution: rho,
      sigmaA: 1,
      u0,
      learningRate: 0.02,
      times: [1],
      method: 'eigen',
    });
    const fine = kernelDynamics({
      grid,
      distribution: rho,
      sigmaA: 1,
      u0,
      learningRate: 2e-4,
      times: [1],
      method: 'eigen',
    });
    const eCoarse = relative(coarse.snapshots[0], flow.snapshots[0]);
    const eFine = relative(fine.snapshots[0], flow.snapshots[0]);
    expect(eFine).toBeLessThan(eCoarse / 50); // first order in η: 100× smaller η
  });

  it('the loss falls monotonically with η = 1/λ_max, snapshots in the requested order', () => {
    const times = Array.from({ length: 40 }, (_, s) => 0.5 * (40 - s));
    const progress: number[] = [];
    const run = kernelDynamics({
      grid,
      distribution: rho,
      sigmaA: 1,
      u0,
      learningRate: 'auto',
      times,
      onProgress: (p) => progress.push(p.step),
    });
    const byTime = run.losses.slice().reverse();
    for (let s = 1; s < byTime.length; s++) expect(byTime[s]).toBeLessThanOrEqual(byTime[s - 1]);
    expect(byTime[byTime.length - 1]).toBeLessThan(0.5 * byTime[0]);
    expect(run.steps[0]).toBe(Math.round(20 / run.learningRate));
    expect(progress[progress.length - 1]).toBe(run.steps[0]);
  });

  it('σ_a = 0: each frequency decays like exp(−2π ρ_s(ξ) t) (THEORY §4)', () => {
    const g1 = uniformGrid({ dim: 1, halfWidth: 8, n: 256 });
    const w = gaussian(3);
    const start = windowedSines({ frequencies: [2] }).evaluate(g1);
    const run = kernelDynamics({
      grid: g1,
      distribution: w,
      sigmaA: 0,
      u0: start.map((v) => -v),
      learningRate: 'auto',
      times: [0, 0.5],
      method: 'eigen',
      dynamics: 'flow',
    });
    const spectrum = (u: Float64Array, xi: number) => {
      let re = 0;
      let im = 0;
      for (let i = 0; i < g1.size; i++) {
        re += g1.h[0] * u[i] * Math.cos(xi * g1.points[i]);
        im -= g1.h[0] * u[i] * Math.sin(xi * g1.points[i]);
      }
      return Math.hypot(re, im);
    };
    for (const xi of [1, 2, 3]) {
      const ratio = spectrum(run.snapshots[1], xi) / spectrum(run.snapshots[0], xi);
      expect(ratio).toBeCloseTo(Math.exp(-2 * Math.PI * w.symmetricDensity([xi]) * 0.5), 6);
    }
  });

  it('handles a 64×64 2D grid by FFT', () => {
    const grid2 = uniformGrid({ dim: 2, halfWidth: 8, n: 64 });
    const target = windowedSines({
      frequencies: [
        [3, 0],
        [0, 6],
        [4, 4],
      ],
    }).evaluate(grid2);
    const run = kernelDynamics({
      grid: grid2,
      distribution: gaussian(5, 2),
      sigmaA: 1,
      u0: target.map((v) => -v),
      learningRate: 'auto',
      times: [0, 1, 5],
    });
    expect(run.losses[2]).toBeLessThan(run.losses[1]);
    expect(run.losses[1]).toBeLessThan(run.losses[0]);
  });

  it('rejects bad arguments by name', () => {
    const base = { grid, distribution: rho, sigmaA: 1, u0, learningRate: 0.01, times: [1] } as const;
    expect(() => kernelDynamics({ ...base, learningRate: 0 })).toThrow(/^learningRate:/);
    expect(() => kernelDynamics({ ...base, learningRate: 100 })).toThrow(/^learningRate: .* diverge/);
    expect(() => kernelDynamics({ ...base, times: [-1] })).toThrow(/^times:/);
    expect(() => kernelDynamics({ ...base, u0: [1, 2] })).toThrow(/^u0:/);
    expect(() => kernelDynamics({ ...base, sigmaA: Number.NaN })).toThrow(/^sigmaA:/);
    expect(() => kernelDynamics({ ...base, method: 'qr' as never })).toThrow(/^method:/);
    expect(() => kernelDynamics({ ...base, dynamics: 'flow' })).toThrow(/^dynamics:/);
  });
});
