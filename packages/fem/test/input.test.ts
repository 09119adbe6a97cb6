import { describe, expect, it } from 'vitest';
import type { ReactionDiffusionOptions } from '../src/index.js';
import {
  type Csr,
  frequencyDynamics,
  intervalMesh,
  ldlNumeric,
  ldlSymbolic,
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

  it('coefficients: negative or not finite at a quadrature point, or too large for the cells', () => {
    expect(run({ diffusion: (xi) => (xi[0] < -0.9 ? -2 : 1) })).toThrow(
      /^diffusion: negative \(-2\) at the quadrature point ξ = \(-0\.9\d*\) of cell 0$/,
    );
    expect(run({ reaction: (xi) => (xi[0] > 0.5 ? Number.POSITIVE_INFINITY : 1) })).toThrow(
      /^reaction: not a finite number \(Infinity\) at the quadrature point ξ = \(0\.5\d*\) of cell 6$/,
    );
    expect(run({ reaction: Number.NaN })).toThrow(/reaction: expected a finite non-negative value, got NaN/);
    expect(run({ reaction: (() => 'x') as never })).toThrow(/reaction: not a finite number \(x\)/);
    expect(run({ diffusion: 1e308 })).toThrow(
      /^diffusion: the stiffness matrix has the entry Infinity in row 0 \(dof at ξ = \(-1\)\): D \(up to 1e\+308\) is too large/,
    );
    expect(run({ diffusion: 1e200, times: [1e200], dt: 1e200 })).toThrow(
      /^dt: the step matrix M \+ θ·h·A overflows \(step h = 1e\+200/,
    );
  });

  it('a step matrix that is singular in double precision names dt and the place', () => {
    // Pure diffusion, zero flux: M + h K loses M in rounding once h D / cell² ≫ 1e15.
    const steady = (dt: number) =>
      solveReactionDiffusion({
        mesh: intervalMesh(0, 1, 100),
        diffusion: 1,
        initial: (xi) => 1 + Math.cos(Math.PI * xi[0]),
        times: [dt],
        dt,
        scheme: 'backward-euler',
      });
    expect(() => steady(1e13)).toThrow(
      /^dt: the backward-euler step matrix M \+ 1·h·A \(h = 10000000000000\) has the pivot [-\d.e+]+ at dof \d+ \(ξ = \([\d.]+\)\): θ·h·A outweighs the mass matrix up to 3\.00e\+17-fold/,
    );
    // Here the pivots pass but the answer would be noise (the mean, 1, came out as about 0):
    // the residual check of the first solve catches it.
    expect(() => steady(1e17)).toThrow(/^dt: .* leaves a relative residual [\d.]+ \(largest at dof \d+/);
    // A large but sound step reaches the steady state, the mean.
    const v = steady(1e6).values(0).re;
    for (const x of v) expect(x).toBeCloseTo(1, 5);
  });

  it('ldlNumeric names the row of a pivot that is not positive or negligible', () => {
    const m = (d0: number, d1: number, off: number): Csr => ({
      n: 2,
      rowPtr: Int32Array.of(0, 2, 4),
      colIdx: Int32Array.of(0, 1, 0, 1),
      values: Float64Array.of(d0, off, off, d1),
    });
    const S = ldlSymbolic(m(1, 1, 0));
    expect(() => ldlNumeric(S, m(1, 1, 3))).toThrow(
      /^ldlNumeric: pivot -8 in row \d \(diagonal entry 1\): the matrix is not positive definite$/,
    );
    expect(() => ldlNumeric(S, m(1, 1, 1))).toThrow(/pivot 0 in row \d .*singular in double precision/);
    expect(() => ldlNumeric(S, m(1, 1, 1 - 1e-17))).toThrow(/singular in double precision/);
    expect(() => ldlNumeric(S, m(1, Number.NaN, 0))).toThrow(/the matrix has non-finite entries/);
    expect(() => ldlNumeric(S, m(2, 1, 1))).not.toThrow();
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
