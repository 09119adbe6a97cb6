import { describe, expect, it } from 'vitest';
import {
  dofPoints,
  errorL2,
  intervalMesh,
  type Mesh,
  rectangleMesh,
  type Scheme,
  solveReactionDiffusion,
} from '../src/index.js';
import { rate } from './manufactured.js';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('mass coefficient c u_t = ∇·(D∇u) − R u: exact solutions', () => {
  it('constant c: a zero-flux cosine mode decays like e^{−(D k² + R) t / c} (1D P2, 2D P1)', () => {
    const [D, R, c] = [0.3, 0.8, 4];
    const [a, b] = [-2, 3];
    const k = (2 * Math.PI) / (b - a);
    const mode = (x: number) => Math.cos(k * (x - a));
    const lambda = (D * k * k + R) / c;
    const xs = Array.from({ length: 26 }, (_, i) => a + (i * (b - a)) / 25);
    const sol = solveReactionDiffusion({
      mesh: intervalMesh(a, b, 100),
      degree: 2,
      diffusion: D,
      reaction: R,
      mass: c,
      initial: (xi) => mode(xi[0]),
      times: [1, 4],
      dt: 0.01,
    });
    sol.times.forEach((t, j) => {
      const exact = xs.map((x) => mode(x) * Math.exp(-lambda * t));
      expect(maxAbsDiff(sol.evaluate(j, xs).re, exact)).toBeLessThan(1e-6);
    });
    // Ignoring c, or applying it as 1/c, misses by far more than the tolerance.
    const at4 = sol.evaluate(1, [a]).re[0];
    expect(Math.abs(at4 - Math.exp(-(D * k * k + R) * 4))).toBeGreaterThan(0.1);
    expect(Math.abs(at4 - Math.exp(-(D * k * k + R) * c * 4))).toBeGreaterThan(0.1);

    // 2D, complex data, a product of cosines.
    const [k1, k2] = [Math.PI / 2, Math.PI];
    const mode2 = (x: number, y: number) => Math.cos(k1 * (x + 1)) * Math.cos(k2 * (y + 1));
    const lambda2 = (D * (k1 * k1 + k2 * k2) + R) / c;
    const sol2 = solveReactionDiffusion({
      mesh: rectangleMesh([-1, -1], [1, 1], [60, 60]),
      diffusion: D,
      reaction: R,
      mass: c,
      initial: { re: (xi) => mode2(xi[0], xi[1]), im: (xi) => 0.5 * mode2(xi[0], xi[1]) },
      times: [2],
      dt: 0.01,
    });
    const pts = [0.3, -0.2, -0.7, 0.55];
    const v = sol2.evaluate(0, pts);
    const e = [0, 1].map((i) => mode2(pts[2 * i], pts[2 * i + 1]) * Math.exp(-lambda2 * 2));
    expect(maxAbsDiff(v.re, e)).toBeLessThan(2e-3);
    expect(
      maxAbsDiff(
        v.im,
        e.map((x) => 0.5 * x),
      ),
    ).toBeLessThan(1e-3);
  });

  // D = 0, variable c: every point decays on its own, u = u0 e^{−R t / c(ξ)}. On a fine P2 mesh the
  // spatial error is negligible, so the nodal error is the scheme's.
  const c = (x: number) => 1 + 0.6 * Math.sin(x);
  const R = (x: number) => 1.5 + 0.5 * Math.cos(2 * x);
  const u0 = (x: number) => Math.exp(-(x * x) / 4);
  const mesh1 = intervalMesh(-3, 3, 300);
  const nodes = dofPoints(mesh1, 2);
  const pointwiseError = (scheme: Scheme, dt: number, mass: (x: number) => number = c) => {
    const sol = solveReactionDiffusion({
      mesh: mesh1,
      degree: 2,
      diffusion: 0,
      reaction: (xi) => R(xi[0]),
      mass: (xi) => mass(xi[0]),
      initial: (xi) => u0(xi[0]),
      times: [1],
      dt,
      scheme,
    });
    const exact = Array.from(nodes, (x) => u0(x) * Math.exp(-R(x) / c(x)));
    return maxAbsDiff(sol.values(0).re, exact);
  };

  it.each([
    ['crank-nicolson', 2],
    ['bdf2', 2],
    ['backward-euler', 1],
  ] as const)(
    'D = 0, variable c: %s reaches u0 e^{−R t / c(ξ)} at the nodes with error ~ dt^%i',
    (scheme, order) => {
      const errors = [0.1, 0.05, 0.025].map((dt) => pointwiseError(scheme, dt));
      const r = rate(errors[1], errors[2]);
      expect(r).toBeGreaterThan(order - 0.2);
      expect(r).toBeLessThan(order + 0.2);
      expect(errors[2]).toBeLessThan(order === 1 ? 0.01 : 2e-4);
    },
  );

  it('D = 0: ignoring c or applying it as 1/c misses the exact solution by O(1)', () => {
    expect(pointwiseError('crank-nicolson', 0.025, () => 1)).toBeGreaterThan(0.1);
    expect(pointwiseError('crank-nicolson', 0.025, (x) => 1 / c(x))).toBeGreaterThan(0.1);
  });
});

