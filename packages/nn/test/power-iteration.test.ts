import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { lanczosMax } from '../src/numeric/lanczos.js';
import { powerIteration, powerIterationSync } from '../src/numeric/power-iteration.js';
import { createRng } from '../src/random.js';

function randomPsd(n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const a = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.set(i, j, rng.normal());
  return a.mmul(a.transpose());
}

function applyOf(m: Matrix) {
  const n = m.rows;
  return (v: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += m.get(i, j) * v[j];
      out[i] = s;
    }
  };
}

describe('powerIteration', () => {
  it('finds the largest eigenvalue of a random PSD matrix (vs ml-matrix)', async () => {
    const m = randomPsd(40, 7);
    const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
    const exact = Math.max(...eig.realEigenvalues);
    const result = await powerIteration(async (v, out) => applyOf(m)(v, out), 40, { tolerance: 1e-13 });
    expect(result.converged).toBe(true);
    expect(Math.abs(result.lambdaMax - exact) / exact).toBeLessThan(1e-8);
    const sync = powerIterationSync(applyOf(m), 40, { tolerance: 1e-13 });
    expect(sync.lambdaMax).toBe(result.lambdaMax);
  });

  it('rejects bad arguments by name', () => {
    expect(() => powerIterationSync(() => {}, 0)).toThrow(/n:/);
    expect(() => powerIterationSync(() => {}, 2, { tolerance: 0 })).toThrow(/tolerance/);
    expect(() => powerIterationSync(() => {}, 2, { start: [1] })).toThrow(/start/);
  });
});

describe('lanczosMax', () => {
  it('finds the largest eigenvalue and its vector of a random PSD matrix (vs ml-matrix)', async () => {
    const m = randomPsd(60, 11);
    const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
    const values = eig.realEigenvalues;
    const top = values.indexOf(Math.max(...values));
    const result = await lanczosMax(async (v, out) => applyOf(m)(v, out), 60, { tolerance: 1e-12 });
    expect(result.converged).toBe(true);
    expect(Math.abs(result.lambdaMax - values[top]) / values[top]).toBeLessThan(1e-11);
    const exactVector = eig.eigenvectorMatrix.getColumn(top);
    const overlap = Math.abs(exactVector.reduce((s, x, i) => s + x * result.vector[i], 0));
    expect(overlap).toBeGreaterThan(1 - 1e-9);
  });

  it('converges on a nearly degenerate top where power iteration stops 1e-4 short (the 2D NTK case)', async () => {
    const n = 3000;
    const rng = createRng(3);
    // λ = 1, 1 − 1e-4, then a spread below 0.95: power iteration's ratio is 0.9999 per product
    const diag = Float64Array.from({ length: n }, (_, i) =>
      i === 0 ? 1 : i === 1 ? 1 - 1e-4 : 0.95 * rng.uniform(),
    );
    const apply = (v: Float64Array, out: Float64Array) => {
      for (let i = 0; i < n; i++) out[i] = diag[i] * v[i];
    };
    const power = await powerIteration(apply, n, { tolerance: 1e-8, maxIterations: 300 });
    const lanczos = await lanczosMax(apply, n, { tolerance: 1e-8, maxIterations: 300 });
    // power iteration's Aitken estimate is fooled by the slow pair: it stops ~1e-4 low (measured)
    expect(1 - power.lambdaMax).toBeGreaterThan(1e-5);
    expect(lanczos.converged).toBe(true);
    expect(lanczos.iterations).toBeLessThan(150);
    expect(Math.abs(lanczos.lambdaMax - 1)).toBeLessThan(1e-8);
    expect(lanczos.lambdaMax).toBeLessThanOrEqual(1 + 1e-12); // a Ritz value, from below
  });

  it('stops exactly on an invariant subspace and refuses non-finite products', async () => {
    const exact = await lanczosMax((v, out) => {
      out[0] = 2 * v[0];
      out[1] = 5 * v[1];
    }, 2);
    expect(exact.iterations).toBeLessThanOrEqual(2);
    expect(exact.lambdaMax).toBeCloseTo(5, 12);
    await expect(
      lanczosMax((_, out) => {
        out.fill(Number.NaN);
      }, 3),
    ).rejects.toThrow(/non-finite/);
  });
});
