import { cellRule } from '../quadrature/index.js';
import { type MappedBasis, mapBasis } from '../space/basis.js';
import type { FunctionSpace } from '../space/function-space.js';
import type { ReactionDiffusionSolution } from './solution.js';

/** A real function of ξ, or a complex one as real and imaginary parts. */
export type FieldFunction =
  | ((xi: Float64Array) => number)
  | { re: (xi: Float64Array) => number; im?: (xi: Float64Array) => number };
/** The gradient of a real function (returns dim numbers), or of both parts of a complex one. */
export type GradientFunction =
  | ((xi: Float64Array) => ArrayLike<number>)
  | { re: (xi: Float64Array) => ArrayLike<number>; im?: (xi: Float64Array) => ArrayLike<number> };

const bases = new WeakMap<FunctionSpace, MappedBasis>();
function basisOf(space: FunctionSpace): MappedBasis {
  let B = bases.get(space);
  if (B === undefined) {
    B = mapBasis(space, cellRule(space.mesh.dim, space.degree + 1)); // exact to degree 2p + 4
    bases.set(space, B);
  }
  return B;
}

function parts<T>(f: T | { re: T; im?: T } | undefined): [T | undefined, T | undefined] {
  if (f === undefined) return [undefined, undefined];
  if (typeof f === 'function') return [f, undefined];
  const g = f as { re: T; im?: T };
  return [g.re, g.im];
}

/**
 * ∫ |u_h − u|² (value part) and ∫ |∇u_h − ∇u|² (gradient part) of one nodal component.
 * With `exact` undefined these are the norms of u_h itself.
 */
function squares(
  B: MappedBasis,
  values: Float64Array,
  exact: ((xi: Float64Array) => number) | undefined,
  grad: ((xi: Float64Array) => ArrayLike<number>) | undefined,
  withGrad: boolean,
): [number, number] {
  const { nq, dx, phi, dphi, invJ, points } = B;
  const space = B.space;
  const dim = space.mesh.dim;
  const ns = space.element.size;
  const nc = dx.length / nq;
  const xi = new Float64Array(dim);
  let l2 = 0;
  let h1 = 0;
  for (let c = 0; c < nc; c++) {
    for (let q = 0; q < nq; q++) {
      const k = c * nq + q;
      for (let d = 0; d < dim; d++) xi[d] = points[k * dim + d];
      let u = 0;
      let gX = 0;
      let gY = 0;
      for (let i = 0; i < ns; i++) {
        const v = values[space.cellDofs[c * ns + i]];
        u += v * phi[q * ns + i];
        gX += v * dphi[(q * ns + i) * dim];
        if (dim === 2) gY += v * dphi[(q * ns + i) * dim + 1];
      }
      const e = u - (exact ? exact(xi) : 0);
      l2 += dx[k] * e * e;
      if (withGrad) {
        let gx: number;
        let gy = 0;
        if (dim === 1) gx = gX * invJ[c];
        else {
          gx = invJ[4 * c] * gX + invJ[4 * c + 2] * gY;
          gy = invJ[4 * c + 1] * gX + invJ[4 * c + 3] * gY;
        }
        if (grad) {
          const g = grad(xi);
          gx -= g[0];
          if (dim === 2) gy -= g[1];
        }
        h1 += dx[k] * (gx * gx + gy * gy);
      }
    }
  }
  return [l2, h1];
}

/**
 * L2 error ‖u_h(t_k) − u(t_k)‖ over both real and imaginary parts (exact: a real function,
 * compared with the real part, or { re, im }).
 *
 * @example
 * errorL2(sol, 1, (xi) => Math.cos(Math.PI * xi[0]) * Math.exp(-t));
 */
export function errorL2(sol: ReactionDiffusionSolution, k: number, exact?: FieldFunction): number {
  const B = basisOf(sol.space);
  const u = sol.values(k);
  const [fr, fi] = parts(exact);
  return Math.sqrt(squares(B, u.re, fr, undefined, false)[0] + squares(B, u.im, fi, undefined, false)[0]);
}

/**
 * L2 norm ‖u_h(t_k)‖ = sqrt(∫ |u_h|²).
 *
 * @example
 * normL2(sol, 0) ** 2; // the energy ∫|û|² of THEORY §4
 */
export function normL2(sol: ReactionDiffusionSolution, k: number): number {
  return errorL2(sol, k);
}

/**
 * H1 error sqrt(‖u_h − u‖² + ‖∇u_h − ∇u‖²), with the exact gradient supplied.
 *
 * @example
 * errorH1(sol, 1, (xi) => Math.cos(xi[0]), (xi) => [-Math.sin(xi[0])]);
 */
export function errorH1(
  sol: ReactionDiffusionSolution,
  k: number,
  exact?: FieldFunction,
  gradient?: GradientFunction,
): number {
  const B = basisOf(sol.space);
  const u = sol.values(k);
  const [fr, fi] = parts(exact);
  const [gr, gi] = parts(gradient);
  const a = squares(B, u.re, fr, gr, true);
  const b = squares(B, u.im, fi, gi, true);
  return Math.sqrt(a[0] + a[1] + b[0] + b[1]);
}

/**
 * H1 norm sqrt(‖u_h‖² + ‖∇u_h‖²).
 *
 * @example
 * normH1(sol, 0);
 */
export function normH1(sol: ReactionDiffusionSolution, k: number): number {
  return errorH1(sol, k);
}