/**
 * u = (1 + t) φ(ξ), φ = Π_k cos(π (ξ_k + L)/L) (zero flux on [−L, L]^d), with variable c, D, R:
 * f = c φ − (1 + t)(D Δφ + ∇D·∇φ) + (1 + t) R φ. Linear in t, so the schemes are exact in time up to
 * the (spatial-error sized) transient: the error is the spatial one.
 */
function manufacturedMass(L: number) {
  const w = Math.PI / L;
  const c = (x: number, y: number) => 2 + Math.sin(x + 0.5 * y);
  const D = (x: number, y: number) => 0.5 + 0.1 * x * x + 0.05 * y;
  const R = (x: number, y: number) => 1 + 0.5 * Math.cos(x - y);
  const phi = (x: number, y: number) => Math.cos(w * (x + L)) * Math.cos(w * (y + L));
  const source = (xi: ArrayLike<number>, t: number) => {
    const [x, y] = [xi[0], xi[1]];
    const p = phi(x, y);
    const px = -w * Math.sin(w * (x + L)) * Math.cos(w * (y + L));
    const py = -w * Math.cos(w * (x + L)) * Math.sin(w * (y + L));
    const lap = -2 * w * w * p;
    const div = D(x, y) * lap + 0.2 * x * px + 0.05 * py;
    return c(x, y) * p + (1 + t) * (-div + R(x, y) * p);
  };
  return {
    mass: (xi: Float64Array) => c(xi[0], xi[1]),
    diffusion: (xi: Float64Array) => D(xi[0], xi[1]),
    reaction: (xi: Float64Array) => R(xi[0], xi[1]),
    source,
    exact: (t: number) => (xi: Float64Array) => (1 + t) * phi(xi[0], xi[1]),
  };
}

describe('mass coefficient: a manufactured solution in 2D with variable c, D and R', () => {
  const L = 2;
  const m = manufacturedMass(L);
  const error = (mesh: Mesh, degree: 1 | 2, mass: (xi: Float64Array) => number = m.mass) => {
    const sol = solveReactionDiffusion({
      mesh,
      degree,
      diffusion: m.diffusion,
      reaction: m.reaction,
      mass,
      source: m.source,
      initial: m.exact(0),
      times: [1],
      dt: 0.02,
      scheme: 'crank-nicolson',
    });
    return errorL2(sol, 0, m.exact(1));
  };
  it.each([
    [1, [8, 16, 32]],
    [2, [4, 8, 16]],
  ] as const)('P%i: L2 error ~ h^(p+1)', (degree, ns) => {
    const errors = ns.map((n) => error(rectangleMesh([-L, -L], [L, L], [n, n]), degree));
    const r = rate(errors[1], errors[2]);
    expect(r).toBeGreaterThan(degree + 1 - 0.2);
    expect(r).toBeLessThan(degree + 1 + 0.2);
    // Ignoring c or applying it as 1/c leaves an O(1) error on the finest mesh.
    const mesh = rectangleMesh([-L, -L], [L, L], [ns[2], ns[2]]);
    expect(error(mesh, degree, () => 1)).toBeGreaterThan(10 * errors[2]);
    expect(error(mesh, degree, (xi) => 1 / m.mass(xi))).toBeGreaterThan(10 * errors[2]);
  });
});

