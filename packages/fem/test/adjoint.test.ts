import { describe, expect, it } from 'vitest';
import {
  adjointGradient,
  dofPoints,
  energyFunctional,
  type Functional,
  frequencyDynamicsGradient,
  intervalMesh,
  type Mesh,
  normL2,
  operatorFrequencyDynamics,
  pointFunctional,
  rectangleMesh,
  type Scheme,
  solveReactionDiffusion,
} from '../src/index.js';

/** A reproducible pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

interface Case {
  name: string;
  mesh: Mesh;
  degree: 1 | 2;
}

const cases: Case[] = [
  { name: '1D P1', mesh: intervalMesh(-2, 3, 14), degree: 1 },
  { name: '1D P2', mesh: intervalMesh(-2, 3, 8), degree: 2 },
  { name: '2D P1', mesh: rectangleMesh([-1, -1], [1.5, 1], [5, 4]), degree: 1 },
];
const schemes: Scheme[] = ['backward-euler', 'crank-nicolson', 'bdf2'];

/** A problem with varying D, R and complex initial data; the step size changes between outputs. */
function problem(c: Case, scheme: Scheme) {
  const pts = dofPoints(c.mesh, c.degree);
  const dim = c.mesh.dim;
  const n = pts.length / dim;
  const D = new Float64Array(n);
  const R = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = pts[i * dim];
    const y = dim === 2 ? pts[i * dim + 1] : 0;
    D[i] = 0.3 + 0.2 * Math.sin(x + 2 * y);
    R[i] = 1 + 0.5 * Math.cos(2 * x - y);
  }
  const initial = {
    re: (xi: Float64Array) => Math.exp(-((xi[0] - 0.5) ** 2) - (dim === 2 ? xi[1] ** 2 : 0)),
    im: (xi: Float64Array) => 0.3 * Math.sin(2 * xi[0]),
  };
  // dt = 0.07: steps of 0.06 up to 0.3, then 0.0666…, so BDF2 restarts once.
  const times = [0, 0.3, 0.5];
  const functional: Functional = energyFunctional(c.mesh, c.degree, [0.5, 1, 2]);
  return { mesh: c.mesh, degree: c.degree, D, R, initial, times, dt: 0.07, scheme, functional };
}

type Problem = ReturnType<typeof problem>;
const J = (p: Problem, D: Float64Array, R: Float64Array, functional: Functional = p.functional) =>
  adjointGradient({ ...p, diffusion: D, reaction: R, functional }).value;

/**
 * Fourth-order central difference of J along (dD, dR): (−J(2ε) + 8J(ε) − 8J(−ε) + J(−2ε)) / 12ε,
 * truncation O(ε⁴) and rounding O(10⁻¹⁶ J / ε), both ≲ 10⁻¹² at ε = 10⁻³.
 */
function centralDifference(p: Problem, dD: Float64Array, dR: Float64Array, eps: number): number {
  const shift = (x: Float64Array, d: Float64Array, s: number) => x.map((v, i) => v + s * d[i]);
  const at = (s: number) => J(p, shift(p.D, dD, s * eps), shift(p.R, dR, s * eps));
  return (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * eps);
}

