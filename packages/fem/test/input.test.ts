import { describe, expect, it } from 'vitest';
import type { ReactionDiffusionOptions } from '../src/index.js';
import {
  type Csr,
  frequencyDynamics,
  intervalMesh,
  pcg,
  rectangleMesh,
  solveReactionDiffusion,
  spdSolver,
  stepPlan,
} from '../src/index.js';

const base = (): ReactionDiffusionOptions => ({
  mesh: intervalMesh(-1, 1, 8),
  diffusion: 1,
  reaction: 0.5,
  initial: (xi) => Math.cos(xi[0]),
  times: [0, 0.5],
  dt: 0.1,
});
const run = (patch: Partial<ReactionDiffusionOptions>) => () =>
  solveReactionDiffusion({ ...base(), ...patch });

describe('bad input: a thrown error naming the argument', () => {
  it('NaN or negative coefficients at a quadrature point', () => {
    expect(run({ diffusion: (xi) => (xi[0] > 0.5 ? Number.NaN : 1) })).toThrow(
      /diffusion: not a finite number \(NaN\) at the quadrature point ξ = \(0\.5/,
    );
    expect(run({ reaction: (xi) => xi[0] })).toThrow(
      /reaction: negative \(-0\.9.*\) at the quadrature point/,
    );
    expect(run({ diffusion: -1 })).toThrow(/diffusion: expected a finite non-negative value, got -1/);
    expect(run({ source: () => Number.NaN })).toThrow(/source: not a finite number/);
  });

  it('times, dt, scheme, degree, solver', () => {
    expect(run({ times: [0, 1, 1] })).toThrow(
      /times: not strictly increasing \(times\[1\] = 1, times\[2\] = 1\)/,
    );
    expect(run({ times: [-1, 1] })).toThrow(/times: entry 0 is -1/);
    expect(run({ times: [] })).toThrow(/times: expected a non-empty array/);
    expect(run({ dt: 0 })).toThrow(/dt: expected a positive finite time step, got 0/);
    expect(run({ dt: -0.1 })).toThrow(/dt: .* got -0.1/);
    expect(run({ scheme: 'rk4' as never })).toThrow(/scheme: expected one of .* got 'rk4'/);
    expect(run({ degree: 3 as never })).toThrow(/degree: expected 1 or 2, got 3/);
    expect(run({ solver: 'lu' as never })).toThrow(/solver: expected 'cholesky' or 'cg', got 'lu'/);
  });

  it('non-finite output times', () => {
    expect(run({ times: [0, Number.POSITIVE_INFINITY] })).toThrow(/times: entry 1 is Infinity/);
    expect(run({ times: [0, Number.NaN] })).toThrow(/times: entry 1 is NaN/);
    expect(run({ times: [0.5, 0.2] })).toThrow(/times: not strictly increasing/);
    expect(() => stepPlan([1, 0.5], 0.1)).toThrow(/times: decreasing \(times\[0\] = 1, times\[1\] = 0.5\)/);
    expect(() => stepPlan([1], 0)).toThrow(/dt: expected a positive finite time step, got 0/);
    expect(run({ dt: Number.POSITIVE_INFINITY })).toThrow(/dt: expected a positive finite time step/);
  });

  it('CG tolerance and iteration limit', () => {
    // tolerance −1 used to stop CG at once and return the initial data unchanged.
    for (const tolerance of [-1, 0, 1, Number.NaN, '1e-8' as never])
      expect(run({ solver: 'cg', tolerance })).toThrow(/tolerance: expected a number in \(0, 1\)/);
    expect(run({ solver: 'cg', tolerance: -1 })).toThrow(/got -1$/);
    for (const maxIterations of [0, -3, 2.5, Number.POSITIVE_INFINITY])
      expect(run({ solver: 'cg', maxIterations })).toThrow(/maxIterations: expected a positive integer/);
    // The limit reaches CG: one iteration cannot solve the first step.
    expect(run({ solver: 'cg', maxIterations: 1 })).toThrow(/pcg: no convergence in 1 iterations/);
    const cg = solveReactionDiffusion({ ...base(), solver: 'cg', tolerance: 1e-13 }).values(1).re;
    const ldl = solveReactionDiffusion(base()).values(1).re;
    for (let i = 0; i < cg.length; i++) expect(cg[i]).toBeCloseTo(ldl[i], 10);
  });

  it('runs needing more than maxSteps time steps are refused with the count', () => {
    expect(run({ times: [20], dt: 1e-7 })).toThrow(
      /dt: 1e-7 needs 2\.00e\+8 time steps to reach t = 20, more than maxSteps = 10000000/,
    );
    expect(run({ times: [20], dt: 1e-300 })).toThrow(/dt: 1e-300 needs 2\.00e\+301 time steps/);
    expect(run({ times: [20], dt: 5e-324 })).toThrow(/dt: 5e-324 needs infinitely many time steps/);
    expect(run({ maxSteps: 4 })).toThrow(/needs 5\.00 time steps to reach t = 0\.5, more than maxSteps = 4/);
    expect(solveReactionDiffusion({ ...base(), maxSteps: 5 }).steps).toBe(5);
    expect(run({ maxSteps: 0 })).toThrow(/maxSteps: expected a positive integer, got 0/);
  });

  it('pcg and spdSolver: bad options, non-finite data, matrices that are not positive definite', () => {
    const m = (diag: number[], off: number): Csr => ({
      n: 2,
      rowPtr: Int32Array.of(0, 2, 4),
      colIdx: Int32Array.of(0, 1, 0, 1),
      values: Float64Array.of(diag[0], off, off, diag[1]),
    });
    const b = Float64Array.of(1, 2);
    expect(() => pcg(m([1, 1], 0), b, new Float64Array(2), { tolerance: 2 })).toThrow(/tolerance: expected/);
    expect(() => pcg(m([1, 1], 0), b, new Float64Array(2), { maxIterations: 0 })).toThrow(/maxIterations/);
    expect(() => pcg(m([1, -1], 0), b, new Float64Array(2))).toThrow(
      /pcg: diagonal entry 1 is -1: the matrix is not positive definite/,
    );
    expect(() => pcg(m([1, 1], 3), b, new Float64Array(2))).toThrow(/pcg: pᵀAp = .* not positive definite/);
    expect(() => pcg(m([1, 1], 0), Float64Array.of(1, Number.NaN), new Float64Array(2))).toThrow(
      /pcg: b\[1\] is NaN/,
    );
    // b = 0: the solution is 0 whatever the initial guess (a relative test would never stop).
    const x = Float64Array.of(5, 7);
    expect(pcg(m([2, 2], 1), new Float64Array(2), x)).toBe(0);
    expect(Array.from(x)).toEqual([0, 0]);
    expect(() => spdSolver(m([1, 1], 0), 'cg', { tolerance: -1 })).toThrow(/tolerance: expected a number/);
    expect(() => spdSolver(m([1, 1], 0), 'cg', { maxIterations: 1.5 })).toThrow(/maxIterations/);
  });

  it('initial data of the wrong length or not finite', () => {
    expect(run({ initial: { re: new Float64Array(5) } })).toThrow(
      /initial.re: expected 9 nodal values \(one per dof\), got 5/,
    );
    expect(run({ initial: { re: new Float64Array(9), im: [1, 2] } })).toThrow(
      /initial.im: expected 9 nodal values/,
    );
    expect(run({ initial: () => Number.NaN })).toThrow(/initial: value NaN at dof 0/);
    expect(run({ initial: 3 as never })).toThrow(/initial: expected a function/);
  });

  it('meshes and evaluation points', () => {
    expect(
      run({ mesh: { dim: 1, points: new Float64Array([0, 1]), cells: new Int32Array([0, 2]) } }),
    ).toThrow(/mesh.cells: cell 0 refers to point 2, out of range/);
    const sol = solveReactionDiffusion(base());
    expect(() => sol.evaluate(1, [0.2, 1.5])).toThrow(/points: point 1 \(1\.5\) is outside the mesh/);
    expect(() => sol.evaluate(2, [0])).toThrow(/k: output index must be an integer in \[0, 1\], got 2/);
    const sol2 = solveReactionDiffusion({ ...base(), mesh: rectangleMesh([0, 0], [1, 1], [2, 2]) });
    expect(() => sol2.evaluate(0, [0.5, 0.5, 2, -1])).toThrow(/point 1 \(2, -1\) is outside the mesh/);
  });

  it('frequencyDynamics arguments', () => {
    expect(() => frequencyDynamics({ dim: 3 as never, density: () => 1, sigmaA: 1 })).toThrow(
      /dim: expected 1 or 2/,
    );
    expect(() => frequencyDynamics({ dim: 1, density: () => 1, sigmaA: Number.NaN })).toThrow(/sigmaA/);
  });
});
