import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
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