describe('adjointGradient: the discrete adjoint against central differences', () => {
  for (const c of cases) {
    for (const scheme of schemes) {
      it(`${c.name}, ${scheme}: random directions to 1e-9, single components to 1e-8`, () => {
        const p = problem(c, scheme);
        const g = adjointGradient({ ...p, diffusion: p.D, reaction: p.R });
        const n = p.D.length;
        expect(g.diffusion.length).toBe(n);
        const rand = random(n + scheme.length);
        for (let trial = 0; trial < 2; trial++) {
          const dD = Float64Array.from({ length: n }, () => rand() - 0.5);
          const dR = Float64Array.from({ length: n }, () => rand() - 0.5);
          const fd = centralDifference(p, dD, dR, 1e-3);
          const ad = dot(g.diffusion, dD) + dot(g.reaction, dR);
          expect(Math.abs(ad - fd) / Math.abs(fd)).toBeLessThan(1e-9);
        }
        const zero = new Float64Array(n);
        for (const j of [0, Math.floor(n / 2), n - 1]) {
          const e = new Float64Array(n);
          e[j] = 1;
          const fdD = centralDifference(p, e, zero, 1e-3);
          const fdR = centralDifference(p, zero, e, 1e-3);
          const scale = Math.max(Math.abs(fdD), Math.abs(fdR));
          expect(Math.abs(g.diffusion[j] - fdD)).toBeLessThan(1e-8 * scale);
          expect(Math.abs(g.reaction[j] - fdR)).toBeLessThan(1e-8 * scale);
        }
      });
    }
  }

  it('dJ/dU⁰ (real and imaginary parts) against central differences, BDF2 in 2D', () => {
    const p = problem(cases[2], 'bdf2');
    const g = adjointGradient({ ...p, diffusion: p.D, reaction: p.R });
    const pts = dofPoints(p.mesh, 1);
    const n = p.D.length;
    const re = Float64Array.from({ length: n }, (_, i) => p.initial.re(pts.subarray(2 * i, 2 * i + 2)));
    const im = Float64Array.from({ length: n }, (_, i) => p.initial.im(pts.subarray(2 * i, 2 * i + 2)));
    const rand = random(7);
    const dRe = Float64Array.from({ length: n }, () => rand() - 0.5);
    const dIm = Float64Array.from({ length: n }, () => rand() - 0.5);
    const at = (s: number) =>
      adjointGradient({
        ...p,
        diffusion: p.D,
        reaction: p.R,
        initial: { re: re.map((v, i) => v + s * dRe[i]), im: im.map((v, i) => v + s * dIm[i]) },
      }).value;
    const fd = (at(1e-4) - at(-1e-4)) / 2e-4;
    const ad = dot(g.initial.re, dRe) + dot(g.initial.im, dIm);
    expect(Math.abs(ad - fd) / Math.abs(fd)).toBeLessThan(1e-9); // J is quadratic in U⁰: FD is exact
  });

  it('a wrong adjoint fails the check: the adjoint of another scheme or step misses by far more than 1e-9', () => {
    const p = problem(cases[0], 'crank-nicolson');
    const n = p.D.length;
    const rand = random(3);
    const dD = Float64Array.from({ length: n }, () => rand() - 0.5);
    const dR = Float64Array.from({ length: n }, () => rand() - 0.5);
    const fd = centralDifference(p, dD, dR, 1e-3);
    const rel = (q: Problem) => {
      const g = adjointGradient({ ...q, diffusion: q.D, reaction: q.R });
      return Math.abs(dot(g.diffusion, dD) + dot(g.reaction, dR) - fd) / Math.abs(fd);
    };
    expect(rel(p)).toBeLessThan(1e-9);
    // Backward Euler drops CN's explicit half step (the τ A term) — an O(h) different adjoint.
    expect(rel({ ...p, scheme: 'backward-euler' })).toBeGreaterThan(1e-3);
    // BDF2 without its restart rule would be a different scheme: its adjoint misses CN's FD too.
    expect(rel({ ...p, scheme: 'bdf2' })).toBeGreaterThan(1e-3);
    // Even a 0.1 % different step is resolved by the check.
    expect(rel({ ...p, dt: 0.07 * 0.999, times: [0, 0.3 * 0.999, 0.5 * 0.999] })).toBeGreaterThan(1e-6);
  });

  it('pointFunctional and a user callback (a linear functional) against central differences', () => {
    const p = problem(cases[1], 'crank-nicolson');
    const n = p.D.length;
    const c = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const linear: Functional = {
      value: (k, u) => (k === 2 ? dot(c, u.re) + 0.5 * dot(c, u.im) : 0),
      gradient: (k, _u, out) => {
        if (k !== 2) return;
        out.re.set(c);
        for (let i = 0; i < n; i++) out.im[i] = 0.5 * c[i];
      },
    };
    const point = pointFunctional(p.mesh, 2, [0.1, 1.3], [0, 1, 3]);
    const rand = random(11);
    const dD = Float64Array.from({ length: n }, () => rand() - 0.5);
    const dR = Float64Array.from({ length: n }, () => rand() - 0.5);
    for (const functional of [linear, point]) {
      const g = adjointGradient({ ...p, diffusion: p.D, reaction: p.R, functional });
      const q = { ...p, functional };
      const fd = centralDifference(q, dD, dR, 1e-3);
      expect(Math.abs(dot(g.diffusion, dD) + dot(g.reaction, dR) - fd) / Math.abs(fd)).toBeLessThan(1e-9);
    }
  });

  it('every value comes before the first gradient: a trajectory-dependent functional is exact', () => {
    // J = u(t_k*, ξ)² at the output k* where ∫u² is largest after t = 0: k* is read off the values
    const p = problem(cases[1], 'bdf2');
    const energy = energyFunctional(p.mesh, 2, [1, 1, 1]);
    const point = pointFunctional(p.mesh, 2, [0.4], [1, 1, 1]);
    const order: string[] = [];
    let energies: number[] = [];
    const chosen: Functional = {
      value: (k, u) => {
        order.push(`v${k}`);
        energies[k] = energy.value(k, u);
        return 0;
      },
      gradient: (k, u, out) => {
        order.push(`g${k}`);
        const best = energies[1] >= energies[2] ? 1 : 2;
        if (k === best) point.gradient(k, u, out);
      },
    };
    const g = adjointGradient({ ...p, diffusion: p.D, reaction: p.R, functional: chosen });
    expect(order.slice(0, 3)).toEqual(['v0', 'v1', 'v2']);
    expect(order.slice(3).every((e) => e.startsWith('g'))).toBe(true);
    // the same as differentiating the fixed point functional at that output
    energies = [];
    const best = (() => {
      const e = g.states.map((u, k) => energy.value(k, u));
      return e[1] >= e[2] ? 1 : 2;
    })();
    const fixed = pointFunctional(p.mesh, 2, [0.4], [0, best === 1 ? 1 : 0, best === 2 ? 1 : 0]);
    const h = adjointGradient({ ...p, diffusion: p.D, reaction: p.R, functional: fixed });
    for (let j = 0; j < h.diffusion.length; j++) expect(g.diffusion[j]).toBeCloseTo(h.diffusion[j], 14);
  });

  it('P1 coefficients for a P2 solution (coefficientDegree 1)', () => {
    const p = problem(cases[1], 'bdf2');
    const pts = dofPoints(p.mesh, 1);
    const D = pts.map((x) => 0.3 + 0.1 * x * x);
    const R = pts.map((x) => 1 + 0.2 * x);
    const q = { ...p, D, R, coefficientDegree: 1 as const };
    const g = adjointGradient({ ...q, diffusion: D, reaction: R });
    expect(g.diffusion.length).toBe(pts.length);
    const rand = random(5);
    const dD = Float64Array.from(D, () => rand() - 0.5);
    const dR = Float64Array.from(D, () => rand() - 0.5);
    const fd = centralDifference(q, dD, dR, 1e-3);
    expect(Math.abs(dot(g.diffusion, dD) + dot(g.reaction, dR) - fd) / Math.abs(fd)).toBeLessThan(1e-9);
  });
});

