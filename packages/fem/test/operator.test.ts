import { describe, expect, it } from 'vitest';
import {
  dofPoints,
  energyFunctional,
  frequencyDynamics,
  intervalMesh,
  type OperatorSymbol,
  operatorFrequencyDynamics,
  rectangleMesh,
  SYMBOL_FLOOR,
  solveReactionDiffusion,
} from '../src/index.js';

const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const gaussian1 = (s: number) => (xi: ArrayLike<number>) =>
  Math.exp(-(xi[0] ** 2) / (2 * s * s)) / Math.sqrt(2 * Math.PI * s * s);
const helmholtz =
  (k: number): OperatorSymbol =>
  (xi) => {
    let r2 = 0;
    for (let j = 0; j < xi.length; j++) r2 += xi[j] ** 2;
    return { re: r2 + k * k, im: 0 };
  };
const advection =
  (c: number, mu: number): OperatorSymbol =>
  (xi) => ({ re: mu, im: c * xi[0] });

describe('operatorFrequencyDynamics: σ_a = 0, r̂(ξ,t) = r̂0 e^{−(2π)^d |p|² ρ_s t} (THEORY §7)', () => {
  /**
   * Solves the v equation from r̂0 at the nodes and maps back; returns the largest nodal error
   * against the exact decay, relative to max |r̂0|, and the same for the plain PDE (mass ignored).
   */
  const decayError = (
    dim: 1 | 2,
    symbol: OperatorSymbol,
    density: (xi: ArrayLike<number>) => number,
    mesh: ReturnType<typeof intervalMesh>,
    degree: 1 | 2,
    r0: (xi: Float64Array) => { re: number; im: number },
    t: number,
    dt: number,
  ) => {
    const p = operatorFrequencyDynamics({ dim, density, sigmaA: 0, symbol });
    const nodes = dofPoints(mesh, degree);
    const n = nodes.length / dim;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const exRe = new Float64Array(n);
    const exIm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const xi = nodes.subarray(i * dim, i * dim + dim);
      const z = r0(xi);
      const q = symbol(xi);
      const decay = Math.exp(-((2 * Math.PI) ** dim) * (q.re ** 2 + q.im ** 2) * density(xi) * t);
      [re[i], im[i], exRe[i], exIm[i]] = [z.re, z.im, z.re * decay, z.im * decay];
    }
    const scale = Math.max(maxAbs(re), maxAbs(im));
    const run = (withMass: boolean) => {
      const sol = solveReactionDiffusion({
        mesh,
        degree,
        diffusion: p.diffusion,
        reaction: p.reaction,
        ...(withMass ? { mass: p.mass } : {}),
        initial: p.fromResidual(nodes, { re, im }),
        times: [t],
        dt,
        scheme: 'bdf2',
      });
      const r = p.toResidual(nodes, sol.values(0));
      return Math.max(maxAbsDiff(r.re, exRe), maxAbsDiff(r.im, exIm)) / scale;
    };
    return { error: run(true), ignored: run(false) };
  };

  it('Helmholtz −d²/dx² + k² in 1D (p = ξ² + k², real)', () => {
    const { error, ignored } = decayError(
      1,
      helmholtz(1),
      gaussian1(3),
      intervalMesh(-3, 3, 300),
      2,
      (xi) => ({ re: Math.exp(-((xi[0] - 1) ** 2)), im: 0.5 * Math.sin(2 * xi[0]) }),
      0.3,
      0.001,
    );
    expect(error).toBeLessThan(1e-5);
    expect(ignored).toBeGreaterThan(0.1);
  });

  it('advection c d/dx + μ in 1D (p = iξc + μ, complex: v = p̄ r̂ mixes re and im)', () => {
    const { error, ignored } = decayError(
      1,
      advection(2, 0.5),
      gaussian1(2),
      intervalMesh(-3, 3, 300),
      2,
      (xi) => ({ re: Math.exp(-((xi[0] - 1) ** 2)), im: Math.exp(-((xi[0] + 1) ** 2)) }),
      0.5,
      0.001,
    );
    expect(error).toBeLessThan(1e-5);
    expect(ignored).toBeGreaterThan(0.1);
  });

  it('Helmholtz −Δ + k² in 2D (the (2π)² factor)', () => {
    const rho = (xi: ArrayLike<number>) => Math.exp(-(xi[0] ** 2 + xi[1] ** 2) / 8) / (8 * Math.PI);
    const { error, ignored } = decayError(
      2,
      helmholtz(1),
      rho,
      rectangleMesh([-2, -2], [2, 2], [24, 24]),
      2,
      (xi) => ({ re: Math.exp(-((xi[0] - 0.5) ** 2) - xi[1] ** 2), im: 0 }),
      0.2,
      0.002,
    );
    expect(error).toBeLessThan(5e-4);
    expect(ignored).toBeGreaterThan(0.1);
  });
});

