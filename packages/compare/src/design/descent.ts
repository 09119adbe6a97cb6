/*
 * Gradient-based minimisation for the design's many-parameter families (issue 12): L-BFGS with a
 * backtracking (Armijo) line search that treats an infeasible point (value Infinity or NaN: ρ_w
 * aliasing, a goal never reached) as "too far" and halves the step. Unconstrained: the families
 * map θ ∈ ℝⁿ into their ranges themselves. Written here rather than taken from a library because
 * the line search must survive Infinity, which general-purpose optimisers do not.
 */

/** One evaluation: the objective and its gradient (ignored when the value is not finite). */
export interface Evaluated {
  readonly value: number;
  readonly gradient: Float64Array;
}

/** Options of {@link minimiseLbfgs}. */
export interface LbfgsOptions {
  /** Iterations (accepted steps) at most. */
  readonly iterations: number;
  /** Stop when an iteration lowers the value by less than this, relative to |value|, twice in a row. */
  readonly tolerance: number;
  /** The largest change of any θ entry in one step (the first step is scaled to it). */
  readonly maxStep?: number;
  /** Pairs (s, y) kept (default 8). */
  readonly memory?: number;
  /** Called after every evaluation (line-search trials included). */
  readonly onEvaluation?: (x: Float64Array, e: Evaluated) => void;
  /** Called after every accepted step. */
  readonly onStep?: (iteration: number, x: Float64Array, value: number) => void;
}

/** What {@link minimiseLbfgs} found, and why it stopped. */
export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly gradient: Float64Array;
  readonly iterations: number;
  readonly evaluations: number;
  readonly stopped: 'converged' | 'iterations' | 'line search' | 'stationary';
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Minimises a smooth objective from x0 by L-BFGS (two-loop recursion) with backtracking; the start
 * must be feasible (finite value).
 *
 * @example
 * const r = await minimiseLbfgs(async (x) => ({ value: (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2,
 *   gradient: Float64Array.of(2 * (x[0] - 3), 20 * (x[1] + 1)) }), Float64Array.of(0, 0),
 *   { iterations: 50, tolerance: 1e-12 });
 * r.x; // ≈ [3, −1]
 */
export async function minimiseLbfgs(
  f: (x: Float64Array) => Promise<Evaluated>,
  x0: Float64Array,
  options: LbfgsOptions,
): Promise<LbfgsResult> {
  const memory = options.memory ?? 8;
  const maxStep = options.maxStep ?? 1;
  let evaluations = 0;
  const evaluate = async (x: Float64Array): Promise<Evaluated> => {
    const e = await f(x);
    evaluations++;
    const value = Number.isNaN(e.value) ? Infinity : e.value;
    const out = { value, gradient: e.gradient };
    options.onEvaluation?.(x, out);
    return out;
  };
  let x = Float64Array.from(x0);
  let cur = await evaluate(x);
  if (!Number.isFinite(cur.value))
    throw new Error('the starting guess is infeasible (its goal is not finite)');
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  let slow = 0;
  let iterations = 0;
  let stopped: LbfgsResult['stopped'] = 'iterations';
  while (iterations < options.iterations) {
    const g = cur.gradient;
    const gnorm = Math.sqrt(dot(g, g));
    if (!(gnorm > 0) || !Number.isFinite(gnorm)) {
      stopped = 'stationary';
      break;
    }
    // two-loop recursion: d = −H g
    const q = Float64Array.from(g);
    const alpha: number[] = [];
    for (let i = S.length - 1; i >= 0; i--) {
      const a = dot(S[i], q) / dot(Y[i], S[i]);
      alpha[i] = a;
      for (let j = 0; j < q.length; j++) q[j] -= a * Y[i][j];
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let j = 0; j < q.length; j++) q[j] *= gamma;
    }
    for (let i = 0; i < S.length; i++) {
      const b = dot(Y[i], q) / dot(Y[i], S[i]);
      for (let j = 0; j < q.length; j++) q[j] += S[i][j] * (alpha[i] - b);
    }
    let d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // not a descent direction (curvature lost): restart from steepest descent
      S.length = 0;
      Y.length = 0;
      d = g.map((v) => -v);
      slope = -dot(g, g);
    }
    let inf = 0;
    for (const v of d) inf = Math.max(inf, Math.abs(v));
    let step = S.length === 0 || inf > maxStep ? maxStep / inf : 1;
    let next: Evaluated | undefined;
    let xn = x;
    for (let tries = 0; tries < 30; tries++) {
      xn = x.map((v, j) => v + step * d[j]);
      const e = await evaluate(xn);
      if (Number.isFinite(e.value) && e.value <= cur.value + 1e-4 * step * slope) {
        next = e;
        break;
      }
      step /= 2;
    }
    if (!next) {
      stopped = 'line search';
      break;
    }
    const s = xn.map((v, j) => v - x[j]);
    const y = next.gradient.map((v, j) => v - g[j]);
    if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      S.push(s);
      Y.push(y);
      if (S.length > memory) {
        S.shift();
        Y.shift();
      }
    }
    const drop = cur.value - next.value;
    x = xn;
    cur = next;
    iterations++;
    options.onStep?.(iterations, x, cur.value);
    slow = drop <= options.tolerance * Math.abs(cur.value) ? slow + 1 : 0;
    if (slow >= 2) {
      stopped = 'converged';
      break;
    }
  }
  return { x, value: cur.value, gradient: cur.gradient, iterations, evaluations, stopped };
}