describe('mass coefficient: nodal values and bad input', () => {
  const mesh = intervalMesh(-1, 1, 20);
  const base = {
    mesh,
    diffusion: 0.2,
    reaction: (xi: Float64Array) => 1 + xi[0] * xi[0],
    initial: (xi: Float64Array) => Math.exp(-4 * xi[0] * xi[0]),
    times: [0.5, 1],
    dt: 0.05,
  };

  it.each([1, 2] as const)(
    'P%i nodal values of a c the basis represents exactly give the same solution as the function',
    (degree) => {
      // c linear (P1) or quadratic (P2): its interpolant is c itself, so M_c agrees to rounding.
      const c = (x: number) => (degree === 1 ? 2 + x : 1.5 + x * x - 0.5 * x);
      const fn = solveReactionDiffusion({ ...base, degree, mass: (xi) => c(xi[0]) });
      const nodal = solveReactionDiffusion({
        ...base,
        degree,
        mass: { nodal: Array.from(dofPoints(mesh, degree), c) },
      });
      const plain = solveReactionDiffusion({ ...base, degree });
      for (const k of [0, 1]) {
        expect(maxAbsDiff(nodal.values(k).re, fn.values(k).re)).toBeLessThan(1e-13);
        expect(maxAbsDiff(plain.values(k).re, fn.values(k).re)).toBeGreaterThan(1e-2);
      }
    },
  );

  it('mass ≡ 1 is the plain problem, bit for bit', () => {
    const one = solveReactionDiffusion({ ...base, mass: 1 });
    const plain = solveReactionDiffusion(base);
    expect(Array.from(one.values(1).re)).toEqual(Array.from(plain.values(1).re));
  });

  it('one-line errors naming mass', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => solveReactionDiffusion({ ...base, mass: bad })).toThrow(
        new RegExp(`^mass: expected a finite value > 0, got ${bad}$`),
      );
    expect(() =>
      solveReactionDiffusion({ ...base, mass: (xi) => (Math.abs(xi[0] - 0.05) < 0.1 ? 0 : 1) }),
    ).toThrow(/^mass: 0 at the quadrature point ξ = \(-0\.05\) of cell 9; the mass coefficient must be > 0$/);
    expect(() => solveReactionDiffusion({ ...base, mass: (xi) => (xi[0] > 0.5 ? Number.NaN : 1) })).toThrow(
      /^mass: not a finite number \(NaN\) at the quadrature point/,
    );
    expect(() => solveReactionDiffusion({ ...base, mass: (xi) => (xi[0] > 0.5 ? -2 : 1) })).toThrow(
      /^mass: negative \(-2\) at the quadrature point/,
    );
    const nodal = new Float64Array(21).fill(1);
    nodal[4] = 0;
    expect(() => solveReactionDiffusion({ ...base, mass: { nodal } })).toThrow(
      /^mass: nodal value 0 at dof 4 \(ξ = -0\.6\); expected a finite number > 0$/,
    );
    expect(() => solveReactionDiffusion({ ...base, mass: { nodal: [1, 2] } })).toThrow(
      /^mass: expected 21 nodal values \(one per dof of the P1 space\), got 2$/,
    );
    // P2 nodal values, all positive, whose interpolant dips below 0 inside cell 0.
    const p2 = Array.from(dofPoints(mesh, 2), (x) => (x < -0.92 ? 1e-3 : 10));
    expect(() => solveReactionDiffusion({ ...base, degree: 2, mass: { nodal: p2 } })).toThrow(
      /^mass: -[\d.e+-]+ at the quadrature point ξ = .* of cell 0; the mass coefficient must be > 0 \(a P2 interpolant/,
    );
  });
});
