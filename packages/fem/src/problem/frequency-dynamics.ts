import { type AdjointGradient, type AdjointGradientOptions, adjointGradient } from '../adjoint/gradient.js';
import type { Complex } from '../post/solution.js';

/** The coefficients of the frequency-dynamics PDE. */
export interface FrequencyDynamics {
  /** D(ξ) = (2π)^d σ_a² ρ_s(ξ). */
  diffusion(xi: ArrayLike<number>): number;
  /** R(ξ) = (2π)^d ρ_s(ξ). */
  reaction(xi: ArrayLike<number>): number;
}

/**
 * The frequency-dynamics PDE of a two-layer Fourier Features network (THEORY §4):
 * ∂_t û = (2π)^d [σ_a² ∇·(ρ_s ∇û) − ρ_s û], i.e. diffusion D = (2π)^d σ_a² ρ_s and reaction
 * (damping) R = (2π)^d ρ_s. `density` is ρ_s (the symmetrised frequency density).
 *
 * @example
 * const rho = (xi: ArrayLike<number>) => Math.exp(-(xi[0] ** 2) / 200) / Math.sqrt(200 * Math.PI);
 * const p = frequencyDynamics({ dim: 1, density: rho, sigmaA: 1 });
 * p.reaction([0]); // 2π ρ(0) ≈ 0.2507
 */
export function frequencyDynamics(options: {
  dim: 1 | 2;
  density: (xi: ArrayLike<number>) => number;
  sigmaA: number;
}): FrequencyDynamics {
  const { dim, density, sigmaA } = options;
  if (dim !== 1 && dim !== 2) throw new Error(`dim: expected 1 or 2, got ${dim}`);
  if (typeof density !== 'function') throw new Error('density: expected a function of ξ');
  if (!Number.isFinite(sigmaA) || sigmaA < 0)
    throw new Error(`sigmaA: expected a finite number ≥ 0, got ${sigmaA}`);
  const c = (2 * Math.PI) ** dim;
  const cd = c * sigmaA * sigmaA;
  return {
    diffusion: (xi) => cd * density(xi),
    reaction: (xi) => c * density(xi),
  };
}

/** The symbol p(ξ) of a linear operator L with constant coefficients: L e^{iξ·x} = p(ξ) e^{iξ·x}. */
export type OperatorSymbol = (xi: ArrayLike<number>) => { re: number; im: number };

/**
 * Below this fraction of the largest |p| over the points, {@link OperatorFrequencyDynamics}
 * refuses a point: the mass 1/|p|² is more than 10¹² times its smallest value there, and
 * r̂ = v/p̄ would amplify the discretisation error of v by more than 10⁶.
 */
export const SYMBOL_FLOOR = 1e-6;

/** The frequency-dynamics PDE of a network trained on L f ≈ s, in v = p̄ r̂ (THEORY §7). */
export interface OperatorFrequencyDynamics extends FrequencyDynamics {
  /** c(ξ) = 1/|p(ξ)|², the mass coefficient; throws (naming `symbol`) where p = 0 or 1/|p|² overflows. */
  mass(xi: ArrayLike<number>): number;
  /** p(ξ), checked to be finite. */
  symbol(xi: ArrayLike<number>): { re: number; im: number };
  /**
   * v = p̄ r̂ at the points (flat, dim numbers per point; e.g. `dofPoints(mesh, degree)`): the
   * initial data of the v equation from the residual spectrum r̂0 at the nodes. Refuses the
   * first point where |p| < {@link SYMBOL_FLOOR} × max |p| over the points.
   */
  fromResidual(
    points: ArrayLike<number>,
    residual: { re: ArrayLike<number>; im?: ArrayLike<number> },
  ): Complex;
  /** r̂ = v / p̄ at the points (the inverse of `fromResidual`, same check). */
  toResidual(points: ArrayLike<number>, v: { re: ArrayLike<number>; im?: ArrayLike<number> }): Complex;
}

