/** Time-stepping schemes for M U' + A U = F (THEORY §4, semi-discrete form). */
export type Scheme = 'crank-nicolson' | 'backward-euler' | 'bdf2';

export const SCHEMES: readonly Scheme[] = ['crank-nicolson', 'backward-euler', 'bdf2'];

/**
 * Step counts and sizes that hit every output time exactly: each interval between output
 * times is cut into ⌈Δ/dt⌉ equal steps (so no step exceeds dt).
 *
 * @example
 * stepPlan([0, 1, 2.5], 0.4); // [{ steps: 3, h: 1/3 }, { steps: 4, h: 0.375 }]
 */
export function stepPlan(times: ArrayLike<number>, dt: number): { steps: number; h: number }[] {
  const plan: { steps: number; h: number }[] = [];
  let t = 0;
  for (let k = 0; k < times.length; k++) {
    const d = times[k] - t;
    if (d > 0) {
      const steps = Math.max(1, Math.ceil(d / dt - 1e-9));
      plan.push({ steps, h: d / steps });
    } else plan.push({ steps: 0, h: 0 });
    t = times[k];
  }
  return plan;
}
