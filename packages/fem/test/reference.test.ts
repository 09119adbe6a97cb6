import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frequencyDynamics, intervalMesh, rectangleMesh, solveReactionDiffusion } from '../src/index.js';

interface Reference {
  dim: 1 | 2;
  box: number[][];
  sigmaA: number;
  density: { kind: string; sigma: number };
  times: number[];
  probes: number[][];
  values: number[][];
}

const load = (name: string): Reference =>
  JSON.parse(readFileSync(new URL(`./fixtures/reference/${name}.json`, import.meta.url), 'utf8'));

/** Gaussian N(0, s²) per axis (ρ symmetric, so ρ_s = ρ). */
const gaussian = (s: number, dim: number) => (xi: ArrayLike<number>) => {
  let r2 = 0;
  for (let k = 0; k < dim; k++) r2 += xi[k] ** 2;
  return Math.exp(-r2 / (2 * s * s)) / (2 * Math.PI * s * s) ** (dim / 2);
};

function check(ref: Reference, values: (k: number) => Float64Array): void {
  const scale = Math.max(...ref.values.flat().map(Math.abs));
  ref.times.forEach((_, k) => {
    const got = values(k);
    const worst = Math.max(...ref.values[k].map((v, p) => Math.abs(got[p] - v)));
    expect(worst / scale, `output ${k} (t = ${ref.times[k]})`).toBeLessThan(1e-3);
  });
}

describe('reference solutions (DOLFIN, ../shared/reference)', () => {
  it('gauss-1d: Gaussian ρ, σ = 10, two bumps', () => {
    const ref = load('gauss-1d');
    expect(ref.density.kind).toBe('gaussian');
    const p = frequencyDynamics({ dim: 1, density: gaussian(ref.density.sigma, 1), sigmaA: ref.sigmaA });
    const sol = solveReactionDiffusion({
      mesh: intervalMesh(ref.box[0][0], ref.box[1][0], 1000),
      degree: 2,
      ...p,
      // initial_text: exp(-(xi-10)^2/2) + 0.5*exp(-(xi+25)^2/8)
      initial: (xi) => Math.exp(-((xi[0] - 10) ** 2) / 2) + 0.5 * Math.exp(-((xi[0] + 25) ** 2) / 8),
      times: ref.times,
      dt: 0.01,
    });
    const probes = ref.probes.flat();
    check(ref, (k) => sol.evaluate(k, probes).re);
  });

  it('gauss-2d: Gaussian ρ, σ = 5, a ring', () => {
    const ref = load('gauss-2d');
    const p = frequencyDynamics({ dim: 2, density: gaussian(ref.density.sigma, 2), sigmaA: ref.sigmaA });
    const sol = solveReactionDiffusion({
      mesh: rectangleMesh(ref.box[0], ref.box[1], [128, 128]),
      degree: 2,
      ...p,
      // initial_text: exp(-(|xi|-8)^2/2)
      initial: (xi) => Math.exp(-((Math.hypot(xi[0], xi[1]) - 8) ** 2) / 2),
      times: ref.times,
      dt: 0.01,
    });
    const probes = ref.probes.flat();
    check(ref, (k) => sol.evaluate(k, probes).re);
  });
});