/**
 * The frequency dynamics of a two-layer Fourier Features network trained on ½∫|L f − s|² for a
 * linear operator L with constant coefficients and symbol p(ξ) (THEORY §7): the residual's spectrum
 * r̂ obeys ∂_t r̂ = (2π)^d [σ_a² p ∇·(ρ_s ∇(p̄ r̂)) − ρ_s |p|² r̂], and v = p̄ r̂ the reaction–diffusion
 * problem (1/|p|²) ∂_t v = ∇·(D∇v) − R v with the D and R of {@link frequencyDynamics} and the
 * mass coefficient 1/|p|². Spread it into `solveReactionDiffusion`, start from
 * `fromResidual(nodes, r̂0)` and map the solution back with `toResidual`. `symbol(ξ)` returns
 * p(ξ) as `{ re, im }`: −Δ + k² is `{ re: |ξ|² + k², im: 0 }`, c·∇ + μ is `{ re: μ, im: c·ξ }`.
 * Where p = 0 the mass is infinite (v stays 0): such points are refused, see {@link SYMBOL_FLOOR}.
 *
 * @example
 * const rho = (xi: ArrayLike<number>) => Math.exp(-(xi[0] ** 2) / 72) / Math.sqrt(72 * Math.PI);
 * const k = 2;
 * const p = operatorFrequencyDynamics({ dim: 1, density: rho, sigmaA: 1, symbol: (xi) => ({ re: xi[0] ** 2 + k * k, im: 0 }) });
 * p.mass([0]); // 1/|p(0)|² = 1/16
 * const mesh = intervalMesh(-10, 10, 400);
 * const nodes = dofPoints(mesh, 1);
 * const r0 = { re: nodes.map((x) => Math.exp(-((x - 3) ** 2))) }; // r̂0 at the nodes
 * const sol = solveReactionDiffusion({ mesh, ...p, initial: p.fromResidual(nodes, r0), times: [0, 0.1], dt: 0.001 });
 * const r = p.toResidual(nodes, sol.values(1)); // r̂(ξ, 0.1) at the nodes, { re, im }
 */
export function operatorFrequencyDynamics(options: {
  dim: 1 | 2;
  density: (xi: ArrayLike<number>) => number;
  sigmaA: number;
  symbol: OperatorSymbol;
}): OperatorFrequencyDynamics {
  if (options === null || typeof options !== 'object') throw new Error('options: expected an object');
  const { dim, symbol } = options;
  const plain = frequencyDynamics(options);
  if (typeof symbol !== 'function') throw new Error('symbol: expected a function ξ => { re, im }');
  const where = (xi: ArrayLike<number>) =>
    Array.from({ length: dim }, (_, k) => +xi[k].toPrecision(6)).join(', ');
  const p = (xi: ArrayLike<number>): { re: number; im: number } => {
    const v = symbol(xi);
    if (v === null || typeof v !== 'object' || !Number.isFinite(v.re) || !Number.isFinite(v.im))
      throw new Error(
        `symbol: expected { re, im } with finite numbers at ξ = (${where(xi)}), got ${v === null || typeof v !== 'object' ? String(v) : `{ re: ${v.re}, im: ${v.im} }`}`,
      );
    return { re: v.re, im: v.im };
  };
  const mass = (xi: ArrayLike<number>): number => {
    const { re, im } = p(xi);
    const c = 1 / (re * re + im * im);
    if (!Number.isFinite(c))
      throw new Error(
        `symbol: |p(ξ)|² = ${re * re + im * im} at ξ = (${where(xi)}), so the mass 1/|p|² is infinite; keep the zeros of p off the domain`,
      );
    return c;
  };
  /** p at every point, after the floor check; `name` is the field being mapped. */
  const symbols = (points: ArrayLike<number>, n: number, name: string): Float64Array => {
    if (
      points === null ||
      typeof points !== 'object' ||
      typeof points.length !== 'number' ||
      points.length % dim !== 0
    )
      throw new Error(`points: expected a flat array of ${dim} numbers per point`);
    if (points.length / dim !== n)
      throw new Error(`${name}: expected ${points.length / dim} values (one per point), got ${n}`);
    const out = new Float64Array(2 * n);
    const xi = new Float64Array(dim);
    let largest = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < dim; k++) xi[k] = points[i * dim + k];
      const v = p(xi);
      out[2 * i] = v.re;
      out[2 * i + 1] = v.im;
      largest = Math.max(largest, Math.hypot(v.re, v.im));
    }
    for (let i = 0; i < n; i++) {
      const a = Math.hypot(out[2 * i], out[2 * i + 1]);
      if (!(a >= SYMBOL_FLOOR * largest) || a === 0) {
        for (let k = 0; k < dim; k++) xi[k] = points[i * dim + k];
        throw new Error(
          `symbol: |p(ξ)| = ${a.toPrecision(3)} at point ${i} (ξ = (${where(xi)})) is below ${SYMBOL_FLOOR} × max |p| = ${largest.toPrecision(3)}: the mass 1/|p|² is (nearly) infinite there; keep the zeros of p off the mesh (e.g. μ > 0 in c·∇ + μ)`,
        );
      }
    }
    return out;
  };
  const parts = (z: { re: ArrayLike<number>; im?: ArrayLike<number> }, name: string) => {
    if (z === null || typeof z !== 'object' || z.re === null || typeof z.re?.length !== 'number')
      throw new Error(`${name}: expected { re, im? } arrays of values at the points`);
    const n = z.re.length;
    if (z.im !== undefined && z.im.length !== n)
      throw new Error(`${name}: re and im have different lengths (${n} and ${z.im.length})`);
    return { re: z.re, im: z.im, n };
  };
  // v = p̄ r̂, or (inverse) r̂ = v / p̄ = v p / |p|².
  const map = (
    points: ArrayLike<number>,
    z: { re: ArrayLike<number>; im?: ArrayLike<number> },
    name: string,
    inverse: boolean,
  ): Complex => {
    const { re, im, n } = parts(z, name);
    const P = symbols(points, n, name);
    const out = { re: new Float64Array(n), im: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      const a = P[2 * i];
      const b = inverse ? P[2 * i + 1] : -P[2 * i + 1];
      const s = inverse ? 1 / (a * a + b * b) : 1;
      const x = re[i];
      const y = im === undefined ? 0 : im[i];
      if (!Number.isFinite(x) || !Number.isFinite(y))
        throw new Error(`${name}: value ${x} + ${y}i at point ${i} is not finite`);
      out.re[i] = s * (a * x - b * y);
      out.im[i] = s * (a * y + b * x);
    }
    return out;
  };
  return {
    ...plain,
    mass,
    symbol: p,
    fromResidual: (points, residual) => map(points, residual, 'residual', false),
    toResidual: (points, v) => map(points, v, 'v', true),
  };
}