describe('adjointGradient with a mass coefficient c ≠ 1', () => {
  /** Nodal c = 1.5 + 0.6 sin(x − y) on the coefficient space of the case. */
  const massOf = (p: Problem) => {
    const pts = dofPoints(p.mesh, p.degree);
    const dim = p.mesh.dim;
    return Float64Array.from(
      p.D,
      (_, i) => 1.5 + 0.6 * Math.sin(pts[i * dim] - (dim === 2 ? pts[i * dim + 1] : 0)),
    );
  };
  const Jm = (p: Problem, D: Float64Array, R: Float64Array, C: Float64Array) =>
    adjointGradient({ ...p, diffusion: D, reaction: R, mass: C }).value;

  for (const c of cases) {
    for (const scheme of schemes) {
      it(`${c.name}, ${scheme}: dJ/dD, dJ/dR and dJ/dc along random directions to 1e-9; states equal the solver's`, () => {
        const p = problem(c, scheme);
        const C = massOf(p);
        const g = adjointGradient({ ...p, diffusion: p.D, reaction: p.R, mass: C });
        const n = p.D.length;
        expect(g.mass?.length).toBe(n);
        const rand = random(3 * n + scheme.length);
        const dir = () => Float64Array.from({ length: n }, () => rand() - 0.5);
        const [dD, dR, dC] = [dir(), dir(), dir()];
        const shift = (x: Float64Array, d: Float64Array, s: number) => x.map((v, i) => v + s * d[i]);
        const eps = 1e-3;
        const at = (s: number) =>
          Jm(p, shift(p.D, dD, s * eps), shift(p.R, dR, s * eps), shift(C, dC, s * eps));
        const fd = (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * eps);
        const ad = dot(g.diffusion, dD) + dot(g.reaction, dR) + dot(g.mass ?? [], dC);
        expect(Math.abs(ad - fd) / Math.abs(fd)).toBeLessThan(1e-9);
        // dJ/dc alone, so that a wrong mass gradient cannot hide behind the others.
        const atC = (s: number) => Jm(p, p.D, p.R, shift(C, dC, s * eps));
        const fdC = (-atC(2) + 8 * atC(1) - 8 * atC(-1) + atC(-2)) / (12 * eps);
        expect(Math.abs(dot(g.mass ?? [], dC) - fdC) / Math.abs(fdC)).toBeLessThan(1e-8);
        const sol = solveReactionDiffusion({
          ...p,
          diffusion: { nodal: p.D },
          reaction: { nodal: p.R },
          mass: { nodal: C },
        });
        for (let k = 0; k < p.times.length; k++)
          expect(Array.from(g.states[k].re)).toEqual(Array.from(sol.values(k).re));
        // c ≠ 1 changes the states: the option is not ignored.
        const plain = adjointGradient({ ...p, diffusion: p.D, reaction: p.R });
        expect(Math.abs(plain.value - g.value)).toBeGreaterThan(1e-3 * g.value);
      });
    }
  }

  it('a mass coefficient given as a function is used but not differentiated', () => {
    const p = problem(cases[1], 'crank-nicolson');
    const fn = (xi: Float64Array) => 2 + Math.cos(xi[0]);
    const g = adjointGradient({ ...p, diffusion: p.D, reaction: p.R, mass: fn });
    expect(g.mass).toBeUndefined();
    const sol = solveReactionDiffusion({
      ...p,
      diffusion: { nodal: p.D },
      reaction: { nodal: p.R },
      mass: fn,
    });
    expect(Array.from(g.states[2].re)).toEqual(Array.from(sol.values(2).re));
    const n = p.D.length;
    const rand = random(17);
    const dD = Float64Array.from({ length: n }, () => rand() - 0.5);
    const at = (s: number) =>
      adjointGradient({ ...p, diffusion: p.D.map((v, i) => v + s * dD[i]), reaction: p.R, mass: fn }).value;
    const fd = (-at(2e-3) + 8 * at(1e-3) - 8 * at(-1e-3) + at(-2e-3)) / 12e-3;
    expect(Math.abs(dot(g.diffusion, dD) - fd) / Math.abs(fd)).toBeLessThan(1e-9);
    expect(() => adjointGradient({ ...p, diffusion: p.D, reaction: p.R, mass: p.D.subarray(1) })).toThrow(
      /^mass: expected 17 nodal values/,
    );
    expect(() => adjointGradient({ ...p, diffusion: p.D, reaction: p.R, mass: 0 })).toThrow(
      /^mass: expected a finite value > 0, got 0$/,
    );
  });
});