describe('operatorFrequencyDynamics: σ_a > 0 and a constant symbol', () => {
  // p ≡ const: ∂_t r̂ = |p|² (2π) [σ_a² ∇·(ρ∇r̂) − ρ r̂], the plain PDE run |p|² times faster. The
  // discrete problems agree too: (M/|p|² + θhA) = (M + θ(|p|²h)A)/|p|², so the states differ by rounding.
  it('the v equation mapped back equals the plain PDE at |p|² t', () => {
    const q = { re: 1.5, im: -0.5 };
    const p2 = q.re ** 2 + q.im ** 2;
    const density = gaussian1(2);
    const mesh = intervalMesh(-6, 6, 120);
    const nodes = dofPoints(mesh, 2);
    const r0 = {
      re: nodes.map((x) => Math.exp(-((x - 1) ** 2))),
      im: nodes.map((x) => 0.3 * Math.exp(-((x + 2) ** 2))),
    };
    const times = [0.2, 0.5];
    const dt = 0.005;
    const op = operatorFrequencyDynamics({ dim: 1, density, sigmaA: 0.8, symbol: () => q });
    const sol = solveReactionDiffusion({
      mesh,
      degree: 2,
      ...op,
      initial: op.fromResidual(nodes, r0),
      times,
      dt,
    });
    const plain = frequencyDynamics({ dim: 1, density, sigmaA: 0.8 });
    const direct = solveReactionDiffusion({
      mesh,
      degree: 2,
      ...plain,
      initial: r0,
      times: times.map((t) => p2 * t),
      dt: p2 * dt,
    });
    const unscaled = solveReactionDiffusion({ mesh, degree: 2, ...plain, initial: r0, times, dt });
    for (const k of [0, 1]) {
      const r = op.toResidual(nodes, sol.values(k));
      const d = direct.values(k);
      const diff = Math.max(maxAbsDiff(r.re, d.re), maxAbsDiff(r.im, d.im));
      expect(diff).toBeLessThan(1e-12);
      expect(maxAbsDiff(r.re, unscaled.values(k).re)).toBeGreaterThan(1e-2);
    }
  });
});

describe('energyFunctional with the mass 1/|p|²: ½∫|r̂|² from v = p̄ r̂', () => {
  it('equals ½∫|r̂|² (to discretisation accuracy; to rounding for a constant p) and its gradient is consistent', () => {
    const mesh = intervalMesh(-3, 3, 200);
    const nodes = dofPoints(mesh, 2);
    const r0 = {
      re: nodes.map((x) => Math.exp(-((x - 1) ** 2))),
      im: nodes.map((x) => 0.5 * Math.exp(-((x + 1) ** 2))),
    };
    const plain = energyFunctional(mesh, 2, [1]);
    const symbols: [OperatorSymbol, number][] = [
      [advection(2, 0.5), 1e-6],
      [() => ({ re: 1.5, im: -0.5 }), 1e-14],
    ];
    for (const [symbol, tol] of symbols) {
      const op = operatorFrequencyDynamics({ dim: 1, density: gaussian1(2), sigmaA: 1, symbol });
      const v = op.fromResidual(nodes, r0);
      const J = energyFunctional(mesh, 2, [1], op.mass);
      const Jr = plain.value(0, { re: Float64Array.from(r0.re), im: Float64Array.from(r0.im) });
      const Jv = J.value(0, v);
      expect(Math.abs(Jv - Jr) / Jr).toBeLessThan(tol);
      // Without the weight it is ½∫|v|² = ½∫|p|²|r̂|², far from it.
      expect(Math.abs(plain.value(0, v) - Jr) / Jr).toBeGreaterThan(0.5);
      const g = { re: new Float64Array(v.re.length), im: new Float64Array(v.re.length) };
      J.gradient(0, v, g);
      const d = nodes.map((x) => Math.sin(3 * x));
      const at = (e: number) => J.value(0, { re: v.re.map((x, i) => x + e * d[i]), im: v.im });
      const fd = (at(1e-3) - at(-1e-3)) / 2e-3;
      let ad = 0;
      for (let i = 0; i < d.length; i++) ad += g.re[i] * d[i];
      expect(Math.abs(ad - fd) / Math.abs(fd)).toBeLessThan(1e-9);
    }
    expect(() => energyFunctional(mesh, 2, [1], 0)).toThrow(/^mass: expected a finite value > 0, got 0$/);
  });
});

