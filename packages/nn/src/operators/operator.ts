import { checkFinite } from '../numeric/checks.js';

/*
 * Constant-coefficient linear differential operators L = Σ_α c_α ∂^α (|α| ≤ 4, real c_α) and their
 * symbols p(ξ) = Σ_α c_α (iξ)^α, L e^{iξ·x} = p(ξ) e^{iξ·x} (THEORY.md §7).
 */

/** The highest derivative order an operator may have. */
export const MAX_OPERATOR_ORDER = 4;

/** One monomial c ∂^α: `alpha` has one entry per axis (1 or 2). */
export interface OperatorTerm {
  readonly coefficient: number;
  readonly alpha: readonly number[];
}

/** A complex number. */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

/**
 * A constant-coefficient linear operator L = Σ c_α ∂^α with symbol p(ξ) = Σ c_α (iξ)^α. Built by
 * {@link polynomialOperator}, the named constructors ({@link helmholtz}, …) or {@link operatorFromSpec}.
 */
export interface DifferentialOperator {
  /** e.g. `helmholtz(k=2)`. */
  readonly name: string;
  /**
   * The dimension the operator is written for, or undefined when it reads the same in 1D and 2D
   * (−Δ + k²: in 1D the terms in ∂₂ act on functions of x₁ alone and vanish).
   */
  readonly dim: 1 | 2 | undefined;
  /** The monomials, alike terms merged, zero coefficients dropped; `alpha` always has 2 entries. */
  readonly terms: readonly OperatorTerm[];
  /** The highest |α| (0 for a multiple of the identity). */
  readonly order: number;
  /**
   * p(ξ) at one frequency ξ (length 1 or 2).
   *
   * @example
   * helmholtz(2).symbol([3]); // { re: 13, im: 0 }
   */
  symbol(xi: ArrayLike<number>): Complex;
  /**
   * ∇_ξ p at ξ: out.re[k] + i out.im[k] = ∂p/∂ξ_k, k < ξ.length.
   *
   * @example
   * advection([3], 1).symbolGradient([2]); // { re: [0], im: [3] }
   */
  symbolGradient(xi: ArrayLike<number>): { re: Float64Array; im: Float64Array };
}

/**
 * The operator Σ c_α ∂^α from its terms (alike α merged). All `alpha` have one length, the
 * operator's dimension; entries are integers ≥ 0 with |α| ≤ 4; coefficients are finite.
 *
 * @example
 * const L = polynomialOperator([{ coefficient: -1, alpha: [2] }, { coefficient: 4, alpha: [0] }]);
 * L.symbol([3]); // { re: 13, im: 0 }: −d²/dx² + 4 = helmholtz(2) in 1D
 */
export function polynomialOperator(terms: readonly OperatorTerm[], name?: string): DifferentialOperator {
  if (!Array.isArray(terms) || terms.length === 0)
    throw new Error('terms: expected a non-empty array of { coefficient, alpha }');
  const d = terms[0]?.alpha?.length;
  if (d !== 1 && d !== 2) throw new Error(`terms[0].alpha: expected 1 or 2 entries (one per axis), got ${d}`);
  terms.forEach((t, j) => {
    checkFinite(`terms[${j}].coefficient`, t.coefficient);
    const alpha: readonly number[] = t.alpha;
    if (!Array.isArray(alpha) || alpha.length !== d)
      throw new Error(`terms[${j}].alpha: expected ${d} entries like terms[0].alpha`);
    for (const [k, a] of alpha.entries()) {
      if (!Number.isInteger(a) || a < 0)
        throw new Error(`terms[${j}].alpha[${k}]: expected an integer ≥ 0, got ${a}`);
    }
    const order = alpha.reduce((s, a) => s + a, 0);
    if (order > MAX_OPERATOR_ORDER)
      throw new Error(`terms[${j}].alpha: expected order |α| ≤ ${MAX_OPERATOR_ORDER}, got ${order}`);
  });
  return makeOperator(
    terms.map((t) => ({ coefficient: t.coefficient, alpha: [t.alpha[0], t.alpha[1] ?? 0] })),
    d,
    name ?? `polynomial(${terms.map(termText).join(' + ')})`,
  );
}

/**
 * L = I, p ≡ 1: training on L f ≈ s is plain regression.
 *
 * @example
 * identityOperator().symbol([5, 1]); // { re: 1, im: 0 }
 */
export function identityOperator(): DifferentialOperator {
  return makeOperator([{ coefficient: 1, alpha: [0, 0] }], undefined, 'identity');
}

/**
 * The Helmholtz-type operator −Δ + k², p(ξ) = |ξ|² + k² (THEORY.md §7), in 1D and 2D.
 *
 * @example
 * helmholtz(2).symbol([1, 1]); // { re: 6, im: 0 }
 */
export function helmholtz(k: number): DifferentialOperator {
  checkFinite('k', k);
  return makeOperator(
    laplacianTerms(-1).concat({ coefficient: k * k, alpha: [0, 0] }),
    undefined,
    `helmholtz(k=${k})`,
  );
}

