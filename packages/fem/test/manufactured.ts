import { errorL2, intervalMesh, type Scheme, solveReactionDiffusion } from '../src/index.js';

/**
 * A manufactured solution u = T(t) Π_k cos(π (ξ_k + L)/L) on [−L, L]^d (zero normal derivative
 * on the boundary) with D = cD ρ and R = cR ρ for a Gaussian ρ; the source is
 * f = u_t − D Δu − ∇D·∇u + R u.
 */
export function manufactured(dim: 1 | 2, L: number, T: (t: number) => number, dT: (t: number) => number) {
  const s = 1.5;
  const cD = 3;
  const cR = 2;
  const rho = (xi: ArrayLike<number>) => {
    let r2 = 0;
    for (let k = 0; k < dim; k++) r2 += xi[k] ** 2;
    return Math.exp(-r2 / (2 * s * s));
  };
  const w = Math.PI / L;
  const phi = (xi: ArrayLike<number>) => {
    let p = 1;
    for (let k = 0; k < dim; k++) p *= Math.cos(w * (xi[k] + L));
    return p;
  };
  const gradPhi = (xi: ArrayLike<number>) => {
    const g = [0, 0].slice(0, dim);
    for (let k = 0; k < dim; k++) {
      let p = -w * Math.sin(w * (xi[k] + L));
      for (let j = 0; j < dim; j++) if (j !== k) p *= Math.cos(w * (xi[j] + L));
      g[k] = p;
    }
    return g;
  };
  const diffusion = (xi: ArrayLike<number>) => cD * rho(xi);
  const reaction = (xi: ArrayLike<number>) => cR * rho(xi);
  const source = (xi: ArrayLike<number>, t: number) => {
    const p = phi(xi);
    const g = gradPhi(xi);
    const D = diffusion(xi);
    let gradDdotGrad = 0;
    for (let k = 0; k < dim; k++) gradDdotGrad += ((-D * xi[k]) / (s * s)) * g[k];
    const lap = -dim * w * w * p;
    return dT(t) * p + T(t) * (-D * lap - gradDdotGrad + reaction(xi) * p);
  };
  return {
    diffusion,
    reaction,
    source,
    exact: (t: number) => (xi: ArrayLike<number>) => T(t) * phi(xi),
    gradient: (t: number) => (xi: ArrayLike<number>) => gradPhi(xi).map((g) => T(t) * g),
  };
}

/** Observed order from errors at successive halvings. */
export const rate = (e1: number, e2: number) => Math.log2(e1 / e2);

/**
 * L2 errors at `times` of u = e^{−t} φ on a fine 1D P2 mesh over [−L, L], where the space error is
 * negligible: what is left is the time-discretisation error of `scheme` with step `dt`.
 */
export function decayTimeErrors(L: number, scheme: Scheme, dt: number, times: readonly number[]): number[] {
  const m = manufactured(
    1,
    L,
    (t) => Math.exp(-t),
    (t) => -Math.exp(-t),
  );
  const sol = solveReactionDiffusion({
    mesh: intervalMesh(-L, L, 200),
    degree: 2,
    diffusion: m.diffusion,
    reaction: m.reaction,
    source: m.source,
    initial: m.exact(0),
    times: [...times],
    dt,
    scheme,
  });
  return times.map((t, k) => errorL2(sol, k, m.exact(t)));
}
