import { describe, expect, it } from 'vitest';
import {
  errorL2,
  intervalMesh,
  type Mesh,
  rectangleMesh,
  type Scheme,
  solveReactionDiffusion,
} from '../src/index.js';
import { decayTimeErrors, manufactured, rate } from './manufactured.js';

const L = 3;

describe('manufactured solutions with a Gaussian ρ and a source', () => {
  // Steady u = φ(ξ): backward Euler with large steps reaches the discrete steady state, so the
  // error is the spatial one only.
  const steady = (dim: 1 | 2) =>
    manufactured(
      dim,
      L,
      () => 1,
      () => 0,
    );
  const spaceError = (mesh: Mesh, degree: 1 | 2) => {
    const m = steady(mesh.dim);
    const sol = solveReactionDiffusion({
      mesh,
      degree,
      diffusion: m.diffusion,
      reaction: m.reaction,
      source: m.source,
      initial: m.exact(0),
      times: [40],
      dt: 2,
      scheme: 'backward-euler',
    });
    return errorL2(sol, 0, m.exact(0));
  };

  it.each([
    [1, 1, [16, 32, 64]],
    [1, 2, [8, 16, 32]],
    [2, 1, [8, 16, 32]],
    [2, 2, [4, 8, 16]],
  ] as const)('dim %i, P%i: L2 error ~ h^(p+1)', (dim, degree, ns) => {
    const errors = ns.map((n) =>
      spaceError(dim === 1 ? intervalMesh(-L, L, n) : rectangleMesh([-L, -L], [L, L], [n, n]), degree),
    );
    const r = rate(errors[1], errors[2]);
    expect(r).toBeGreaterThan(degree + 1 - 0.2);
    expect(r).toBeLessThan(degree + 1 + 0.2);
  });

  // u = e^{−t} φ(ξ) on a fine P2 mesh: the error is the time-discretisation one.
  const timeError = (scheme: Scheme, dt: number) => decayTimeErrors(L, scheme, dt, [1])[0];

  it.each([
    ['crank-nicolson', 2],
    ['bdf2', 2],
    ['backward-euler', 1],
  ] as const)('%s: error ~ dt^%i', (scheme, order) => {
    const errors = [0.1, 0.05, 0.025].map((dt) => timeError(scheme, dt));
    const r = rate(errors[1], errors[2]);
    expect(r).toBeGreaterThan(order - 0.2);
    expect(r).toBeLessThan(order + 0.2);
  });
});