/**
 * The biharmonic operator Δ², p(ξ) = |ξ|⁴, in 1D (d⁴/dx⁴) and 2D.
 *
 * @example
 * biharmonic().symbol([1, 1]); // { re: 4, im: 0 }
 */
export function biharmonic(): DifferentialOperator {
  return makeOperator(
    [
      { coefficient: 1, alpha: [4, 0] },
      { coefficient: 2, alpha: [2, 2] },
      { coefficient: 1, alpha: [0, 4] },
    ],
    undefined,
    'biharmonic',
  );
}

/**
 * Advection–reaction c·∇ + μ, p(ξ) = i c·ξ + μ (an imaginary symbol); c has one entry per axis
 * and fixes the dimension.
 *
 * @example
 * advection([1, 2], 0.5).symbol([3, 1]); // { re: 0.5, im: 5 }
 */
export function advection(c: readonly number[], mu = 0): DifferentialOperator {
  if (!Array.isArray(c) || (c.length !== 1 && c.length !== 2))
    throw new Error(`c: expected 1 or 2 numbers (one per axis), got ${JSON.stringify(c)}`);
  for (const [k, v] of c.entries()) checkFinite(`c[${k}]`, v);
  checkFinite('mu', mu);
  const terms: OperatorTerm[] = c.map((v, k) => ({ coefficient: v, alpha: k === 0 ? [1, 0] : [0, 1] }));
  terms.push({ coefficient: mu, alpha: [0, 0] });
  return makeOperator(terms, c.length as 1 | 2, `advection(c=[${c.join(', ')}], μ=${mu})`);
}

/**
 * Diffusion–reaction −κΔ + μ, p(ξ) = κ|ξ|² + μ, in 1D and 2D.
 *
 * @example
 * diffusionReaction(0.5, 1).symbol([2]); // { re: 3, im: 0 }
 */
export function diffusionReaction(kappa: number, mu: number): DifferentialOperator {
  checkFinite('kappa', kappa);
  checkFinite('mu', mu);
  return makeOperator(
    laplacianTerms(-kappa).concat({ coefficient: mu, alpha: [0, 0] }),
    undefined,
    `diffusionReaction(κ=${kappa}, μ=${mu})`,
  );
}

/**
 * L₁ + L₂ + …: the symbols add. Operators fixed to different dimensions cannot be added.
 *
 * @example
 * sumOperators(biharmonic(), helmholtz(1)).symbol([1]); // { re: 3, im: 0 }: |ξ|⁴ + |ξ|² + 1
 */
export function sumOperators(...operators: DifferentialOperator[]): DifferentialOperator {
  if (operators.length === 0) throw new Error('operators: expected at least one operator');
  let dim: 1 | 2 | undefined;
  for (const [j, op] of operators.entries()) {
    if (!op || !Array.isArray(op.terms)) throw new Error(`operators[${j}]: expected a DifferentialOperator`);
    if (op.dim !== undefined && dim !== undefined && op.dim !== dim)
      throw new Error(`operators[${j}]: a ${op.dim}D operator cannot be added to a ${dim}D one`);
    dim ??= op.dim;
  }
  return makeOperator(
    operators.flatMap((op) => op.terms),
    dim,
    operators.map((op) => op.name).join(' + '),
  );
}

/**
 * s·L: the symbol times the real number s.
 *
 * @example
 * scaleOperator(2, helmholtz(1)).symbol([1]); // { re: 4, im: 0 }
 */
export function scaleOperator(s: number, op: DifferentialOperator): DifferentialOperator {
  checkFinite('s', s);
  if (!op || !Array.isArray(op.terms)) throw new Error('operator: expected a DifferentialOperator');
  return makeOperator(
    op.terms.map((t) => ({ coefficient: s * t.coefficient, alpha: t.alpha })),
    op.dim,
    `${s}·${op.name}`,
  );
}

/**
 * True when p ≡ 1 (L = I).
 *
 * @example
 * isIdentity(helmholtz(0)); // false
 */
export function isIdentity(op: DifferentialOperator): boolean {
  return op.order === 0 && op.terms.length === 1 && op.terms[0].coefficient === 1;
}

/**
 * Throws unless `op` is a DifferentialOperator usable in dimension `dim` (`name` names the argument).
 *
 * @example
 * checkOperator('operator', advection([1, 0]), 1); // throws 'operator: advection(…) is 2D but the grid is 1D'
 */
export function checkOperator(name: string, op: DifferentialOperator, dim: 1 | 2): void {
  if (!op || !Array.isArray(op.terms) || typeof op.symbol !== 'function')
    throw new Error(`${name}: expected a DifferentialOperator (helmholtz(k), advection(c, μ), …)`);
  if (op.dim !== undefined && op.dim !== dim)
    throw new Error(`${name}: ${op.name} is ${op.dim}D but the grid is ${dim}D`);
}

/**
 * p(w_j) and ∇p(w_j) for all m frequencies at once (w flat, feature-major with d entries each):
 * pr[j] + i pi[j] = p(w_j), gr[j·d + k] + i gi[j·d + k] = ∂p/∂ξ_k (w_j). The hot loop of the
 * operator engine and kernel: O(m · terms).
 *
 * @example
 * const pr = new Float64Array(1), pi = new Float64Array(1), gr = new Float64Array(1), gi = new Float64Array(1);
 * symbolsAt(helmholtz(2), Float64Array.of(3), 1, pr, pi, gr, gi); // pr = [13], gr = [6]
 */