/** Options of {@link frequencyDynamicsGradient}: {@link AdjointGradientOptions} with ρ_s in place of D and R. */
export type FrequencyDynamicsGradientOptions = Omit<AdjointGradientOptions, 'diffusion' | 'reaction'> & {
  /** Nodal values of ρ_s ≥ 0 (dof order of `dofPoints(mesh, coefficientDegree ?? degree)`). */
  density: ArrayLike<number>;
  sigmaA: number;
};

/**
 * dJ/dρ_j for the frequency-dynamics PDE with ρ_s given by nodal values (interpolated with the
 * P1/P2 basis): D = (2π)^d σ_a² ρ_s and R = (2π)^d ρ_s are linear in ρ_s, so by the chain rule
 * dJ/dρ_j = (2π)^d (σ_a² dJ/dD_j + dJ/dR_j), with dJ/dD, dJ/dR from {@link adjointGradient}.
 * The gradient is with respect to the nodal values of the symmetrised density ρ_s as the PDE
 * sees it (no normalisation ∫ρ = 1 is imposed: project the gradient if the design keeps it).
 *
 * @example
 * const mesh = intervalMesh(-30, 30, 300);
 * const rho = Array.from(dofPoints(mesh, 1), (x) => Math.exp(-(x ** 2) / 200) / Math.sqrt(200 * Math.PI));
 * const g = frequencyDynamicsGradient({ mesh, density: rho, sigmaA: 1, initial: (xi) => Math.exp(-((xi[0] - 10) ** 2)),
 *   times: [0, 1, 2], dt: 0.01, functional: energyFunctional(mesh, 1, [0, 1, 1]) });
 * g.density; // dJ/dρ_j, one per node
 */
export function frequencyDynamicsGradient(
  options: FrequencyDynamicsGradientOptions,
): AdjointGradient & { readonly density: Float64Array } {
  if (options === null || typeof options !== 'object') throw new Error('options: expected an object');
  const { density, sigmaA, ...rest } = options;
  if (typeof sigmaA !== 'number' || !Number.isFinite(sigmaA) || sigmaA < 0)
    throw new Error(`sigmaA: expected a finite number ≥ 0, got ${sigmaA}`);
  const dim = options.mesh?.dim;
  if (dim !== 1 && dim !== 2) throw new Error(`mesh: expected a mesh of dimension 1 or 2, got ${dim}`);
  if (density === null || typeof density !== 'object' || typeof density.length !== 'number')
    throw new Error('density: expected an array of nodal values of ρ_s');
  const c = (2 * Math.PI) ** dim;
  const cd = c * sigmaA * sigmaA;
  const rho = Float64Array.from(density);
  const D = rho.map((r) => cd * r);
  const R = rho.map((r) => c * r);
  // Name ρ in errors about the nodal values (D and R are only its multiples).
  for (let j = 0; j < rho.length; j++)
    if (!Number.isFinite(rho[j]) || rho[j] < 0)
      throw new Error(`density: nodal value ${rho[j]} at dof ${j}; expected a finite number ≥ 0`);
  let g: AdjointGradient;
  try {
    g = adjointGradient({ ...rest, diffusion: D, reaction: R });
  } catch (e) {
    if (e instanceof Error && /^diffusion: expected \d+ nodal values/.test(e.message))
      throw new Error(e.message.replace(/^diffusion/, 'density'));
    throw e;
  }
  const dRho = new Float64Array(rho.length);
  for (let j = 0; j < rho.length; j++) dRho[j] = cd * g.diffusion[j] + c * g.reaction[j];
  return { ...g, density: dRho };
}
