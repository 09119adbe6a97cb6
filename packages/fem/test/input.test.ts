import { describe, expect, it } from 'vitest';
import type { ReactionDiffusionOptions } from '../src/index.js';
import { frequencyDynamics, intervalMesh, rectangleMesh, solveReactionDiffusion } from '../src/index.js';

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
