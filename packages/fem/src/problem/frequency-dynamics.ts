import { type AdjointGradient, type AdjointGradientOptions, adjointGradient } from '../adjoint/gradient.js';

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
