import { describe, expect, it } from 'vitest';
import {
  frequencyDynamics,
  intervalMesh,
  normL2,
  rectangleMesh,
  solveReactionDiffusion,
} from '../src/index.js';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('exact solutions (THEORY §4)', () => {
  it('σ_a = 0: every frequency decays on its own, û(ξ,t) = û(ξ,0) e^{−(2π)^d ρ_s t}', () => {
    const rho = (xi: ArrayLike<number>) => Math.exp(-(xi[0] ** 2) / 8) / Math.sqrt(8 * Math.PI);
    const p = frequencyDynamics({ dim: 1, density: rho, sigmaA: 0 });
    const u0 = (x: number) => Math.exp(-((x - 1) ** 2));
    const sol = solveReactionDiffusion({
      mesh: intervalMesh(-6, 6, 600),
      degree: 2,
      ...p,
      initial: (xi) => u0(xi[0]),
      times: [0, 1, 3],
      dt: 0.01,
    });
    const xs = Array.from({ length: 61 }, (_, i) => -5 + i / 6);
    for (const k of [1, 2]) {
      const t = sol.times[k];
      const exact = xs.map((x) => u0(x) * Math.exp(-2 * Math.PI * rho([x]) * t));
      expect(maxAbsDiff(sol.evaluate(k, xs).re, exact)).toBeLessThan(1e-5);
    }
  });

  it('constant ρ in 1D: a zero-flux cosine mode decays at (2π)(σ_a² c (nπ/ℓ)² + c)', () => {
    const c = 0.05;
    const sigmaA = 1.5;
    const [a, b] = [-4, 6];
    const n = 3;
    const k = (n * Math.PI) / (b - a);
    const p = frequencyDynamics({ dim: 1, density: () => c, sigmaA });
    const sol = solveReactionDiffusion({
      mesh: intervalMesh(a, b, 200),
      degree: 2,
      ...p,
      initial: (xi) => Math.cos(k * (xi[0] - a)),
      times: [0.5, 2],
      dt: 0.005,
    });
    const lambda = 2 * Math.PI * (sigmaA ** 2 * c * k * k + c);
    const xs = Array.from({ length: 41 }, (_, i) => a + (i * (b - a)) / 40);
    sol.times.forEach((t, j) => {
      const exact = xs.map((x) => Math.cos(k * (x - a)) * Math.exp(-lambda * t));
      expect(maxAbsDiff(sol.evaluate(j, xs).re, exact)).toBeLessThan(1e-5);
    });
  });

  it('constant ρ in 2D: products of cosines, also for complex data and P1', () => {
    const c = 0.01;
    const sigmaA = 1;
    const [l1, l2] = [4, 6];
    const [n1, n2] = [1, 2];
    const k1 = (n1 * Math.PI) / l1;
    const k2 = (n2 * Math.PI) / l2;
    const p = frequencyDynamics({ dim: 2, density: () => c, sigmaA });
    const mode = (x: number, y: number) => Math.cos(k1 * (x + 2)) * Math.cos(k2 * (y + 3));
    const lambda = (2 * Math.PI) ** 2 * (sigmaA ** 2 * c * (k1 * k1 + k2 * k2) + c);
    const pts = [0.3, -1.1, -1.7, 2.2, 1.9, 0.4];
    for (const degree of [1, 2] as const) {
      const sol = solveReactionDiffusion({
        mesh: rectangleMesh([-2, -3], [2, 3], degree === 1 ? [80, 120] : [20, 30]),
        degree,
        ...p,
        initial: { re: (xi) => mode(xi[0], xi[1]), im: (xi) => -2 * mode(xi[0], xi[1]) },
        times: [1],
        dt: 0.01,
      });
      const v = sol.evaluate(0, pts);
      const e = [0, 1, 2].map((i) => mode(pts[2 * i], pts[2 * i + 1]) * Math.exp(-lambda));
      const tol = degree === 1 ? 2e-3 : 1e-4;
      expect(maxAbsDiff(v.re, e)).toBeLessThan(tol);
      expect(
        maxAbsDiff(
          v.im,
          e.map((x) => -2 * x),
        ),
      ).toBeLessThan(2 * tol);
    }
  });

  it('energy ∫|û|² never increases (σ_a > 0, no source)', () => {
    const rho = (xi: ArrayLike<number>) => Math.exp(-(xi[0] ** 2 + xi[1] ** 2) / 8) / (8 * Math.PI);
    const p = frequencyDynamics({ dim: 2, density: rho, sigmaA: 1 });
    const times = Array.from({ length: 21 }, (_, i) => 0.25 * i);
    for (const scheme of ['crank-nicolson', 'bdf2', 'backward-euler'] as const) {
      const sol = solveReactionDiffusion({
        mesh: rectangleMesh([-6, -6], [6, 6], [24, 24]),
        ...p,
        initial: {
          re: (xi) => Math.exp(-((Math.hypot(xi[0], xi[1]) - 3) ** 2)),
          im: (xi) => Math.sin(xi[0]),
        },
        times,
        dt: 0.05,
        scheme,
      });
      const energy = times.map((_, k) => normL2(sol, k) ** 2);
      for (let k = 1; k < energy.length; k++)
        expect(energy[k]).toBeLessThanOrEqual(energy[k - 1] * (1 + 1e-12));
      expect(energy[energy.length - 1]).toBeLessThan(0.9 * energy[0]);
    }
  });
});