describe('adjointGradient: the forward solve is the solver’s', () => {
  for (const c of cases) {
    for (const scheme of schemes) {
      it(`${c.name}, ${scheme}: states equal solveReactionDiffusion's with { nodal } coefficients; ½∫|u|² equals ½ normL2²`, () => {
        const p = problem(c, scheme);
        const g = adjointGradient({ ...p, diffusion: p.D, reaction: p.R });
        const sol = solveReactionDiffusion({
          ...p,
          diffusion: { nodal: p.D },
          reaction: { nodal: p.R },
        });
        expect(g.steps).toBe(sol.steps);
        let expected = 0;
        p.times.forEach((_, k) => {
          const u = sol.values(k);
          for (let i = 0; i < u.re.length; i++) {
            expect(g.states[k].re[i]).toBe(u.re[i]);
            expect(g.states[k].im[i]).toBe(u.im[i]);
          }
          const w = [0.5, 1, 2][k];
          expected += 0.5 * w * normL2(sol, k) ** 2;
          expect(g.values[k]).toBeCloseTo(0.5 * w * normL2(sol, k) ** 2, 13);
        });
        expect(Math.abs(g.value - expected) / expected).toBeLessThan(1e-13);
      });
    }
  }
});

describe('adjointGradient: many output times (a loss curve)', () => {
  // Steps 0.1/5 differ in the last bits between intervals (0.30000000000000004 − 0.2 …): the
  // solver's matrix cache (keyed by h to 13 digits) and BDF2's restarts (h !== last h) must be
  // followed exactly.
  const times = Array.from({ length: 11 }, (_, k) => k * 0.1);
  for (const scheme of schemes) {
    it(`${scheme}: same states as the solver and the gradient to 1e-9`, () => {
      const c = cases[1];
      const p = { ...problem(c, scheme), times, dt: 0.02 };
      const weights = times.map((_, k) => (k === 0 ? 0 : 1));
      const functional: Functional = energyFunctional(c.mesh, c.degree, weights);
      const q = { ...p, functional };
      const g = adjointGradient({ ...q, diffusion: p.D, reaction: p.R });
      const sol = solveReactionDiffusion({ ...q, diffusion: { nodal: p.D }, reaction: { nodal: p.R } });
      for (let k = 0; k < times.length; k++)
        expect(Array.from(g.states[k].re)).toEqual(Array.from(sol.values(k).re));
      const rand = random(13);
      const dD = Float64Array.from(p.D, () => rand() - 0.5);
      const dR = Float64Array.from(p.D, () => rand() - 0.5);
      const fd = centralDifference(q, dD, dR, 1e-3);
      expect(Math.abs(dot(g.diffusion, dD) + dot(g.reaction, dR) - fd) / Math.abs(fd)).toBeLessThan(1e-9);
    });
  }
});