describe('operatorFrequencyDynamics: the pieces and bad input', () => {
  const op = operatorFrequencyDynamics({
    dim: 1,
    density: gaussian1(2),
    sigmaA: 1,
    symbol: advection(2, 0.5),
  });

  it('mass = 1/|p|², D and R as frequencyDynamics, v = p̄ r̂ and back', () => {
    expect(op.mass([1])).toBeCloseTo(1 / (0.25 + 4), 15);
    expect(op.reaction([1])).toBeCloseTo(2 * Math.PI * gaussian1(2)([1]), 15);
    expect(op.diffusion([1])).toBeCloseTo(2 * Math.PI * gaussian1(2)([1]), 15);
    // p(1) = 0.5 + 2i, p̄ = 0.5 − 2i; p̄ (1 + i) = 2.5 − 1.5i.
    const v = op.fromResidual([1], { re: [1], im: [1] });
    expect(v.re[0]).toBeCloseTo(2.5, 14);
    expect(v.im[0]).toBeCloseTo(-1.5, 14);
    const r = op.toResidual([1], v);
    expect(r.re[0]).toBeCloseTo(1, 14);
    expect(r.im[0]).toBeCloseTo(1, 14);
  });

  it('one-line errors naming the field', () => {
    const pure = operatorFrequencyDynamics({ dim: 1, density: () => 1, sigmaA: 1, symbol: advection(1, 0) });
    expect(() => pure.fromResidual([-1, 0, 1], { re: [1, 1, 1] })).toThrow(
      new RegExp(
        `^symbol: \\|p\\(ξ\\)\\| = 0\\.00 at point 1 \\(ξ = \\(0\\)\\) is below ${SYMBOL_FLOOR} × max \\|p\\| = 1\\.00`,
      ),
    );
    expect(() => pure.mass([0])).toThrow(
      /^symbol: \|p\(ξ\)\|² = 0 at ξ = \(0\), so the mass 1\/\|p\|² is infinite/,
    );
    // The solve evaluates the mass at quadrature points; one within rounding of the zero of p (the
    // centre of the middle cell of three, ξ ≈ −5.6e-17) makes the step matrix singular, and is named.
    expect(() =>
      solveReactionDiffusion({
        mesh: intervalMesh(-1, 1, 3),
        ...pure,
        initial: () => 1,
        times: [1],
        dt: 0.1,
      }),
    ).toThrow(
      /^mass: the crank-nicolson step matrix .*: c spans [\d.e+]+-fold, from .* to .* at ξ = \(-5\.55112e-17\), so the mass matrix is singular/,
    );
    const tiny = operatorFrequencyDynamics({
      dim: 1,
      density: () => 1,
      sigmaA: 1,
      symbol: advection(1, 1e-9),
    });
    expect(() => tiny.toResidual([-1, 0, 1], { re: [1, 1, 1], im: [0, 0, 0] })).toThrow(
      /^symbol: .* at point 1 /,
    );
    expect(() => op.fromResidual([0, 1], { re: [1] })).toThrow(
      /^residual: expected 2 values \(one per point\), got 1$/,
    );
    expect(() => op.fromResidual([0, 1], { re: [1, 2], im: [1] })).toThrow(
      /^residual: re and im have different lengths/,
    );
    expect(() => op.fromResidual([0, 1], { re: [1, Number.NaN] })).toThrow(
      /^residual: value NaN \+ 0i at point 1/,
    );
    expect(() => op.toResidual([0, 1], null as never)).toThrow(/^v: expected \{ re, im\? \}/);
    const bad = operatorFrequencyDynamics({
      dim: 1,
      density: () => 1,
      sigmaA: 1,
      symbol: () => ({ re: Number.NaN, im: 0 }),
    });
    expect(() => bad.mass([0.5])).toThrow(
      /^symbol: expected \{ re, im \} with finite numbers at ξ = \(0\.5\), got \{ re: NaN, im: 0 \}$/,
    );
    expect(() =>
      operatorFrequencyDynamics({ dim: 1, density: () => 1, sigmaA: 1, symbol: 3 as never }),
    ).toThrow(/^symbol: expected a function/);
    expect(() =>
      operatorFrequencyDynamics({ dim: 3 as never, density: () => 1, sigmaA: 1, symbol: advection(1, 1) }),
    ).toThrow(/^dim: /);
    expect(() =>
      operatorFrequencyDynamics({ dim: 1, density: () => 1, sigmaA: -1, symbol: advection(1, 1) }),
    ).toThrow(/^sigmaA: /);
    const two = operatorFrequencyDynamics({ dim: 2, density: () => 1, sigmaA: 1, symbol: helmholtz(1) });
    expect(() => two.fromResidual([0, 1, 2], { re: [1] })).toThrow(
      /^points: expected a flat array of 2 numbers per point$/,
    );
  });
});