export function symbolsAt(
  op: DifferentialOperator,
  w: ArrayLike<number>,
  d: 1 | 2,
  pr: Float64Array,
  pi: Float64Array,
  gr?: Float64Array,
  gi?: Float64Array,
): void {
  const m = pr.length;
  // Terms as flat arrays: the real and imaginary parts of c·i^{|α|}, and α.
  const active = op.terms.filter((t) => d === 2 || t.alpha[1] === 0);
  const nt = active.length;
  const cr = new Float64Array(nt);
  const ci = new Float64Array(nt);
  const a0 = new Int32Array(nt);
  const a1 = new Int32Array(nt);
  active.forEach((t, j) => {
    const n = (t.alpha[0] + t.alpha[1]) % 4;
    cr[j] = n === 0 ? t.coefficient : n === 2 ? -t.coefficient : 0;
    ci[j] = n === 1 ? t.coefficient : n === 3 ? -t.coefficient : 0;
    a0[j] = t.alpha[0];
    a1[j] = t.alpha[1];
  });
  const p0 = new Float64Array(MAX_OPERATOR_ORDER + 1);
  const p1 = new Float64Array(MAX_OPERATOR_ORDER + 1);
  p0[0] = 1;
  p1[0] = 1;
  for (let j = 0; j < m; j++) {
    const x0 = w[j * d];
    const x1 = d === 2 ? w[j * d + 1] : 0;
    for (let e = 1; e <= MAX_OPERATOR_ORDER; e++) {
      p0[e] = p0[e - 1] * x0;
      p1[e] = p1[e - 1] * x1;
    }
    let sr = 0;
    let si = 0;
    let g0r = 0;
    let g0i = 0;
    let g1r = 0;
    let g1i = 0;
    for (let t = 0; t < nt; t++) {
      const e0 = a0[t];
      const e1 = a1[t];
      const mono = p0[e0] * p1[e1];
      sr += cr[t] * mono;
      si += ci[t] * mono;
      if (gr) {
        if (e0 > 0) {
          const d0 = e0 * p0[e0 - 1] * p1[e1];
          g0r += cr[t] * d0;
          g0i += ci[t] * d0;
        }
        if (e1 > 0) {
          const d1 = e1 * p0[e0] * p1[e1 - 1];
          g1r += cr[t] * d1;
          g1i += ci[t] * d1;
        }
      }
    }
    pr[j] = sr;
    pi[j] = si;
    if (gr && gi) {
      gr[j * d] = g0r;
      gi[j * d] = g0i;
      if (d === 2) {
        gr[j * d + 1] = g1r;
        gi[j * d + 1] = g1i;
      }
    }
  }
}

function laplacianTerms(c: number): OperatorTerm[] {
  return [
    { coefficient: c, alpha: [2, 0] },
    { coefficient: c, alpha: [0, 2] },
  ];
}

function termText(t: OperatorTerm): string {
  const parts = t.alpha.flatMap((a, k) => (a === 0 ? [] : [`∂${k + 1}${a > 1 ? `^${a}` : ''}`]));
  return parts.length === 0 ? `${t.coefficient}` : `${t.coefficient}·${parts.join('')}`;
}

/** Merges alike terms (α given with 2 entries), drops zeros, and attaches the symbol. */
function makeOperator(
  terms: readonly OperatorTerm[],
  dim: 1 | 2 | undefined,
  name: string,
): DifferentialOperator {
  const merged = new Map<string, { coefficient: number; alpha: readonly number[] }>();
  for (const t of terms) {
    const key = `${t.alpha[0]},${t.alpha[1]}`;
    const prev = merged.get(key);
    if (prev) prev.coefficient += t.coefficient;
    else merged.set(key, { coefficient: t.coefficient, alpha: [t.alpha[0], t.alpha[1]] });
  }
  const kept = [...merged.values()].filter((t) => t.coefficient !== 0);
  const order = kept.reduce((s, t) => Math.max(s, t.alpha[0] + t.alpha[1]), 0);
  const op: DifferentialOperator = {
    name,
    dim,
    terms: kept,
    order,
    symbol(xi) {
      const d = symbolDim(xi);
      const pr = new Float64Array(1);
      const pi = new Float64Array(1);
      symbolsAt(op, xi, d, pr, pi);
      return { re: pr[0], im: pi[0] };
    },
    symbolGradient(xi) {
      const d = symbolDim(xi);
      const re = new Float64Array(d);
      const im = new Float64Array(d);
      symbolsAt(op, xi, d, new Float64Array(1), new Float64Array(1), re, im);
      return { re, im };
    },
  };
  return op;
}

function symbolDim(xi: ArrayLike<number>): 1 | 2 {
  const d = xi?.length;
  if (d !== 1 && d !== 2) throw new Error(`xi: expected 1 or 2 coordinates, got ${d}`);
  return d;
}
