import type { FrequencyDistribution } from '../distributions/types.js';
import type { Grid } from '../grid.js';
import { checkOperator, type DifferentialOperator } from '../operators/operator.js';
import { latticeExpectations, type OperatorKernelOptions } from './expectations.js';
import { type LatticeTerm, latticeMatrix, latticeOperator } from './lattice.js';
import type { KernelOperator } from './operator.js';

export type { OperatorKernelOptions } from './expectations.js';

/*
 * The infinite-width NTK of L f (THEORY.md §7). With φ(w, x) = p(w) e^{iw·x}, L f =
 * (1/√m) Σ Re((a_j − i b_j) φ(w_j, x)); its gradients are Re φ, Im φ (in a, b) and
 * Re((a − ib)(∇p + i x p) e^{iw·x}) (in w), so with a, b ~ N(0, σ_a²) independent of w,
 *
 *   K_L(x, y) = E_w Re[ (|p|² (1 + σ_a² x·y) + σ_a² |∇p|² + i σ_a² Σ_k (x_k q_k − y_k q̄_k)) e^{iw·z} ],
 *
 * z = x − y, q_k = p ∂_k p̄. That is, with the lattice functions of z
 *
 *   A = E[|p|² cos(w·z)],  B = E[|∇p|² cos(w·z)],  C_k = Im E[q_k e^{iw·z}],  D_k(z) = −C_k(−z),
 *
 *   K_L(x, y) = (1 + σ_a² x·y) A + σ_a² B + σ_a² Σ_k (y_k D_k − x_k C_k)
 *
 * (= L_x L_y K; for L = −d²/dx² + k² THEORY.md §7's formula). The cross kernel of f and L f, which
 * moves the solution f while L f is trained (f_t = −∫ K_× r), is likewise
 *
 *   K_×(x, y) = ∇_θ f(x)·∇_θ (L f)(y) → E_w Re[ (p̄ (1 + σ_a² x·y) + i σ_a² x·∇p̄) e^{iw·z} ]
 *             = (1 + σ_a² x·y) P + σ_a² Σ_k x_k Q_k,   P = Re E[p̄ e^{iw·z}],  Q_k = −Im E[∂_k p̄ e^{iw·z}]
 *
 * (= L_y K). p = c (order 0) gives c² K and c K exactly, from the closed-form k; otherwise the
 * expectations are quadratures over w ({@link latticeExpectations}).
 */

/** The lattice functions of K_L (see the file's comment), at every offset of the grid's lattice. */
export interface OperatorKernelTables {
  readonly grid: Grid;
  readonly sigmaA: number;
  /** Offsets per axis: 2n_a − 1; value of offset δ at index (δ₀ + n₀ − 1)·s₁ + (δ₁ + n₁ − 1), s₁ = 2n₁ − 1 (1 in 1D). */
  readonly shape: readonly number[];
  /** A (the kernel of x_k u), A + σ_a² B (of u), C_k, D_k (k < d). */
  readonly a: Float64Array;
  readonly aPlusB: Float64Array;
  readonly c: readonly Float64Array[];
  readonly dd: readonly Float64Array[];
  /** Quadrature nodes per axis (0 for the closed form of order 0). */
  readonly nodes: readonly number[];
  /** How the expectations over w were computed. */
  readonly rule: 'closed form' | 'trapezoid' | 'gauss-legendre';
}

/** The lattice functions P, Q_k of the cross kernel K_× (see the file's comment). */
export interface CrossKernelTables {
  readonly grid: Grid;
  readonly sigmaA: number;
  readonly shape: readonly number[];
  readonly p: Float64Array;
  readonly q: readonly Float64Array[];
  readonly nodes: readonly number[];
  readonly rule: 'closed form' | 'trapezoid' | 'gauss-legendre';
}

/**
 * The lattice functions A, A + σ_a² B, C_k, D_k of K_L on the grid's offsets (see the file's
 * comment and THEORY.md §7). One quadrature over w for the whole grid.
 *
 * @example
 * const t = operatorKernelTables(uniformGrid({ dim: 1, halfWidth: 8, n: 256 }), gaussian(6), 1, helmholtz(2));
 * t.a[255]; // A(0) = E[(w² + 4)²] = 3σ⁴ + 8σ² + 16 = 4192
 */