describe('frequencyDynamicsGradient: dJ/dρ by the chain rule', () => {
  it('against central differences in ρ_s (1D P2, CN)', () => {
    const mesh = intervalMesh(-6, 6, 12);
    const pts = dofPoints(mesh, 2);
    const rho = pts.map((x) => Math.exp(-(x * x) / 8) / Math.sqrt(8 * Math.PI));
    const base = {
      mesh,
      degree: 2 as const,
      sigmaA: 0.7,
      initial: (xi: Float64Array) => Math.exp(-((xi[0] - 1) ** 2)),
      times: [0, 0.5, 1],
      dt: 0.05,
      functional: energyFunctional(mesh, 2, [0, 1, 1]),
    };
    const g = frequencyDynamicsGradient({ ...base, density: rho });
    const rand = random(2);
    const d = Float64Array.from(rho, () => rand() - 0.5);
    const at = (s: number) =>
      frequencyDynamicsGradient({ ...base, density: rho.map((v, i) => v + s * d[i]) }).value;
    const fd = (at(1e-5) - at(-1e-5)) / 2e-5;
    expect(Math.abs(dot(g.density, d) - fd) / Math.abs(fd)).toBeLessThan(1e-9);
    // More density, faster decay: dJ/dρ ≤ 0 where u lives.
    expect(g.density[pts.indexOf(1)]).toBeLessThan(0);
  });
});

