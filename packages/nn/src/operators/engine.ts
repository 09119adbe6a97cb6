import type { Grid } from '../grid.js';
import type {
  TwoLayerEngine,
  TwoLayerEngineName,
  TwoLayerParameters,
  TwoLayerTangent,
} from '../models/two-layer/engine.js';
import { checkParameters, checkTangent, resultTangent } from '../models/two-layer/tangent.js';
import { checkOperator, type DifferentialOperator, symbolsAt } from './operator.js';

/** A two-layer engine whose network is L f (see {@link operatorEngine}). */
export interface OperatorEngine extends TwoLayerEngine {
  /** The engine that evaluates the features; `dispose` releases it. */
  readonly base: TwoLayerEngine;
  readonly operator: DifferentialOperator;
}

/** Scratch of one product, reused while the width stays the same. */
interface Scratch {
  pr: Float64Array;
  pi: Float64Array;
  gr: Float64Array;
  gi: Float64Array;
  /** The strengths (A, B) of L f and a tangent or gradient in (w, A, B). */
  strengths: TwoLayerParameters;
  tangent: TwoLayerTangent;
}

/**
 * The engine of L f for a constant-coefficient operator L with symbol p (THEORY.md §7), on top of
 * any two-layer engine, which it uses as a black box. Since
 * f = (1/√m) Σ Re((a_j − i b_j) e^{i w_j·x}), L f is a network of the same form with the
 * strengths A_j − i B_j = p(w_j)(a_j − i b_j):
 *
 *     A = a p_r + b p_i,   B = b p_r − a p_i,
 *
 * so forward is the base engine's forward at (w, A, B), and vjp and jvp are the base engine's
 * products chained through (w, a, b) ↦ (w, A, B), ∂A/∂w and ∂B/∂w from ∇p(w): exact, O(m) extra work
 * per product. Like the engines it wraps, one product at a time.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 256 });
 * const L = operatorEngine(createFloat64Engine(grid), helmholtz(2));
 * const s = await L.forward(net.parameters); // (−f'' + 4 f)(x_i)
 */
export function operatorEngine(base: TwoLayerEngine, operator: DifferentialOperator): OperatorEngine {
  if (!base || typeof base.forward !== 'function') throw new Error('base: expected a TwoLayerEngine');
  const grid: Grid = base.grid;
  checkOperator('operator', operator, grid.dim);
  const d = grid.dim;
  const scratch = { forward: undefined, vjp: undefined, jvp: undefined } as Record<
    'forward' | 'vjp' | 'jvp',
    Scratch | undefined
  >;
  /** p(w_j), ∇p(w_j) and the strengths A, B of p (in the product's own scratch). */
  const prepare = (which: 'forward' | 'vjp' | 'jvp', p: TwoLayerParameters, gradient: boolean): Scratch => {
    checkParameters(p, grid);
    const m = p.width;
    let s = scratch[which];
    if (!s || s.pr.length !== m) {
      s = {
        pr: new Float64Array(m),
        pi: new Float64Array(m),
        gr: new Float64Array(m * d),
        gi: new Float64Array(m * d),
        strengths: { dim: d, width: m, w: p.w, a: new Float64Array(m), b: new Float64Array(m) },
        tangent: { w: new Float64Array(m * d), a: new Float64Array(m), b: new Float64Array(m) },
      };
      scratch[which] = s;
    }
    s.strengths = { dim: d, width: m, w: p.w, a: s.strengths.a, b: s.strengths.b };
    symbolsAt(operator, p.w, d, s.pr, s.pi, gradient ? s.gr : undefined, gradient ? s.gi : undefined);
    const { pr, pi } = s;
    const { a: A, b: B } = s.strengths;
    const { a, b } = p;
    for (let j = 0; j < m; j++) {
      A[j] = a[j] * pr[j] + b[j] * pi[j];
      B[j] = b[j] * pr[j] - a[j] * pi[j];
    }
    return s;
  };
  return {
    name: base.name as TwoLayerEngineName,
    grid,
    backend: `${base.backend ?? base.name}, ${operator.name} applied`,
    base,
    operator,
    async forward(p, out) {
      return base.forward(prepare('forward', p, false).strengths, out);
    },
    async vjp(p, r, out) {
      const s = prepare('vjp', p, true);
      const g = await base.vjp(s.strengths, r, s.tangent);
      const result = resultTangent(p, out);
      const { pr, pi, gr, gi } = s;
      const { a, b } = p;
      for (let j = 0; j < p.width; j++) {
        const gA = g.a[j];
        const gB = g.b[j];
        result.a[j] = gA * pr[j] - gB * pi[j];
        result.b[j] = gA * pi[j] + gB * pr[j];
        for (let k = 0; k < d; k++) {
          const i = j * d + k;
          const dA = gr[i] * a[j] + gi[i] * b[j];
          const dB = gr[i] * b[j] - gi[i] * a[j];
          result.w[i] = g.w[i] + gA * dA + gB * dB;
        }
      }
      return result;
    },
    async jvp(p, t, out) {
      const s = prepare('jvp', p, true);
      checkTangent(t, p);
      const { pr, pi, gr, gi, tangent } = s;
      const { a, b } = p;
      tangent.w.set(t.w);
      for (let j = 0; j < p.width; j++) {
        let tA = pr[j] * t.a[j] + pi[j] * t.b[j];
        let tB = pr[j] * t.b[j] - pi[j] * t.a[j];
        for (let k = 0; k < d; k++) {
          const i = j * d + k;
          tA += (gr[i] * a[j] + gi[i] * b[j]) * t.w[i];
          tB += (gr[i] * b[j] - gi[i] * a[j]) * t.w[i];
        }
        tangent.a[j] = tA;
        tangent.b[j] = tB;
      }
      return base.jvp(s.strengths, tangent, out);
    },
    dispose() {
      return base.dispose();
    },
  };
}