export function operatorKernelTables(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
  options: OperatorKernelOptions = {},
): OperatorKernelTables {
  checkArguments(grid, distribution, sigmaA, operator);
  const d = grid.dim;
  const shape = offsetShape(grid);
  const size = shape.reduce((s, v) => s * v, 1);
  const s2 = sigmaA * sigmaA;
  const a = new Float64Array(size);
  const aPlusB = new Float64Array(size);
  const c = Array.from({ length: d }, () => new Float64Array(size));
  const dd = Array.from({ length: d }, () => new Float64Array(size));
  if (operator.order === 0) {
    // p ≡ c real: K_L = c² K, from the closed-form k.
    const c0 = constantOf(operator);
    closedForm(grid, distribution, shape, c0 * c0, a);
    aPlusB.set(a);
    return { grid, sigmaA, shape, a, aPlusB, c, dd, nodes: new Array(d).fill(0), rule: 'closed form' };
  }
  // Integrands |p|², |∇p|², q_k = p ∂_k p̄.
  const nf = 2 + d;
  const e = latticeExpectations(grid, distribution, operator, options, nf, (pr, pi, gr, gi, re, im, at) => {
    re[at] = pr * pr + pi * pi;
    im[at] = 0;
    let grad2 = 0;
    for (let k = 0; k < gr.length; k++) grad2 += gr[k] * gr[k] + gi[k] * gi[k];
    re[at + 1] = grad2;
    im[at + 1] = 0;
    for (let k = 0; k < gr.length; k++) {
      re[at + 2 + k] = pr * gr[k] + pi * gi[k];
      im[at + 2 + k] = pi * gr[k] - pr * gi[k];
    }
  });
  for (let i = 0; i < size; i++) {
    a[i] = e.re[i * nf];
    aPlusB[i] = e.re[i * nf] + s2 * e.re[i * nf + 1];
    for (let k = 0; k < d; k++) c[k][i] = e.im[i * nf + 2 + k];
  }
  // D_k(z) = −C_k(−z): the offset −δ sits at index size − 1 − i.
  for (let k = 0; k < d; k++) for (let i = 0; i < size; i++) dd[k][i] = -c[k][size - 1 - i];
  return { grid, sigmaA, shape, a, aPlusB, c, dd, nodes: e.nodes, rule: e.rule };
}

/**
 * The lattice functions P, Q_k of the cross kernel K_×(x, y) = ∇_θ f(x)·∇_θ(L f)(y) at infinite
 * width (see the file's comment): f_t = −∫ K_× r while L f is trained.
 *
 * @example
 * const t = crossKernelTables(uniformGrid({ dim: 1, halfWidth: 8, n: 256 }), gaussian(6), 1, helmholtz(2));
 * t.p[255]; // P(0) = E[w² + 4] = σ² + 4 = 40
 */
export function crossKernelTables(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
  options: OperatorKernelOptions = {},
): CrossKernelTables {
  checkArguments(grid, distribution, sigmaA, operator);
  const d = grid.dim;
  const shape = offsetShape(grid);
  const size = shape.reduce((s, v) => s * v, 1);
  const p = new Float64Array(size);
  const q = Array.from({ length: d }, () => new Float64Array(size));
  if (operator.order === 0) {
    closedForm(grid, distribution, shape, constantOf(operator), p);
    return { grid, sigmaA, shape, p, q, nodes: new Array(d).fill(0), rule: 'closed form' };
  }
  // Integrands p̄ and ∂_k p̄.
  const nf = 1 + d;
  const e = latticeExpectations(grid, distribution, operator, options, nf, (pr, pi, gr, gi, re, im, at) => {
    re[at] = pr;
    im[at] = -pi;
    for (let k = 0; k < gr.length; k++) {
      re[at + 1 + k] = gr[k];
      im[at + 1 + k] = -gi[k];
    }
  });
  for (let i = 0; i < size; i++) {
    p[i] = e.re[i * nf];
    for (let k = 0; k < d; k++) q[k][i] = -e.im[i * nf + 1 + k];
  }
  return { grid, sigmaA, shape, p, q, nodes: e.nodes, rule: e.rule };
}

/**
 * K_L u on a uniform grid in O(N log N) (THEORY.md §7): the infinite-width NTK of the L-applied
 * network, matrix-free, by circulant embedding of its lattice functions
 * ({@link operatorKernelTables}):
 *
 *     K_L u = (A + σ_a²B)*u + σ_a² Σ_k [ D_k*(x_k u) + x_k ⊙ (A*(x_k u) − C_k*u) ].
 *
 * Without the cell volume h^d, like {@link kernelOperator}, whose place it takes in the kernel dynamics.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 256 });
 * const K = operatorKernelOperator(grid, gaussian(6), 1, helmholtz(2));
 * K.apply(u, out); // out = K_L u
 */
export function operatorKernelOperator(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
  options: OperatorKernelOptions = {},
): KernelOperator & { readonly tables: OperatorKernelTables } {
  const tables = operatorKernelTables(grid, distribution, sigmaA, operator, options);
  return { ...latticeOperator(grid, ntkTerms(tables)), tables };
}