describe('frequencyDynamicsGradient on an operator (THEORY §7): mass 1/|p|², J = ½∫|r̂|²', () => {
  it('dJ/dρ against central differences (1D P1, BDF2, p = 2iξ + 0.5)', () => {
    const mesh = intervalMesh(-4, 4, 24);
    const pts = dofPoints(mesh, 1);
    const rho = pts.map((x) => Math.exp(-(x * x) / 8) / Math.sqrt(8 * Math.PI));
    // Only the preset's mass and maps are used: ρ comes as nodal values.
    const op = operatorFrequencyDynamics({
      dim: 1,
      density: () => 0,
      sigmaA: 0.7,
      symbol: (xi) => ({ re: 0.5, im: 2 * xi[0] }),
    });
    const initial = op.fromResidual(pts, {
      re: pts.map((x) => Math.exp(-((x - 1) ** 2))),
      im: pts.map((x) => 0.3 * Math.sin(x)),
    });
    const base = {
      mesh,
      sigmaA: 0.7,
      mass: op.mass,
      initial,
      times: [0, 0.2, 0.4],
      dt: 0.02,
      scheme: 'bdf2' as const,
      functional: energyFunctional(mesh, 1, [0, 1, 1], op.mass),
    };
    const g = frequencyDynamicsGradient({ ...base, density: rho });
    expect(g.mass).toBeUndefined();
    const rand = random(23);
    const d = Float64Array.from(rho, () => rand() - 0.5);
    const at = (s: number) =>
      frequencyDynamicsGradient({ ...base, density: rho.map((v, i) => v + s * d[i]) }).value;
    const fd = (-at(2e-4) + 8 * at(1e-4) - 8 * at(-1e-4) + at(-2e-4)) / 12e-4;
    expect(Math.abs(dot(g.density, d) - fd) / Math.abs(fd)).toBeLessThan(1e-9);
    // The mass changes the gradient: without it (the plain PDE in v) the gradient is another.
    const plain = frequencyDynamicsGradient({ ...base, mass: undefined, density: rho });
    expect(Math.abs(dot(plain.density, d) - fd) / Math.abs(fd)).toBeGreaterThan(1e-2);
  });
});

describe('adjointGradient: bad input', () => {
  const p = problem(cases[0], 'crank-nicolson');
  const base = { ...p, diffusion: p.D, reaction: p.R };
  it('one-line errors naming the field', () => {
    expect(() => adjointGradient({ ...base, diffusion: p.D.subarray(1) })).toThrow(
      /^diffusion: expected 15 nodal values \(one per dof of the P1 space\), got 14$/,
    );
    const bad = p.R.slice();
    bad[3] = Number.NaN;
    expect(() => adjointGradient({ ...base, reaction: bad })).toThrow(/^reaction: nodal value NaN at dof 3/);
    const neg = p.D.slice();
    neg[0] = -1;
    expect(() => adjointGradient({ ...base, diffusion: neg })).toThrow(/^diffusion: nodal value -1 at dof 0/);
    expect(() => adjointGradient({ ...base, functional: {} as Functional })).toThrow(/^functional: expected/);
    expect(() => adjointGradient({ ...base, dt: 0 })).toThrow(/^dt: /);
    expect(() => adjointGradient({ ...base, coefficientDegree: 3 as 1 })).toThrow(/^coefficientDegree: /);
    expect(() => adjointGradient({ ...base, maxMemory: 1000 })).toThrow(
      /^maxMemory: the adjoint keeps every state/,
    );
    expect(() => energyFunctional(p.mesh, 1, [1, Number.NaN])).toThrow(/^weights: entry 1 is NaN/);
    expect(() => adjointGradient({ ...base, functional: energyFunctional(p.mesh, 1, [1]) })).toThrow(
      /^weights: no weight for output 1/,
    );
    expect(() => solveReactionDiffusion({ ...p, diffusion: { nodal: [1, 2] } })).toThrow(
      /^diffusion: expected 15 nodal values/,
    );
    expect(() => frequencyDynamicsGradient({ ...p, density: p.D.subarray(2), sigmaA: 1 })).toThrow(
      /^density: expected 15 nodal values/,
    );
  });
});
