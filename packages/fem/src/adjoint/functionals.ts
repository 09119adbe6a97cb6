import { type Coefficient, sampleMass } from '../assembly/coefficient.js';
import { addMass } from '../assembly/forms.js';
import { emptyMatrix, sparsityPattern } from '../assembly/pattern.js';
import { type Csr, matvec } from '../linalg/csr.js';
import { cellLocator } from '../mesh/locate.js';
import type { Mesh } from '../mesh/types.js';
import type { Complex } from '../post/solution.js';
import { cellRule } from '../quadrature/index.js';
import { mapBasis } from '../space/basis.js';
import { functionSpace } from '../space/function-space.js';
import type { Functional } from './gradient.js';

function checkWeights(weights: ArrayLike<number>): Float64Array {
  if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number')
    throw new Error('weights: expected an array with one weight per output time');
  const w = Float64Array.from(weights);
  w.forEach((v, k) => {
    if (!Number.isFinite(v)) throw new Error(`weights: entry ${k} is ${v}; expected a finite number`);
  });
  return w;
}

function weightOf(w: Float64Array, k: number): number {
  if (!(k >= 0 && k < w.length))
    throw new Error(`weights: no weight for output ${k} (${w.length} given; one per output time)`);
  return w[k];
}

/**
 * J = Σ_k w_k · ½∫ c |u(t_k)|² dξ (real and imaginary parts), computed as ½ Uᵀ M_c U with the exact
 * (weighted) mass matrix of the P1/P2 space: with c = 1 (default) the loss curve of THEORY §4
 * (Parseval). One weight per output time. `mass` c > 0 is a mass coefficient as in
 * `solveReactionDiffusion`: with the 1/|p|² of `operatorFrequencyDynamics`, ∫ c |v|² = ∫ |r̂|²,
 * the residual's loss (THEORY §7).
 *
 * @example
 * const J = energyFunctional(intervalMesh(0, 1, 10), 1, [0, 1, 1]); // ½‖u(t₁)‖² + ½‖u(t₂)‖²
 * const Jr = energyFunctional(mesh, 1, [0, 1], op.mass); // ½∫|r̂(t₁)|² from v = p̄ r̂
 */
export function energyFunctional(
  mesh: Mesh,
  degree: 1 | 2,
  weights: ArrayLike<number>,
  mass?: Coefficient,
): Functional & { mass: Csr } {
  const w = checkWeights(weights);
  const space = functionSpace(mesh, degree);
  const B = mapBasis(space, cellRule(mesh.dim, degree));
  const P = sparsityPattern(space);
  const M = emptyMatrix(P);
  addMass(B, P, mass === undefined ? null : sampleMass(B, mass, 'mass'), M.values);
  const Mu = new Float64Array(space.size);
  const check = (u: Complex, name: string) => {
    if (u.re.length !== space.size || u.im.length !== space.size)
      throw new Error(`${name}: expected ${space.size} nodal values, got ${u.re.length} and ${u.im.length}`);
  };
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  };
  return {
    mass: M,
    value(k, u) {
      const wk = weightOf(w, k);
      check(u, 'u');
      if (wk === 0) return 0;
      return 0.5 * wk * (dot(matvec(M, u.re, Mu), u.re) + dot(matvec(M, u.im, Mu), u.im));
    },
    gradient(k, u, out) {
      const wk = weightOf(w, k);
      check(u, 'u');
      if (wk === 0) return;
      matvec(M, u.re, out.re);
      matvec(M, u.im, out.im);
      for (let i = 0; i < space.size; i++) {
        out.re[i] *= wk;
        out.im[i] *= wk;
      }
    },
  };
}

/**
 * J = Σ_k w_k Σ_i |u(t_k, ξ_i)|² at given points (flat, `dim` numbers per point), u evaluated
 * with the element's basis; a point outside the mesh throws.
 *
 * @example
 * const J = pointFunctional(intervalMesh(0, 1, 10), 1, [0.25, 0.5], [0, 1]); // u(1, 0.25)² + u(1, 0.5)²
 */
export function pointFunctional(
  mesh: Mesh,
  degree: 1 | 2,
  points: ArrayLike<number>,
  weights: ArrayLike<number>,
): Functional {
  const w = checkWeights(weights);
  const space = functionSpace(mesh, degree);
  const dim = mesh.dim;
  if (points.length === 0 || points.length % dim !== 0)
    throw new Error(`points: length ${points.length} is not a positive multiple of the dimension ${dim}`);
  const np = points.length / dim;
  const el = space.element;
  const locator = cellLocator(mesh);
  const dofs = new Int32Array(np * el.size);
  const vals = new Float64Array(np * el.size);
  const v = new Float64Array(el.size);
  const g = new Float64Array(el.size * dim);
  const X = new Float64Array(dim);
  const x = new Float64Array(dim);
  for (let p = 0; p < np; p++) {
    for (let k = 0; k < dim; k++) x[k] = points[p * dim + k];
    if (!x.every(Number.isFinite)) throw new Error(`points: point ${p} is not finite`);
    const c = locator.locate(x, X);
    if (c < 0) throw new Error(`points: point ${p} (${Array.from(x).join(', ')}) is outside the mesh`);
    el.basis(X, v, g);
    for (let i = 0; i < el.size; i++) {
      dofs[p * el.size + i] = space.cellDofs[c * el.size + i];
      vals[p * el.size + i] = v[i];
    }
  }
  const at = (u: Float64Array, p: number) => {
    let s = 0;
    for (let i = 0; i < el.size; i++) s += vals[p * el.size + i] * u[dofs[p * el.size + i]];
    return s;
  };
  return {
    value(k, u) {
      const wk = weightOf(w, k);
      let s = 0;
      for (let p = 0; p < np; p++) s += at(u.re, p) ** 2 + at(u.im, p) ** 2;
      return wk * s;
    },
    gradient(k, u, out) {
      const wk = weightOf(w, k);
      for (let p = 0; p < np; p++) {
        const a = 2 * wk * at(u.re, p);
        const b = 2 * wk * at(u.im, p);
        for (let i = 0; i < el.size; i++) {
          out.re[dofs[p * el.size + i]] += a * vals[p * el.size + i];
          out.im[dofs[p * el.size + i]] += b * vals[p * el.size + i];
        }
      }
    },
  };
}