/**
 * The explicit N×N matrix of K_L (THEORY.md §7), row-major, from the lattice functions of
 * {@link operatorKernelTables}: the reference for {@link operatorKernelOperator} and the input of the
 * eigendecomposition. 8N² bytes: for small grids.
 *
 * @example
 * const K = operatorKernelMatrix(uniformGrid({ dim: 1, halfWidth: 1, n: 2 }), gaussian(1), 1, helmholtz(0));
 * // K[0] = E[w⁴](1 + x₀²) + E[4w²] = 3·2 + 4 = 10
 */
export function operatorKernelMatrix(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
  options: OperatorKernelOptions = {},
): Float64Array {
  return latticeMatrix(grid, ntkTerms(operatorKernelTables(grid, distribution, sigmaA, operator, options)));
}

/**
 * K_× r on a uniform grid in O(N log N): the infinite-width cross kernel ∇_θ f(x)·∇_θ(L f)(y)
 * ({@link crossKernelTables}), K_× r = P*r + σ_a² Σ_k x_k ⊙ (P*(x_k r) + Q_k*r). Without h^d.
 *
 * @example
 * const X = crossKernelOperator(grid, gaussian(6), 1, helmholtz(2));
 * X.apply(r, out); // the direction −f_t of the solution under the residual r
 */
export function crossKernelOperator(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
  options: OperatorKernelOptions = {},
): KernelOperator & { readonly tables: CrossKernelTables } {
  const tables = crossKernelTables(grid, distribution, sigmaA, operator, options);
  return { ...latticeOperator(grid, crossTerms(tables)), tables };
}

/**
 * The explicit N×N matrix of K_× (row i: x_i, the point of f; column j: the point of L f).
 *
 * @example
 * const X = crossKernelMatrix(uniformGrid({ dim: 1, halfWidth: 1, n: 2 }), gaussian(1), 1, helmholtz(0));
 * // X[0] = E[w²](1 + x₀²) = 2
 */
export function crossKernelMatrix(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
  options: OperatorKernelOptions = {},
): Float64Array {
  return latticeMatrix(grid, crossTerms(crossKernelTables(grid, distribution, sigmaA, operator, options)));
}

function ntkTerms(t: OperatorKernelTables): LatticeTerm[] {
  const s2 = t.sigmaA * t.sigmaA;
  const terms: LatticeTerm[] = [{ values: t.aPlusB, input: -1, output: -1, scale: 1 }];
  for (let k = 0; k < t.grid.dim; k++) {
    terms.push({ values: t.dd[k], input: k, output: -1, scale: s2 });
    terms.push({ values: t.a, input: k, output: k, scale: s2 });
    terms.push({ values: t.c[k], input: -1, output: k, scale: -s2 });
  }
  return terms;
}

function crossTerms(t: CrossKernelTables): LatticeTerm[] {
  const s2 = t.sigmaA * t.sigmaA;
  const terms: LatticeTerm[] = [{ values: t.p, input: -1, output: -1, scale: 1 }];
  for (let k = 0; k < t.grid.dim; k++) {
    terms.push({ values: t.p, input: k, output: k, scale: s2 });
    terms.push({ values: t.q[k], input: -1, output: k, scale: s2 });
  }
  return terms;
}

function checkArguments(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
): void {
  if (distribution?.dim !== grid?.dim)
    throw new Error(`distribution: dimension ${distribution?.dim} differs from the grid's ${grid?.dim}`);
  if (typeof sigmaA !== 'number' || !Number.isFinite(sigmaA) || sigmaA < 0)
    throw new Error(`sigmaA: expected a finite number ≥ 0, got ${sigmaA}`);
  checkOperator('operator', operator, grid.dim);
}

function offsetShape(grid: Grid): number[] {
  return Array.from({ length: grid.dim }, (_, a) => 2 * grid.n[a] - 1);
}

function constantOf(operator: DifferentialOperator): number {
  return operator.terms.length === 0 ? 0 : operator.terms[0].coefficient;
}

/** out = s · k(z) at every offset, from the distribution's closed-form kernel. */
function closedForm(
  grid: Grid,
  distribution: FrequencyDistribution,
  shape: readonly number[],
  s: number,
  out: Float64Array,
): void {
  const d = grid.dim;
  const z = new Float64Array(d);
  for (let i = 0; i < out.length; i++) {
    let rest = i;
    for (let a = d - 1; a >= 0; a--) {
      z[a] = ((rest % shape[a]) - (grid.n[a] - 1)) * grid.h[a];
      rest = Math.floor(rest / shape[a]);
    }
    out[i] = s * distribution.kernel(z);
  }
}
