/*
 * A robust search over a few positive parameters (issue 12's one-parameter families, and the
 * anisotropic Gaussian's two): a log-spaced scan of each range, then golden sections on the scan's
 * best bracket, one parameter at a time. Values may be Infinity (an infeasible candidate, a goal
 * never reached); NaN counts as Infinity. No gradients, no smoothness assumed beyond a single
 * minimum inside the best bracket.
 */

/** One evaluated candidate. */
export interface Evaluation<T> {
  readonly x: number[];
  readonly value: number;
  readonly secondary: number;
  readonly info: T;
}

/** Options of {@link searchMinimum}. */
export interface SearchOptions {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  readonly start: readonly number[];
  /** Points of each parameter's first scan (log-spaced, ends included). */
  readonly scan: number;
  /** Relative tolerance on each parameter. */
  readonly tolerance: number;
  /** Rounds over the parameters (1 for a single parameter). */
  readonly rounds: number;
  /**
   * Values within this of the minimum count as ties, decided by `secondary` (default 0: none). A
   * flat-bias goal uses it so that of two equally flat designs the faster one wins.
   */
  readonly tie?: number;
}

/** The result of {@link searchMinimum}: the best candidate and every evaluation, in order. */
export interface SearchResult<T> {
  readonly best: Evaluation<T>;
  readonly evaluations: Evaluation<T>[];
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Minimises `objective` over the box [lower, upper] (positive bounds): per parameter a log-spaced
 * scan (first round only), then golden-section refinement in log x between the best scan point's
 * neighbours, down to the relative tolerance; repeated `rounds` times over the parameters.
 * Evaluations are cached, so a point is never solved twice.
 *
 * @example
 * const r = await searchMinimum(async ([x]) => ({ value: (Math.log(x) - 1) ** 2, secondary: 0, info: null }),
 *   { lower: [0.1], upper: [100], start: [1], scan: 9, tolerance: 1e-4, rounds: 1 });
 * r.best.x[0]; // ≈ e
 */
export async function searchMinimum<T>(
  objective: (x: number[]) => Promise<{ value: number; secondary: number; info: T }>,
  options: SearchOptions,
): Promise<SearchResult<T>> {
  const { lower, upper, scan, tolerance } = options;
  const count = lower.length;
  const evaluations: Evaluation<T>[] = [];
  const cache = new Map<string, Evaluation<T>>();
  const tie = options.tie ?? 0;
  // the search itself compares values alone (ties are decided once, at the end)
  const better = (a: Evaluation<T>, b: Evaluation<T> | undefined) => !b || a.value < b.value;
  let best: Evaluation<T> | undefined;
  const evaluate = async (x: number[]): Promise<Evaluation<T>> => {
    const key = x.map((v) => v.toPrecision(12)).join(',');
    const hit = cache.get(key);
    if (hit) return hit;
    const r = await objective([...x]);
    const value = Number.isNaN(r.value) ? Infinity : r.value;
    const secondary = Number.isNaN(r.secondary) ? Infinity : r.secondary;
    const e: Evaluation<T> = { x: [...x], value, secondary, info: r.info };
    cache.set(key, e);
    evaluations.push(e);
    if (better(e, best)) best = e;
    return e;
  };

  let current = options.start.map((v, i) => Math.min(upper[i], Math.max(lower[i], v)));
  await evaluate(current);
  const rounds = count === 1 ? 1 : options.rounds;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < count; i++) {
      const at = (v: number) => current.map((c, k) => (k === i ? v : c));
      const logLo = Math.log(lower[i]);
      const logHi = Math.log(upper[i]);
      // the bracket: a scan in the first round, the current value's neighbourhood afterwards
      let a = logLo;
      let b = logHi;
      if (round === 0) {
        const points = Array.from({ length: scan }, (_, k) => logLo + ((logHi - logLo) * k) / (scan - 1));
        const results: Evaluation<T>[] = [];
        for (const p of points) results.push(await evaluate(at(Math.exp(p))));
        let k = 0;
        for (let q = 1; q < results.length; q++) if (better(results[q], results[k])) k = q;
        a = points[Math.max(0, k - 1)];
        b = points[Math.min(points.length - 1, k + 1)];
      } else {
        const width = (logHi - logLo) / (scan - 1);
        const c = Math.log(current[i]);
        a = Math.max(logLo, c - width);
        b = Math.min(logHi, c + width);
      }
      // golden sections in log x on [a, b]
      let c = b - GOLDEN * (b - a);
      let d = a + GOLDEN * (b - a);
      let fc = await evaluate(at(Math.exp(c)));
      let fd = await evaluate(at(Math.exp(d)));
      while (b - a > Math.log1p(tolerance)) {
        if (better(fc, fd)) {
          b = d;
          d = c;
          fd = fc;
          c = b - GOLDEN * (b - a);
          fc = await evaluate(at(Math.exp(c)));
        } else {
          a = c;
          c = d;
          fc = fd;
          d = a + GOLDEN * (b - a);
          fd = await evaluate(at(Math.exp(d)));
        }
      }
      current = [...best!.x];
    }
  }
  // of the candidates within `tie` of the minimum, the one with the smallest secondary value
  const minimum = Math.min(...evaluations.map((e) => e.value));
  let chosen = best!;
  if (tie > 0 && Number.isFinite(minimum))
    for (const e of evaluations)
      if (e.value <= minimum + tie && (e.secondary < chosen.secondary || chosen.value > minimum + tie))
        chosen = e;
  return { best: chosen, evaluations };
}
