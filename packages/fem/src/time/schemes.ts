import { positiveFinite, positiveInteger } from '../guards/args.js';

/** Time-stepping schemes for M U' + A U = F (THEORY §4, semi-discrete form). */
export type Scheme = 'crank-nicolson' | 'backward-euler' | 'bdf2';

export const SCHEMES: readonly Scheme[] = ['crank-nicolson', 'backward-euler', 'bdf2'];

/** Default of the `maxSteps` option: runs needing more time steps are refused before they start. */
export const DEFAULT_MAX_STEPS = 1e7;

/**
 * Step counts and sizes that hit every output time exactly: each interval between output
 * times is cut into ⌈Δ/dt⌉ equal steps (so no step exceeds dt). `times` must be finite, ≥ 0
 * and non-decreasing, `dt` positive and finite. A count can be huge (or infinite when dt is
 * subnormal): check the total with {@link checkStepCount} before stepping.
 *
 * @example
 * stepPlan([0, 1, 2.5], 0.4); // [{ steps: 0, h: 0 }, { steps: 3, h: 1/3 }, { steps: 4, h: 0.375 }]
 */
export function stepPlan(times: ArrayLike<number>, dt: number): { steps: number; h: number }[] {
  positiveFinite('dt', dt, 'time step');
  const plan: { steps: number; h: number }[] = [];
  let t = 0;
  for (let k = 0; k < times.length; k++) {
    const tk = times[k];
    if (typeof tk !== 'number' || !Number.isFinite(tk) || tk < 0)
      throw new Error(`times: entry ${k} is ${tk}; output times must be finite and ≥ 0`);
    if (tk < t) throw new Error(`times: decreasing (times[${k - 1}] = ${t}, times[${k}] = ${tk})`);
    const d = tk - t;
    if (d > 0) {
      const steps = Math.max(1, Math.ceil(d / dt - 1e-9));
      plan.push({ steps, h: d / steps });
    } else plan.push({ steps: 0, h: 0 });
    t = tk;
  }
  return plan;
}

/**
 * {@link stepPlan} with its total step count, refused (naming `dt` and the count) when it exceeds
 * `maxSteps` (default 10^7), so that a tiny dt fails at once instead of running for days.
 *
 * @example
 * checkedStepPlan([0, 1], 0.1).total; // 10
 * checkedStepPlan([20], 1e-7); // throws: dt: 1e-7 needs 2.00e+8 time steps to reach t = 20, more than maxSteps = 10000000 …
 */
export function checkedStepPlan(
  times: ArrayLike<number>,
  dt: number,
  maxSteps: number = DEFAULT_MAX_STEPS,
): { plan: { steps: number; h: number }[]; total: number } {
  positiveInteger('maxSteps', maxSteps);
  const plan = stepPlan(times, dt);
  let total = 0;
  for (const p of plan) total += p.steps;
  if (!(total <= maxSteps)) {
    const count = Number.isFinite(total) ? total.toPrecision(3) : 'infinitely many';
    throw new Error(
      `dt: ${dt} needs ${count} time steps to reach t = ${times[times.length - 1]}, more than maxSteps = ${maxSteps}; use a larger dt or raise maxSteps`,
    );
  }
  return { plan, total };
}
